import { useState, type ReactElement } from 'react';
import { useMutation } from '@apollo/client/react';
import { graphql } from '../../gql';
import type { StudioDunningConfigQuery } from '../../gql/graphql';
import { errorCode, errorMessage, errorPath } from '../../lib/errors';

const SAVE_PROCEDURE_MUTATION = graphql(`
  mutation StudioSaveDunningProcedure($input: DunningProcedureInput!) {
    saveDunningProcedure(input: $input) {
      key
    }
  }
`);

type Procedure = StudioDunningConfigQuery['dunningProcedures'][number];

interface LevelDraft {
  daysOverdue: string;
  charge: string;
  channel: string;
  templateKey: string;
  legal: boolean;
}

interface Draft {
  key: string;
  name: string;
  segmentKey: string;
  graceDays: string;
  currency: string;
  active: boolean;
  levels: LevelDraft[];
}

const CHANNELS = [
  ['LETTER', 'Letter'],
  ['EMAIL', 'E-mail'],
  ['SMS', 'SMS'],
] as const;

/** The same limit as the server's (dunning.service MAX_DUNNING_LEVELS). */
const MAX_LEVELS = 20;

function draftOf(p: Procedure | null, templates: string[]): Draft {
  if (!p)
    return {
      key: '',
      name: '',
      segmentKey: '',
      graceDays: '0',
      currency: 'EUR',
      active: true,
      levels: [{ daysOverdue: '7', charge: '0', channel: 'LETTER', templateKey: templates[0] ?? '', legal: false }],
    };
  return {
    key: p.key,
    name: p.name,
    segmentKey: p.segmentKey ?? '',
    graceDays: String(p.graceDays),
    currency: p.currency,
    active: p.active,
    levels: p.levels.map((l) => ({
      daysOverdue: String(l.daysOverdue),
      charge: l.charge.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''),
      channel: l.channel,
      templateKey: l.templateKey,
      legal: l.legal,
    })),
  };
}

const WHOLE = /^-?\d+$/;
const AMOUNT = /^\d{1,15}(\.\d{1,4})?$/;

/** The checks the server makes, at their fields, in the same words; the server still decides. */
function validate(d: Draft, templates: Set<string>): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!/^[A-Z0-9_]{1,40}$/.test(d.key)) errors.key = 'The key is 1 to 40 capital letters, digits or _ (for example STANDARD)';
  if (!d.name.trim()) errors.name = 'Give the procedure a name';
  if (!/^[A-Z]{3}$/.test(d.currency)) errors.currency = 'The charge currency is a three-letter ISO code such as EUR';
  if (!WHOLE.test(d.graceDays) || Number(d.graceDays) < 0 || Number(d.graceDays) > 365) errors.graceDays = 'Grace days are a whole number from 0 to 365';
  if (!d.levels.length) errors.levels = 'A procedure needs at least one level';
  d.levels.forEach((l, i) => {
    const at = `levels[${i}]`;
    if (!WHOLE.test(l.daysOverdue) || Math.abs(Number(l.daysOverdue)) > 3650)
      errors[`${at}.daysOverdue`] = 'Days overdue is a whole number of days, at most 3650 before or after the due date';
    else if (i > 0 && WHOLE.test(d.levels[i - 1]!.daysOverdue) && Number(l.daysOverdue) <= Number(d.levels[i - 1]!.daysOverdue))
      errors[`${at}.daysOverdue`] = `Level ${i + 1} must come later than level ${i}: more than ${d.levels[i - 1]!.daysOverdue} days overdue`;
    if (!AMOUNT.test(l.charge.trim())) errors[`${at}.charge`] = 'The charge is an amount of 0 or more, with at most 4 decimals';
    if (!templates.has(l.templateKey)) errors[`${at}.templateKey`] = l.templateKey ? `There is no template ${l.templateKey}` : 'Choose a template';
  });
  return errors;
}

