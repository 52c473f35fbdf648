import { useState, type ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Money } from '../../components/Money';
import type { StudioArmFiguresFragment, StudioExperimentFieldsFragment, StudioExperimentResultsQuery } from '../../gql/graphql';
import { formatInteger } from '../../lib/format';
import { EXPERIMENT_RESULTS_QUERY } from './queries';

type Difference = StudioExperimentResultsQuery['experimentResults']['differences'][number];

/** How each figure reads for a supervisor: its scale on screen and the words of a difference. */
interface FigureWords {
  label: string;
  /** The arm's value as shown. */
  value: (arm: StudioArmFiguresFragment) => string;
  /** Multiplier of a difference as shown (rates in percentage points). */
  scale: number;
  decimals: number;
  unit: string;
  /** "collected 2.1 points more of the amount to be collected". */
  sentence: (amount: string, more: boolean) => string;
}

const percent = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);

export const FIGURE_WORDS: Record<string, FigureWords> = {
  collectedShare: {
    label: 'Collected share',
    value: (a) => percent(a.collectedShare),
    scale: 100,
    decimals: 1,
    unit: 'points',
    sentence: (x, more) => `collected ${x} points ${more ? 'more' : 'less'} of the amount to be collected`,
  },
  cureRate: {
    label: 'Cure rate',
    value: (a) => percent(a.cureRate),
    scale: 100,
    decimals: 1,
    unit: 'points',
    sentence: (x, more) => `cured ${x} points ${more ? 'more' : 'fewer'} of the partners with overdue items`,
  },
  rollRate: {
    label: 'Roll to 90+ days',
    value: (a) => percent(a.rollRate),
    scale: 100,
    decimals: 1,
    unit: 'points',
    sentence: (x, more) => `let ${x} points ${more ? 'more' : 'fewer'} partners roll to 90+ days overdue`,
  },
  promisesBrokenPerPartner: {
    label: 'Broken promises per 100 partners',
    value: (a) => (a.partners ? ((a.promisesBroken / a.partners) * 100).toFixed(1) : '–'),
    scale: 100,
    decimals: 1,
    unit: 'per 100 partners',
    sentence: (x, more) => `had ${x} ${more ? 'more' : 'fewer'} broken promises per 100 partners`,
  },
  captureAtCapacity: {
    label: 'Capture at capacity',
    value: (a) => `${percent(a.captureAtCapacity)} (top ${formatInteger(a.capacity)})`,
    scale: 100,
    decimals: 1,
    unit: 'points',
    sentence: (x, more) => `put ${x} points ${more ? 'more' : 'less'} of the collected money among the partners worked first`,
  },
  auc: {
    label: 'Ranking quality (AUC)',
    value: (a) => (a.auc === null || a.auc === undefined ? '–' : a.auc.toFixed(3)),
    scale: 1,
    decimals: 3,
    unit: '',
    sentence: (x, more) => `ranked bad outcomes ${more ? 'better' : 'worse'} by ${x} AUC`,
  },
};

const VERDICT: Record<string, string> = {
  BETTER: 'better beyond noise',
  WORSE: 'worse beyond noise',
  NO_CLEAR_DIFFERENCE: 'within noise, no clear difference yet',
  UNKNOWN: 'not enough data for an interval yet',
};

/** "Challenger collected 2.1 points more of the amount to be collected, 95% interval 0.4 to 3.8: better beyond noise." */
export function differenceSentence(d: Difference, confidence: number): string {
  const words = FIGURE_WORDS[d.figure];
  if (!words || d.difference === null || d.difference === undefined) return `${words?.label ?? d.figure}: no figure for one of the arms yet.`;
  const shown = (v: number) => (v * words.scale).toFixed(words.decimals);
  const more = d.difference >= 0;
  const interval =
    d.low === null || d.low === undefined || d.high === null || d.high === undefined
      ? ''
      : `, ${Math.round(confidence * 100)}% interval ${shown(d.low)} to ${shown(d.high)}`;
  return `Challenger ${words.sentence(shown(Math.abs(d.difference)), more)}${interval}: ${VERDICT[d.verdict] ?? d.verdict}.`;
}

const HORIZONS = [7, 14, 30, 60, 90];

