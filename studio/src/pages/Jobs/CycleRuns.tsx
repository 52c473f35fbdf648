import type { ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { errorMessage } from '../../lib/errors';
import { CYCLE_STEP_ORDER, stepLabel, timeWords, whenWords } from './jobWords';
import { CYCLE_RUNS_QUERY } from './queries';

const STATE_WORDS: Record<string, string> = { WAITING: 'Waiting', QUEUED: 'Queued', DONE: 'Done', FAILED: 'Failed' };

/** The last nights: one row per cycle date, one column per step, each cell the step's state (and why it failed). */
export function CycleRuns(): ReactElement {
  const { data, error } = useQuery(CYCLE_RUNS_QUERY, { pollInterval: 10_000 });
  const runs = data?.cycleRuns ?? [];
  const dates = [...new Set(runs.map((r) => r.cycleDate))];
  const seen = new Set(runs.map((r) => r.step));
  const steps = [...CYCLE_STEP_ORDER.filter((s) => seen.has(s)), ...[...seen].filter((s) => !CYCLE_STEP_ORDER.includes(s))];
  const cell = new Map(runs.map((r) => [`${r.cycleDate} ${r.step}`, r]));
  return (
    <section className="card table-card jobs-runs" aria-label="Recent cycle runs">
      <div className="card-header">
        <h2>Recent cycle runs</h2>
        <span className="muted">the last 7 cycle dates, newest first</span>
      </div>
      {error && (
        <div className="notice" role="alert">
          {errorMessage(error)}
        </div>
      )}
      {data && runs.length === 0 && <p className="empty">The cycle has not run yet: its first steps are created when their time comes.</p>}
      {runs.length > 0 && (
        <div className="table-scroll">
          <table className="table jobs-table">
            <thead>
              <tr>
                <th>Cycle date</th>
                {steps.map((s) => (
                  <th key={s}>{stepLabel(s)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {dates.map((d) => (
                <tr key={d} data-cycle-date={d}>
                  <th scope="row">{d}</th>
                  {steps.map((s) => {
                    const r = cell.get(`${d} ${s}`);
                    if (!r)
                      return (
                        <td key={s} className="muted">
                          not run
                        </td>
                      );
                    return (
                      <td key={s} data-step={s}>
                        <span className={`jobs-state s-${r.state.toLowerCase()}`}>{STATE_WORDS[r.state] ?? r.state}</span>
                        {r.finishedAt && (
                          <span className="muted jobs-cell-note" title={`finished ${whenWords(r.finishedAt)}`}>
                            {timeWords(r.finishedAt)}
                          </span>
                        )}
                        {r.error && <span className="jobs-error jobs-cell-note">{r.error}</span>}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