/** Creates a procedure or edits one (its key fixed): its fields and levels, checked at each field before the server checks again. */
export function ProcedureEditor({
  procedure,
  segments,
  templates,
  onDone,
}: {
  procedure: Procedure | null;
  segments: Array<{ key: string; name: string }>;
  templates: string[];
  onDone: (savedKey: string | null) => void;
}): ReactElement {
  const [draft, setDraft] = useState<Draft>(() => draftOf(procedure, templates));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [save, { loading }] = useMutation(SAVE_PROCEDURE_MUTATION, { refetchQueries: ['StudioDunningConfig'], awaitRefetchQueries: true });
  const known = new Set(templates);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setLevel = (i: number, patch: Partial<LevelDraft>) => setDraft((d) => ({ ...d, levels: d.levels.map((l, n) => (n === i ? { ...l, ...patch } : l)) }));
  const fieldError = (path: string) =>
    errors[path] ? (
      <span className="work-field-error" role="alert">
        {errors[path]}
      </span>
    ) : null;
  const title = procedure ? `Edit procedure ${procedure.key}` : 'New procedure';

  const submit = () => {
    setProblem(null);
    const found = validate(draft, known);
    setErrors(found);
    if (Object.keys(found).length) return;
    const input = {
      key: draft.key,
      name: draft.name.trim(),
      segmentKey: draft.segmentKey || null,
      graceDays: Number(draft.graceDays),
      currency: draft.currency,
      active: draft.active,
      levels: draft.levels.map((l, i) => ({
        level: i + 1,
        daysOverdue: Number(l.daysOverdue),
        charge: l.charge.trim(),
        channel: l.channel,
        templateKey: l.templateKey,
        legal: l.legal,
      })),
    };
    save({ variables: { input } })
      .then(() => onDone(draft.key))
      .catch((err: unknown) => {
        const path = errorPath(err);
        // The server names the field as the input does: show its words there.
        if (errorCode(err) === 'BAD_USER_INPUT' && path) setErrors({ [path.replace(/^input\./, '')]: errorMessage(err) });
        else setProblem(errorMessage(err));
      });
  };

  return (
    <form
      className="work-form dunning-editor dunning-procedure-editor"
      aria-label={title}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3>{title}</h3>
      <div className="dunning-procedure-fields">
        <label className="work-field">
          Key
          <input
            value={draft.key}
            disabled={procedure !== null}
            onChange={(e) => set({ key: e.target.value.toUpperCase() })}
            placeholder="STANDARD"
            aria-invalid={Boolean(errors.key)}
          />
          {fieldError('key')}
        </label>
        <label className="work-field">
          Name
          <input value={draft.name} onChange={(e) => set({ name: e.target.value })} placeholder="Standard dunning" aria-invalid={Boolean(errors.name)} />
          {fieldError('name')}
        </label>
        <label className="work-field">
          Applies to
          <select value={draft.segmentKey} onChange={(e) => set({ segmentKey: e.target.value })} aria-invalid={Boolean(errors.segmentKey)}>
            <option value="">Default: every segment without its own</option>
            {segments.map((s) => (
              <option key={s.key} value={s.key}>
                Segment {s.name} ({s.key})
              </option>
            ))}
          </select>
          {fieldError('segmentKey')}
        </label>
        <label className="work-field">
          Grace days
          <input inputMode="numeric" value={draft.graceDays} onChange={(e) => set({ graceDays: e.target.value })} aria-invalid={Boolean(errors.graceDays)} />
          {fieldError('graceDays')}
        </label>
        <label className="work-field">
          Charge currency
          <input
            value={draft.currency}
            maxLength={3}
            onChange={(e) => set({ currency: e.target.value.toUpperCase() })}
            aria-invalid={Boolean(errors.currency)}
          />
          {fieldError('currency')}
        </label>
        <label className="work-check">
          <input type="checkbox" checked={draft.active} onChange={(e) => set({ active: e.target.checked })} /> Active: dunning runs use it
        </label>
      </div>
      <div className="table-scroll">
        <table className="table dunning-levels-edit" aria-label="Levels">
          <thead>
            <tr>
              <th>Level</th>
              <th>Days overdue</th>
              <th>Charge ({draft.currency || '—'})</th>
              <th>Channel</th>
              <th>Template</th>
              <th>Legal</th>
              <th>
                <span className="dunning-sr">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {draft.levels.map((l, i) => (
              <tr key={i}>
                <td>{i + 1}</td>
                <td>
                  <input
                    aria-label={`Level ${i + 1} days overdue`}
                    inputMode="numeric"
                    value={l.daysOverdue}
                    onChange={(e) => setLevel(i, { daysOverdue: e.target.value })}
                    aria-invalid={Boolean(errors[`levels[${i}].daysOverdue`])}
                  />
                  {fieldError(`levels[${i}].daysOverdue`)}
                  {fieldError(`levels[${i}].level`)}
                </td>
                <td>
                  <input
                    aria-label={`Level ${i + 1} charge`}
                    inputMode="decimal"
                    value={l.charge}
                    onChange={(e) => setLevel(i, { charge: e.target.value })}
                    aria-invalid={Boolean(errors[`levels[${i}].charge`])}
                  />
                  {fieldError(`levels[${i}].charge`)}
                </td>
                <td>
                  <select aria-label={`Level ${i + 1} channel`} value={l.channel} onChange={(e) => setLevel(i, { channel: e.target.value })}>
                    {CHANNELS.map(([value, label]) => (
                      <option key={value} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                  {fieldError(`levels[${i}].channel`)}
                </td>
                <td>
                  <select
                    aria-label={`Level ${i + 1} template`}
                    value={l.templateKey}
                    onChange={(e) => setLevel(i, { templateKey: e.target.value })}
                    aria-invalid={Boolean(errors[`levels[${i}].templateKey`])}
                  >
                    {!known.has(l.templateKey) && <option value={l.templateKey}>{l.templateKey || 'Choose…'}</option>}
                    {templates.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                  {fieldError(`levels[${i}].templateKey`)}
                </td>
                <td>
                  <input aria-label={`Level ${i + 1} legal`} type="checkbox" checked={l.legal} onChange={(e) => setLevel(i, { legal: e.target.checked })} />
                </td>
                <td>
                  <button
                    type="button"
                    className="button dunning-remove"
                    disabled={draft.levels.length === 1}
                    onClick={() => setDraft((d) => ({ ...d, levels: d.levels.filter((_, n) => n !== i) }))}
                    aria-label={`Remove level ${i + 1}`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {fieldError('levels')}
      <div className="work-form-foot">
        <button
          type="button"
          className="button"
          disabled={draft.levels.length >= MAX_LEVELS}
          onClick={() =>
            setDraft((d) => {
              const last = d.levels.at(-1);
              const days = last && WHOLE.test(last.daysOverdue) ? Number(last.daysOverdue) + 14 : 7;
              return {
                ...d,
                levels: [
                  ...d.levels,
                  {
                    daysOverdue: String(days),
                    charge: last?.charge ?? '0',
                    channel: last?.channel ?? 'LETTER',
                    templateKey: last?.templateKey ?? templates[0] ?? '',
                    legal: false,
                  },
                ],
              };
            })
          }
        >
          Add level
        </button>
        <span className="dunning-spacer" />
        <button type="button" className="button" onClick={() => onDone(null)}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={loading}>
          {loading ? 'Saving…' : 'Save procedure'}
        </button>
      </div>
      {problem && (
        <p className="work-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
