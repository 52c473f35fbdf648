import type { ReactElement } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { StudioBacktestQuery, StudioFigureDifferenceFragment, StudioOutcomeFiguresFragment } from '../../gql/graphql';
import { formatAsOf } from '../../lib/format';
import { differenceSentence, FIGURE_WORDS, percent, ratio, shareTicks, VERDICT_WORDS, type Verdict } from './backtestWords';

type Backtest = StudioBacktestQuery['backtestStrategies'];
type StrategyResult = Backtest['strategies'][number];

/** Line colours: the whole list dark; bands apart enough to tell (urgent red first). */
const BAND_COLOURS = ['#b42318', '#d97706', '#2563eb', '#7c3aed', '#059669', '#64748b'];

/** A band keeps its colour in every strategy's chart (priority 1 red, 2 amber, …; no band: grey). */
function bandColour(priority: number | null): string {
  if (priority === null || priority < 1) return BAND_COLOURS[BAND_COLOURS.length - 1]!;
  return BAND_COLOURS[(priority - 1) % BAND_COLOURS.length]!;
}

/** The results: the verdicts first (does B beat A beyond noise?), then each strategy's curves and figures. */
export function BacktestResults({ backtest: b }: { backtest: Backtest }): ReactElement {
  return (
    <div className="backtest-results">
      <p className="backtest-scope">
        Segment <b>{b.segment}</b>: {b.keyDates.length} key dates from {formatAsOf(b.keyDates[0]!)} to {formatAsOf(b.keyDates.at(-1)!)}, outcomes over the{' '}
        {b.horizonDays} days after each. Capacity k = <b>{b.capacity.toLocaleString()}</b> partners a day ({b.capacitySource}). Intervals:{' '}
        {Math.round(b.confidence * 100)}%, {b.resamples.toLocaleString()} bootstrap resamples of partners.
      </p>
      {b.comparisons.length > 0 && (
        <section className="card backtest-verdicts" aria-label="Differences between strategies">
          <div className="card-header">
            <h2>Does a strategy beat {b.strategies[0]!.label}?</h2>
          </div>
          {b.comparisons.map((c) => (
            <Comparison key={c.label} comparison={c} />
          ))}
        </section>
      )}
      {b.strategies.map((s) => (
        <StrategyCard key={s.label} strategy={s} backtest={b} />
      ))}
    </div>
  );
}

