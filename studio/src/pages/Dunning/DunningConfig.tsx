import { useState, type ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Money } from '../../components/Money';
import { graphql } from '../../gql';
import { CONFIGURATORS, mayCall } from '../../lib/roles';
import { useViewer } from '../../lib/viewer';
import { ProcedureEditor } from './ProcedureEditor';
import { TemplateEditor, type TemplateDraft } from './TemplateEditor';

const CONFIG_QUERY = graphql(`
  query StudioDunningConfig {
    dunningProcedures {
      key
      name
      active
      currency
      graceDays
      segmentKey
      levels {
        level
        daysOverdue
        charge
        channel
        templateKey
        legal
      }
    }
    dunningTemplates {
      key
      subject
      body
    }
    collectionSegments {
      key
      name
    }
  }
`);

/** A notice of the last proposal, rendered by the server: shown under the template of its level. */
export interface RenderedNotice {
  partnerId: string;
  level: number;
  body: string;
  subject?: string | null;
}

/** The procedures with their levels and the templates; CONFIGURATORS create and edit both (a template with its rendered preview). */
export function DunningConfig({ rendered }: { rendered: RenderedNotice[] }): ReactElement {
  const { data, error } = useQuery(CONFIG_QUERY);
  const { role } = useViewer();
  // The procedure being edited ('new': a new one), and the template.
  const [procedure, setProcedure] = useState<string | null>(null);
  const [template, setTemplate] = useState<TemplateDraft | 'new' | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  if (error)
    return (
      <div className="notice" role="alert">
        {error.message}
      </div>
    );
  if (!data) return <div className="skeleton skeleton-row" />;
  const configures = mayCall(role, CONFIGURATORS);
  const templateKeys = data.dunningTemplates.map((t) => t.key);
  // The levels that use a template, so a rendered notice of that level shows it.
  const levelsOf = (key: string) => new Set(data.dunningProcedures.flatMap((p) => p.levels.filter((l) => l.templateKey === key).map((l) => l.level)));
  const editing = procedure === null ? undefined : procedure === 'new' ? null : (data.dunningProcedures.find((p) => p.key === procedure) ?? null);
  return (
    <>
      <section className="card table-card dunning-config" aria-label="Procedures">
        <div className="card-header">
          <h2>Procedures</h2>
          <span className="muted">the segment&apos;s procedure, else the default</span>
          {configures && procedure === null && (
            <button
              type="button"
              className="button dunning-header-action"
              onClick={() => {
                setSaved(null);
                setProcedure('new');
              }}
            >
              New procedure
            </button>
          )}
        </div>
        {saved && (
          <p className="work-hint is-ok dunning-saved" role="status">
            Saved procedure {saved}.
          </p>
        )}
        {editing !== undefined && (
          <ProcedureEditor
            key={procedure}
            procedure={editing}
            segments={data.collectionSegments}
            templates={templateKeys}
            onDone={(key) => {
              setSaved(key);
              setProcedure(null);
            }}
          />
        )}
        {data.dunningProcedures.length === 0 && <p className="empty">No procedure configured: nothing is dunned.</p>}
        {data.dunningProcedures.map((p) => (
          <div key={p.key} className="dunning-procedure" role="group" aria-label={`Procedure ${p.key}`}>
            <div className="dunning-notice-head">
              <b>{p.name}</b>
              <span className="segment-key">{p.key}</span>
              <span>{p.segmentKey ? `segment ${p.segmentKey}` : 'default'}</span>
              <span>
                {p.graceDays} grace day{p.graceDays === 1 ? '' : 's'}
              </span>
              {!p.active && <span className="work-tag">inactive</span>}
              {configures && procedure === null && (
                <button
                  type="button"
                  className="button dunning-edit"
                  aria-label={`Edit procedure ${p.key}`}
                  onClick={() => {
                    setSaved(null);
                    setProcedure(p.key);
                  }}
                >
                  Edit
                </button>
              )}
            </div>
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th>Level</th>
                    <th className="num">Days overdue</th>
                    <th>Channel</th>
                    <th>Template</th>
                    <th className="num">Charge</th>
                    <th>Legal</th>
                  </tr>
                </thead>
                <tbody>
                  {p.levels.map((l) => (
                    <tr key={l.level}>
                      <td>{l.level}</td>
                      <td className="num">{l.daysOverdue < 0 ? `${-l.daysOverdue} before due` : l.daysOverdue}</td>
                      <td>{l.channel === 'EMAIL' ? 'e-mail' : l.channel === 'SMS' ? 'SMS' : 'letter'}</td>
                      <td className="segment-key">{l.templateKey}</td>
                      <td className="num">
                        <Money amount={l.charge} currency={p.currency} />
                      </td>
                      <td>{l.legal ? 'legal' : '–'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ))}
      </section>
      <section className="card dunning-config" aria-label="Templates">
        <div className="card-header">
          <h2>Templates</h2>
          <span className="muted">placeholders filled in for each notice</span>
          {configures && template === null && (
            <button type="button" className="button dunning-header-action" onClick={() => setTemplate('new')}>
              New template
            </button>
          )}
        </div>
        {template !== null && (
          <TemplateEditor key={template === 'new' ? '' : template.key} initial={template === 'new' ? null : template} onDone={() => setTemplate(null)} />
        )}
        <ul className="dunning-notices">
          {data.dunningTemplates.map((t) => {
            const levels = levelsOf(t.key);
            const sample = rendered.find((n) => levels.has(n.level));
            return (
              <li key={t.key} className="dunning-notice" aria-label={`Template ${t.key}`}>
                <div className="dunning-notice-head">
                  <span className="segment-key">{t.key}</span>
                  {t.subject && <b>{t.subject}</b>}
                  {configures && template === null && (
                    <button type="button" className="button dunning-edit" aria-label={`Edit template ${t.key}`} onClick={() => setTemplate(t)}>
                      Edit
                    </button>
                  )}
                </div>
                <pre className="dunning-body dunning-source">{t.body}</pre>
                {sample && (
                  <div className="dunning-preview">
                    <span className="muted">
                      In the proposal, for partner {sample.partnerId} at level {sample.level}:
                    </span>
                    <pre className="dunning-body">{sample.body}</pre>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      </section>
    </>
  );
}
