import { Fragment, useEffect, useState, type FormEvent, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { StudioCycleScheduleQuery } from '../../gql/graphql';
import { errorMessage, errorPath } from '../../lib/errors';
import { cronWords, STEP_WORDS, stepLabel, untilWords, zonedWords } from './jobWords';
import { SAVE_SCHEDULE, SCHEDULE_QUERY } from './queries';

type Step = StudioCycleScheduleQuery['cycleSchedule'][number];

/** The fields of a step the form edits; a server message naming one is shown at it. */
type FieldName = 'cron' | 'timeZone' | 'dependsOn';

/** Time zones the browser knows, offered while typing (any IANA name the server knows is accepted). */
const TIME_ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? ['UTC', ...Intl.supportedValuesOf('timeZone')] : ['UTC'];

/** The nightly cycle: each step's time, zone, dependencies and next run; an ADMIN edits a step in place. */
export function CycleSchedule({ admin }: { admin: boolean }): ReactElement {
  // Read again each minute, so a next run that has come shows the one after it.
  const { data, error } = useQuery(SCHEDULE_QUERY, { pollInterval: 60_000 });
  const now = useNow(30_000);
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const steps = data?.cycleSchedule ?? [];
  const enabled = new Set(steps.filter((s) => s.enabled).map((s) => s.step));
  return (
    <section className="card table-card jobs-schedule" aria-label="Nightly cycle">
      <div className="card-header">
        <h2>Nightly cycle</h2>
        <span className="muted">each step fires at its time, then waits until the steps it depends on are done</span>
      </div>
      {error && (
        <div className="notice" role="alert">
          {errorMessage(error)}
        </div>
      )}
      {saved && (
        <p className="work-hint is-ok jobs-message" role="status">
          {saved}
        </p>
      )}
      {steps.length > 0 && (
        <div className="table-scroll">
          <table className="table jobs-table">
            <thead>
              <tr>
                <th>Step</th>
                <th>Fires</th>
                <th>Next run</th>
                <th>Waits for</th>
                <th>Enabled</th>
                {admin && <th aria-label="Actions" />}
              </tr>
            </thead>
            <tbody>
              {steps.map((s) => (
                <Fragment key={s.step}>
                  <tr data-step={s.step} className={editing === s.step ? 'is-selected' : undefined}>
                    <td>
                      <span className="jobs-type">{stepLabel(s.step)}</span>
                      <span className="muted jobs-does">{STEP_WORDS[s.step]?.does ?? ''}</span>
                    </td>
                    <td>
                      <span className="jobs-when">{cronWords(s.cron) ?? 'custom'}</span>
                      <span className="muted jobs-cron">
                        <code>{s.cron}</code> · {s.timeZone}
                      </span>
                    </td>
                    <td className="jobs-next">
                      {s.nextRunAt ? (
                        <>
                          {zonedWords(new Date(s.nextRunAt), s.timeZone)}
                          <span className="muted jobs-cell-note">{untilWords(new Date(s.nextRunAt), now)}</span>
                        </>
                      ) : (
                        'off'
                      )}
                    </td>
                    <td className="jobs-wrap">{dependencyWords(s.dependsOn, enabled)}</td>
                    <td>{s.enabled ? 'Yes' : 'No'}</td>
                    {admin && (
                      <td className="jobs-actions">
                        <button
                          type="button"
                          className="button"
                          aria-expanded={editing === s.step}
                          aria-label={`Edit ${stepLabel(s.step)}`}
                          onClick={() => {
                            setSaved(null);
                            setEditing(editing === s.step ? null : s.step);
                          }}
                        >
                          Edit
                        </button>
                      </td>
                    )}
                  </tr>
                  {editing === s.step && (
                    <tr className="jobs-edit-row">
                      <td colSpan={6}>
                        <StepForm
                          step={s}
                          steps={steps}
                          onClose={() => setEditing(null)}
                          onSaved={(after) => {
                            setEditing(null);
                            setSaved(`${stepLabel(after.step)} saved: ${cronWords(after.cron) ?? after.cron} (${after.timeZone}).`);
                          }}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The time, read again every `ms` (for "in 2 h 10 min"). */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** "Import, Judging"; a disabled dependency is skipped by the cycle, and said so. */
function dependencyWords(dependsOn: readonly string[], enabled: Set<string>): string {
  if (dependsOn.length === 0) return '–';
  return dependsOn.map((d) => (enabled.has(d) ? stepLabel(d) : `${stepLabel(d)} (off: skipped)`)).join(', ');
}

/** One step's cron, zone, dependencies and switch; the server checks them and its message is shown at the field it names. */
function StepForm({
  step,
  steps,
  onClose,
  onSaved,
}: {
  step: Step;
  steps: readonly Step[];
  onClose: () => void;
  onSaved: (after: Step) => void;
}): ReactElement {
  const [cron, setCron] = useState(step.cron);
  const [timeZone, setTimeZone] = useState(step.timeZone);
  const [dependsOn, setDependsOn] = useState<string[]>([...step.dependsOn]);
  const [enabled, setEnabled] = useState(step.enabled);
  const [fields, setFields] = useState<Partial<Record<FieldName, string>>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [save, { loading }] = useMutation(SAVE_SCHEDULE, { refetchQueries: ['StudioCycleSchedule'], awaitRefetchQueries: true });
  const words = cronWords(cron);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFields({});
    setProblem(null);
    save({ variables: { input: [{ step: step.step, cron: cron.trim(), timeZone: timeZone.trim(), dependsOn, enabled }] } })
      .then(({ data }) => {
        const after = data?.saveCycleSchedule.find((s) => s.step === step.step);
        if (after) onSaved(after);
      })
      .catch((err: unknown) => {
        const field = /^input\[0\]\.(cron|timeZone|dependsOn)/.exec(errorPath(err) ?? '')?.[1] as FieldName | undefined;
        if (field) setFields({ [field]: errorMessage(err) });
        else setProblem(`Not saved: ${errorMessage(err)}`);
      });
  };
  const others = steps.filter((s) => s.step !== step.step);
  return (
    <form className="jobs-step-form" aria-label={`Schedule of ${stepLabel(step.step)}`} onSubmit={submit}>
      <label className="work-field">
        Cron expression
        <input
          value={cron}
          onChange={(e) => setCron(e.target.value)}
          aria-invalid={fields.cron ? true : undefined}
          aria-describedby={`cron-note-${step.step}`}
          spellCheck={false}
          required
        />
        {fields.cron ? (
          <span className="work-field-error" id={`cron-note-${step.step}`} role="alert">
            {fields.cron}
          </span>
        ) : (
          <span className="work-hint jobs-hint" id={`cron-note-${step.step}`}>
            minute hour day-of-month month day-of-week{words ? `: ${words}` : ''}
          </span>
        )}
      </label>
      <label className="work-field">
        Time zone
        <input
          value={timeZone}
          onChange={(e) => setTimeZone(e.target.value)}
          list="jobs-time-zones"
          aria-invalid={fields.timeZone ? true : undefined}
          aria-describedby={`tz-note-${step.step}`}
          spellCheck={false}
          required
        />
        <datalist id="jobs-time-zones">
          {TIME_ZONES.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        {fields.timeZone ? (
          <span className="work-field-error" id={`tz-note-${step.step}`} role="alert">
            {fields.timeZone}
          </span>
        ) : (
          <span className="work-hint jobs-hint" id={`tz-note-${step.step}`}>
            the cycle date is the fire time&apos;s date there
          </span>
        )}
      </label>
      <fieldset className="jobs-deps" aria-invalid={fields.dependsOn ? true : undefined}>
        <legend>Waits for</legend>
        {others.map((o) => (
          <label key={o.step} className="work-check">
            <input
              type="checkbox"
              checked={dependsOn.includes(o.step)}
              onChange={(e) => setDependsOn(e.target.checked ? [...dependsOn, o.step] : dependsOn.filter((d) => d !== o.step))}
            />
            {stepLabel(o.step)}
          </label>
        ))}
        {fields.dependsOn && (
          <span className="work-field-error" role="alert">
            {fields.dependsOn}
          </span>
        )}
      </fieldset>
      <label className="work-check jobs-enabled">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Enabled
      </label>
      <div className="jobs-form-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={loading}>
          {loading ? 'Saving…' : 'Save'}
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