function Comparison({ comparison: c }: { comparison: StudioFigureDifferenceFragment }): ReactElement {
  return (
    <div className="backtest-comparison">
      <h3>
        {c.label} <span className="muted">compared with</span> {c.against}
      </h3>
      <ul>
        {c.differences.map((d) => (
          <li key={d.figure}>
            <span className={`backtest-verdict v-${d.verdict.toLowerCase()}`}>{VERDICT_WORDS[d.verdict as Verdict] ?? d.verdict}</span>
            <span>{differenceSentence(d, c.label, c.against)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function StrategyCard({ strategy: s, backtest: b }: { strategy: StrategyResult; backtest: Backtest }): ReactElement {
  return (
    <section className="card backtest-strategy" aria-label={`Backtest of ${s.label}`}>
      <div className="card-header">
        <h2>{s.label}</h2>
        <span className="muted">
          {s.strategyKey ? `${s.strategyKey} v${s.version}` : 'draft'} · amounts in {s.currency}
        </span>
      </div>
      <ShareChart strategy={s} />
      <FiguresTable strategy={s} backtest={b} />
      <div className="backtest-baselines">
        <h3>Against common sense on the same partners</h3>
        {s.versusBaselines.map((c) => (
          <ul key={c.against}>
            {c.differences
              .filter((d) => d.figure !== 'collectedShare')
              .map((d) => (
                <li key={d.figure}>
                  <span className={`backtest-verdict v-${d.verdict.toLowerCase()}`}>{VERDICT_WORDS[d.verdict as Verdict] ?? d.verdict}</span>
                  <span>{differenceSentence(d, 'This strategy', c.against.toLowerCase())}</span>
                </li>
              ))}
          </ul>
        ))}
      </div>
    </section>
  );
}

/** Collected share per band (and the whole list) over the key dates. */
function ShareChart({ strategy: s }: { strategy: StrategyResult }): ReactElement {
  const bands = [...new Set(s.keyDates.flatMap((k) => k.byBand.map((x) => x.priority)))].sort((x, y) => (x ?? 99) - (y ?? 99));
  const data = s.keyDates.map((k) => {
    const point: Record<string, string | number | null> = { asOf: k.asOf, list: k.list.collectedShare };
    for (const band of k.byBand) point[`band${band.priority}`] = band.figures.collectedShare;
    return point;
  });
  const ticks = shareTicks(Math.max(0, ...data.flatMap((p) => Object.values(p).filter((v): v is number => typeof v === 'number'))));
  return (
    <figure className="backtest-chart">
      <figcaption>Collected share within the horizon, per priority band, at each key date</figcaption>
      <div className="backtest-chart-box">
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={data} margin={{ top: 8, right: 24, bottom: 4, left: 4 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis dataKey="asOf" tickFormatter={(d: string) => d.slice(5)} stroke="var(--text-muted)" fontSize={12} />
            <YAxis
              ticks={ticks}
              domain={[0, ticks.at(-1)!]}
              tickFormatter={(v: number) => `${Math.round(v * 100)}%`}
              stroke="var(--text-muted)"
              fontSize={12}
              width={48}
            />
            <Tooltip formatter={(v) => percent(typeof v === 'number' ? v : null)} labelFormatter={(d) => formatAsOf(String(d))} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Line type="linear" dataKey="list" name="Whole list" stroke="var(--text)" strokeWidth={2.5} dot={{ r: 2 }} isAnimationActive={false} connectNulls />
            {bands.map((band) => (
              <Line
                key={String(band)}
                type="linear"
                dataKey={`band${band}`}
                name={`Band ${band}`}
                stroke={bandColour(band)}
                strokeWidth={1.5}
                dot={{ r: 2 }}
                isAnimationActive={false}
                connectNulls
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

const amountFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** A decimal string as the reader's number format (the currency is the card's, said once). */
const amount = (decimal: string) => amountFormat.format(Number(decimal));

/** Pooled over the key dates: the list, its bands, and the two baselines on the same partners. */
function FiguresTable({ strategy: s, backtest: b }: { strategy: StrategyResult; backtest: Backtest }): ReactElement {
  // A band is a slice of the ranking, not a ranking of its own: capture at capacity is shown for whole rankings only.
  const rows: Array<[string, StudioOutcomeFiguresFragment, string | undefined, boolean]> = [
    ['Whole list', s.pooled.list, 'is-total', true],
    ...s.pooled.byBand.map((x): [string, StudioOutcomeFiguresFragment, undefined, boolean] => [`Band ${x.priority ?? '–'}`, x.figures, undefined, false]),
    ['Oldest debt first', s.pooled.oldestDebtFirst, 'is-baseline', true],
    ['Largest amount first', s.pooled.largestAmountFirst, 'is-baseline', true],
  ];
  return (
    <>
      <p className="backtest-caption">
        Pooled over the {b.keyDates.length} key dates. The baselines rank the same partners by a rule of thumb: their sums are the list&apos;s; only the order
        differs, and with it capture at capacity and ranking quality. Collected counts every payment on the partners&apos; open items, including items not yet
        due, disputed or promised at the key date, so a share can pass 100%.
      </p>
      <div className="table-scroll">
        <table className="table backtest-table" aria-label={`Figures of ${s.label}`}>
          <thead>
            <tr>
              <th scope="col">Ranking</th>
              <th scope="col" className="num">
                Partners
              </th>
              <th scope="col" className="num">
                To collect ({s.currency})
              </th>
              <th scope="col" className="num">
                Collected ({s.currency})
              </th>
              <th scope="col" className="num" title={`Share that ${FIGURE_WORDS.collectedShare.meaning(b.horizonDays, b.capacity)}`}>
                Share
              </th>
              <th scope="col" className="num" title="Partners with something overdue whose overdue items were all paid or closed by the end of the horizon">
                Cured
              </th>
              <th scope="col" className="num" title="Partners with an item 1-89 days overdue that was 90+ days overdue and still open at the end">
                Rolled 90+
              </th>
              <th scope="col" className="num" title="Promises whose deadline fell in the horizon and that were broken">
                Broken
              </th>
              <th scope="col" className="num" title={`Share that ${FIGURE_WORDS.captureAtCapacity.meaning(b.horizonDays, b.capacity)}`}>
                Capture at k
              </th>
              <th scope="col" className="num" title={FIGURE_WORDS.auc.meaning(b.horizonDays, b.capacity)}>
                AUC
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([name, f, className, ranking]) => (
              <tr key={name} className={className}>
                <th scope="row">{name}</th>
                <td className="num">{f.partners.toLocaleString()}</td>
                <td className="num">{amount(f.toBeCollected)}</td>
                <td className="num">{amount(f.collected)}</td>
                <td className="num">{percent(f.collectedShare)}</td>
                <td className="num">{percent(f.cureRate)}</td>
                <td className="num">{percent(f.rollRate)}</td>
                <td className="num">{f.promisesBroken.toLocaleString()}</td>
                <td className="num" title={ranking ? undefined : 'A band is part of the ranking: capture at capacity is a figure of a whole ranking'}>
                  {ranking ? percent(f.captureAtCapacity) : '–'}
                </td>
                <td className="num">{ratio(f.auc)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