/** The arms' realised outcomes since the start, compared: each figure per arm, the difference with its interval in words and as a bar. */
export function ExperimentResultsCard({ experiment }: { experiment: StudioExperimentFieldsFragment }): ReactElement {
  const [horizonDays, setHorizon] = useState(30);
  const { data, error, loading } = useQuery(EXPERIMENT_RESULTS_QUERY, { variables: { id: experiment.id, horizonDays } });
  const r = data?.experimentResults;
  return (
    <section className="card exp-results" aria-label="Results">
      <div className="card-header exp-results-header">
        <h2>Results since the start</h2>
        <label className="work-field exp-horizon">
          Outcomes over
          <select value={horizonDays} onChange={(e) => setHorizon(Number(e.target.value))}>
            {HORIZONS.map((h) => (
              <option key={h} value={h}>
                {h} days
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <div className="notice" role="alert">
          {error.message}
        </div>
      )}
      {loading && !r && <p className="muted exp-pad">Measuring what each arm collected…</p>}
      {r && r.runs === 0 && (
        <p className="empty">
          No run&apos;s {r.horizonDays}-day window has passed yet: results appear {r.horizonDays} days after the first live run of the experiment
          {experiment.latestRunAsOf ? '' : ' (there is none yet)'}. Choose a shorter window to see early figures.
        </p>
      )}
      {r && r.runs > 0 && (
        <>
          <p className="exp-pad exp-scope">
            {formatInteger(r.champion.partners + r.challenger.partners)} partners, each measured over the {r.horizonDays} days after the first run that listed
            it ({formatInteger(r.runs)} {r.runs === 1 ? 'run' : 'runs'}, {r.firstAsOf} to {r.lastAsOf}). A difference is the challenger minus the champion; an
            interval that stays off the line at 0 is a difference beyond noise.
          </p>
          <ul className="exp-sentences">
            {r.differences.map((d) => (
              <li key={d.figure} className={`exp-verdict-${d.verdict.toLowerCase()}`}>
                {differenceSentence(d, r.confidence)}
              </li>
            ))}
          </ul>
          <div className="table-scroll">
            <table className="table exp-figures" aria-label="Figures by arm">
              <thead>
                <tr>
                  <th>Figure</th>
                  <th className="num">Champion</th>
                  <th className="num">Challenger</th>
                  <th className="num">Difference</th>
                  <th className="exp-bar-col">{Math.round(r.confidence * 100)}% interval</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td>Partners measured</td>
                  <td className="num">{formatInteger(r.champion.partners)}</td>
                  <td className="num">{formatInteger(r.challenger.partners)}</td>
                  <td />
                  <td />
                </tr>
                <tr>
                  <td>To be collected</td>
                  <td className="num">
                    <Money amount={r.champion.toBeCollected} currency={r.currency ?? ''} />
                  </td>
                  <td className="num">
                    <Money amount={r.challenger.toBeCollected} currency={r.currency ?? ''} />
                  </td>
                  <td />
                  <td />
                </tr>
                <tr>
                  <td>Collected</td>
                  <td className="num">
                    <Money amount={r.champion.collected} currency={r.currency ?? ''} />
                  </td>
                  <td className="num">
                    <Money amount={r.challenger.collected} currency={r.currency ?? ''} />
                  </td>
                  <td />
                  <td />
                </tr>
                {r.differences.map((d) => {
                  const words = FIGURE_WORDS[d.figure]!;
                  return (
                    <tr key={d.figure}>
                      <td>{words.label}</td>
                      <td className="num">{words.value(r.champion)}</td>
                      <td className="num">{words.value(r.challenger)}</td>
                      <td className="num">
                        {d.difference === null || d.difference === undefined ? '–' : signed(d.difference * words.scale, words.decimals)} {words.unit}
                      </td>
                      <td className="exp-bar-col">
                        <IntervalBar difference={d} scale={words.scale} decimals={words.decimals} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

const signed = (v: number, decimals: number) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(decimals)}`;

/** The interval as a bar around zero: green when it lies beyond zero on the better side, red on the worse, grey across zero. */
function IntervalBar({ difference: d, scale, decimals }: { difference: Difference; scale: number; decimals: number }): ReactElement {
  if (d.low === null || d.low === undefined || d.high === null || d.high === undefined || d.difference === null || d.difference === undefined)
    return <span className="muted">–</span>;
  const span = Math.max(Math.abs(d.low), Math.abs(d.high), 1e-9) * 1.15;
  const at = (v: number) => `${50 + (v / span) * 50}%`;
  const label = `${signed(d.low * scale, decimals)} to ${signed(d.high * scale, decimals)}`;
  return (
    <div className={`exp-interval exp-verdict-${d.verdict.toLowerCase()}`}>
      <div className="exp-bar" role="img" aria-label={`Interval ${label}`}>
        <span className="exp-bar-zero" />
        <span className="exp-bar-range" style={{ left: at(d.low), width: `calc(${at(d.high)} - ${at(d.low)})` }} />
        <span className="exp-bar-point" style={{ left: at(d.difference) }} />
      </div>
      <span className="exp-bar-label" aria-hidden="true">
        {label}
      </span>
    </div>
  );
}
