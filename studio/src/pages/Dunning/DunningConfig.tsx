import type { ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Money } from '../../components/Money';
import { graphql } from '../../gql';
import { CONFIGURATORS, mayCall } from '../../lib/roles';
import { useViewer } from '../../lib/viewer';
import { TemplateEditor } from './TemplateEditor';

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
  }
`);

/** A notice of the last proposal, rendered by the server: the preview of its level's template. */
export interface RenderedNotice {
  partnerId: string;
  level: number;
  body: string;
  subject?: string | null;
}

/** The procedures with their levels and the templates, each template with a notice the last proposal rendered from it. */
export function DunningConfig({ rendered }: { rendered: RenderedNotice[] }): ReactElement {
  const { data, error } = useQuery(CONFIG_QUERY);
  const { role } = useViewer();
  if (error)
    return (
      <div className="notice" role="alert">
        {error.message}
      </div>
    );
  if (!data) return <div className="skeleton skeleton-row" />;
  // The levels that use a template, so a rendered notice of that level previews it.
  const levelsOf = (template: string) => new Set(data.dunningProcedures.flatMap((p) => p.levels.filter((l) => l.templateKey === template).map((l) => l.level)));
  return (
    <>
      <section className="card table-card dunning-config" aria-label="Procedures">
        <div className="card-header">
          <h2>Procedures</h2>
          <span className="muted">the segment&apos;s procedure, else the one without segment</span>
        </div>
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
                      <td>{l.channel.toLowerCase()}</td>
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
          <span className="muted">propose a run to see each rendered</span>
        </div>
        {mayCall(role, CONFIGURATORS) && <TemplateEditor />}
        <ul className="dunning-notices">
          {data.dunningTemplates.map((t) => {
            const levels = levelsOf(t.key);
            const sample = rendered.find((n) => levels.has(n.level));
            return (
              <li key={t.key} className="dunning-notice" aria-label={`Template ${t.key}`}>
                <div className="dunning-notice-head">
                  <span className="segment-key">{t.key}</span>
                  {t.subject && <b>{t.subject}</b>}
                </div>
                <pre className="dunning-body dunning-source">{t.body}</pre>
                {sample && (
                  <div className="dunning-preview">
                    <span className="muted">
                      Rendered for partner {sample.partnerId}, level {sample.level}:
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
