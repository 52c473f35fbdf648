import type { ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsFilter, AnalyticsGranularity, StudioAnalyticsKpisQuery, StudioPromiseFiguresFragment } from '../../gql/graphql';
import { ChartCard } from './ChartCard';
import { comparisonPeriod, unitDays } from './analyticsParams';
import { amountFormat, bucketLabel, compactFormat, Loading, numberFormat, plot, Problem } from './common';
import type { CsvCell, CsvTable } from './csv';
import { ANALYTICS_KPIS, ANALYTICS_PROMISES, ANALYTICS_SPECIALIST_CEI, ANALYTICS_SPECIALIST_PROMISES } from './queries';

type KpiBucket = StudioAnalyticsKpisQuery['analyticsKpis']['series'][number]['buckets'][number];

const AGEING_COLOURS = ['#16a34a', '#ca8a04', '#ea580c', '#dc2626', '#7f1d1d', '#581c87'];

interface ChartProps {
  filter: AnalyticsFilter;
  granularity: AnalyticsGranularity;
}

const KPIS = [
  { key: 'dsoAverage', label: 'DSO', unit: 'days', colour: '#2563eb', better: 'lower', meaning: 'Days sales outstanding: closing receivables / sales × days' },
  {
    key: 'add',
    label: 'ADD',
    unit: 'days',
    colour: '#ea580c',
    better: 'lower',
    meaning: 'Average days delinquent: days beyond terms of the payments, weighted by amount',
  },
  {
    key: 'cei',
    label: 'CEI',
    unit: '%',
    colour: '#16a34a',
    better: 'higher',
    meaning: 'Collection effectiveness index: share of what could be collected that was',
  },
] as const;

/** The latest value minus the compared one, rounded to 2 decimals (both are 2-decimal strings). */
function change(latest: string | null | undefined, previous: string | null | undefined): number | null {
  if (latest === null || latest === undefined || previous === null || previous === undefined) return null;
  return Math.round(Number(latest) * 100 - Number(previous) * 100) / 100;
}

/** The latest bucket's span as the tile says it: "2026-12: 6 of 31 days" when it is cut short. */
function bucketSpan(b: KpiBucket, granularity: AnalyticsGranularity): string {
  const whole = unitDays(b.start, granularity);
  return b.days < whole ? `${bucketLabel(b.start, granularity)}: ${b.days} of ${whole} days` : bucketLabel(b.start, granularity);
}

/** KPI tiles with their trend (like for like), the KPIs over time and the ageing bars. */
export function KpiSection({ filter, granularity }: ChartProps): ReactElement {
  const variables = { filter, granularity };
  const result = useQuery(ANALYTICS_KPIS, { variables });
  const buckets = result.data?.analyticsKpis.series[0]?.buckets ?? [];
  const latest = buckets.at(-1);
  const period = latest ? comparisonPeriod(latest, granularity) : null;
  // The comparison is the same report over the compared days: one bucket, the same slice and currency.
  const compared = useQuery(ANALYTICS_KPIS, {
    variables: { filter: { ...filter, from: period?.from ?? filter.from, to: period?.to ?? filter.to }, granularity },
    skip: !period,
  });
  const previous = compared.data?.analyticsKpis.series[0]?.buckets.at(-1);
  const csv: CsvTable | null = result.data
    ? {
        header: ['start', 'end', 'dsoAverage', 'dsoCountBack', 'add', 'cei'],
        rows: buckets.map((b) => [b.start, b.end, b.dsoAverage, b.dsoCountBack, b.add, b.cei]),
      }
    : null;
  return (
    <>
      <div className="figures figures-3 analytics-tiles" aria-label="Key figures">
        {KPIS.map((k) => {
          const value = latest?.[k.key];
          const delta = change(value, previous?.[k.key]);
          const good = delta === null || delta === 0 ? 'flat' : delta < 0 === (k.better === 'lower') ? 'good' : 'bad';
          return (
            <div key={k.key} className="card figure" title={k.meaning} aria-label={`${k.label} tile`}>
              <span className="figure-label">
                {k.label}
                {latest && <span className="muted analytics-tile-span"> · {bucketSpan(latest, granularity)}</span>}
              </span>
              <span className="figure-value" data-testid={`kpi-${k.key}`}>
                {result.loading ? '…' : value === null || value === undefined ? '–' : numberFormat.format(Number(value))}
                <span className="analytics-unit">{k.unit}</span>
              </span>
              <span className={`figure-foot analytics-trend is-${good}`} data-testid={`kpi-${k.key}-trend`}>
                {!period
                  ? 'no like-for-like period to compare'
                  : compared.loading
                    ? '…'
                    : delta === null
                      ? `no figure for ${period.label}`
                      : `${delta > 0 ? '▲ +' : delta < 0 ? '▼ ' : '■ '}${numberFormat.format(delta)} vs ${period.label}`}
              </span>
            </div>
          );
        })}
      </div>
      <ChartCard
        title="KPIs over time"
        subtitle={`DSO and ADD in days (left), CEI in % (right), per ${granularity === 'MONTH' ? 'month' : 'week'}`}
        name="kpis"
        csv={csv}
        query={ANALYTICS_KPIS}
        variables={variables}
      >
        {result.error ? <Problem error={result.error} /> : result.loading ? <Loading /> : <KpiLines buckets={buckets} granularity={granularity} />}
      </ChartCard>
      <AgeingBars report={result.data?.analyticsKpis} loading={result.loading} error={result.error} variables={variables} granularity={granularity} />
    </>
  );
}

function KpiLines({ buckets, granularity }: { buckets: KpiBucket[]; granularity: AnalyticsGranularity }): ReactElement {
  const data = buckets.map((b) => ({ label: bucketLabel(b.start, granularity), dsoAverage: plot(b.dsoAverage), add: plot(b.add), cei: plot(b.cei) }));
  return (
    <ResponsiveContainer width="100%" height={280}>
      <LineChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 4 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis dataKey="label" stroke="var(--text-muted)" fontSize={12} />
        <YAxis yAxisId="days" stroke="var(--text-muted)" fontSize={12} width={48} />
        <YAxis yAxisId="pct" orientation="right" stroke="var(--text-muted)" fontSize={12} width={48} tickFormatter={(v: number) => `${v}%`} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? numberFormat.format(v) : '–')} />
        <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
        {KPIS.map((k) => (
          <Line
            key={k.key}
            yAxisId={k.unit === '%' ? 'pct' : 'days'}
            type="linear"
            dataKey={k.key}
            name={`${k.label} (${k.unit})`}
            stroke={k.colour}
            strokeWidth={2}
            dot={{ r: 2.5 }}
            isAnimationActive={false}
            connectNulls
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

/** Closing receivables by ageing bucket at the end of each time bucket, stacked. */
function AgeingBars({
  report,
  loading,
  error,
  variables,
  granularity,
}: {
  report: StudioAnalyticsKpisQuery['analyticsKpis'] | undefined;
  loading: boolean;
  error: unknown;
  variables: ChartProps;
  granularity: AnalyticsGranularity;
}): ReactElement {
  const names = report?.ageingBuckets ?? [];
  const buckets = report?.series[0]?.buckets ?? [];
  const amountIn = (b: KpiBucket, name: string) => b.ageing.find((a) => a.bucket === name)?.amount ?? '0';
  const csv: CsvTable | null = report
    ? { header: ['start', 'end', ...names], rows: buckets.map((b): CsvCell[] => [b.start, b.end, ...names.map((n) => amountIn(b, n))]) }
    : null;
  const data = buckets.map((b) => Object.fromEntries([['label', bucketLabel(b.start, granularity)], ...names.map((n, i) => [`b${i}`, plot(amountIn(b, n))])]));
  return (
    <ChartCard
      title="Open items by ageing"
      subtitle={`Receivables open at the end of each ${granularity === 'MONTH' ? 'month' : 'week'} by days overdue, in ${report?.currency ?? variables.filter.currency}`}
      name="ageing"
      csv={csv}
      query={ANALYTICS_KPIS}
      variables={variables}
    >
      {error ? (
        <Problem error={error} />
      ) : loading ? (
        <Loading />
      ) : (
        <ResponsiveContainer width="100%" height={300}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 4 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" stroke="var(--text-muted)" fontSize={12} />
            <YAxis stroke="var(--text-muted)" fontSize={12} width={56} tickFormatter={(v: number) => compactFormat.format(v)} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? amountFormat.format(v) : '–')} />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
            {names.map((n, i) => (
              <Bar key={n} dataKey={`b${i}`} name={n} stackId="ageing" fill={AGEING_COLOURS[i % AGEING_COLOURS.length]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartCard>
  );
}

const OUTCOMES = [
  ['made', 'Made', '#2563eb'],
  ['kept', 'Kept', '#16a34a'],
  ['partiallyKept', 'Partially kept', '#ca8a04'],
  ['broken', 'Broken', '#dc2626'],
  ['open', 'Not judged yet', '#94a3b8'],
  ['cancelled', 'Cancelled', '#64748b'],
] as const;

/** Promises made in the period and what became of them by its last day. */
export function PromiseFunnel({ filter }: ChartProps): ReactElement {
  const variables = { filter };
  const result = useQuery(ANALYTICS_PROMISES, { variables });
  const report = result.data?.analyticsPromises;
  const row = report?.rows[0];
  const csv: CsvTable | null = report
    ? { header: ['outcome', 'count', 'amount'], rows: row ? OUTCOMES.map(([key]) => [key, row[key].count, row[key].amount]) : [] }
    : null;
  const data = row ? OUTCOMES.map(([key, label, colour]) => ({ label, count: row[key].count, colour })) : [];
  return (
    <ChartCard
      title="Promise funnel"
      subtitle={
        report
          ? `Promises made in the period, judged on ${report.asOf}${row?.keptPercent ? `: ${numberFormat.format(Number(row.keptPercent))}% of the judged ones kept` : ''}`
          : 'Promises made in the period and their outcomes'
      }
      name="promises"
      csv={csv}
      query={ANALYTICS_PROMISES}
      variables={variables}
    >
      {result.error ? (
        <Problem error={result.error} />
      ) : result.loading ? (
        <Loading />
      ) : data.length === 0 ? (
        <p className="muted analytics-loading">No promises in the period.</p>
      ) : (
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 56, bottom: 4, left: 8 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" stroke="var(--text-muted)" fontSize={12} allowDecimals={false} />
            <YAxis type="category" dataKey="label" stroke="var(--text-muted)" fontSize={12} width={110} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? numberFormat.format(v) : '–')} />
            <Bar dataKey="count" name="Promises" isAnimationActive={false} fill="#2563eb" minPointSize={2}>
              {data.map((d) => (
                <Cell key={d.label} fill={d.colour} />
              ))}
              <LabelList dataKey="count" position="right" fontSize={12} fill="var(--text)" />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartCard>
  );
}

type PromiseRow = StudioPromiseFiguresFragment;

/** Per specialist: promises made, kept, partially kept, broken, and their CEI per bucket as a sparkline. */
export function SpecialistTable({ filter, granularity }: ChartProps): ReactElement {
  const promiseVariables = { filter };
  const ceiVariables = { filter, granularity };
  const promises = useQuery(ANALYTICS_SPECIALIST_PROMISES, { variables: promiseVariables });
  const cei = useQuery(ANALYTICS_SPECIALIST_CEI, { variables: ceiVariables });
  const rows: PromiseRow[] = promises.data?.analyticsPromises.rows ?? [];
  const series = new Map((cei.data?.analyticsKpis.series ?? []).map((s) => [s.group.key, s.buckets]));
  const starts = cei.data?.analyticsKpis.series[0]?.buckets.map((b) => b.start) ?? [];
  const ceiOf = (key: string | null | undefined, start: string) => series.get(key ?? null)?.find((b) => b.start === start)?.cei ?? null;
  const csv: CsvTable | null =
    promises.data && cei.data
      ? {
          header: [
            'specialistId',
            'specialist',
            'made',
            'kept',
            'partiallyKept',
            'broken',
            'keptPercent',
            'promisedAmount',
            'paidAmount',
            ...starts.map((s) => `cei ${s}`),
          ],
          rows: rows.map((r): CsvCell[] => [
            r.group.key,
            r.group.label,
            r.made.count,
            r.kept.count,
            r.partiallyKept.count,
            r.broken.count,
            r.keptPercent,
            r.promisedAmount,
            r.paidAmount,
            ...starts.map((s) => ceiOf(r.group.key, s)),
          ]),
        }
      : null;
  const error = promises.error ?? cei.error;
  const currency = promises.data?.analyticsPromises.currency ?? filter.currency;
  return (
    <ChartCard
      title="Specialists"
      subtitle={`Promises made in the period per specialist (amounts in ${currency}), and the CEI of their partners per ${granularity === 'MONTH' ? 'month' : 'week'}`}
      name="specialists"
      csv={csv}
      query={ANALYTICS_SPECIALIST_PROMISES}
      variables={promiseVariables}
    >
      {error ? (
        <Problem error={error} />
      ) : promises.loading || cei.loading ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p className="muted analytics-loading">No promises in the period.</p>
      ) : (
        <div className="table-scroll">
          <table className="table analytics-specialists" aria-label="Specialists">
            <thead>
              <tr>
                <th scope="col">Specialist</th>
                <th scope="col" className="num">
                  Made
                </th>
                <th scope="col" className="num">
                  Kept
                </th>
                <th scope="col" className="num">
                  Partially
                </th>
                <th scope="col" className="num">
                  Broken
                </th>
                <th scope="col" className="num">
                  Kept %
                </th>
                <th scope="col" className="num">
                  Promised
                </th>
                <th scope="col" className="num">
                  Paid
                </th>
                <th scope="col">CEI trend</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.group.key ?? 'none'}>
                  <th scope="row">{r.group.label ?? <span className="muted">No specialist</span>}</th>
                  <td className="num">{r.made.count.toLocaleString()}</td>
                  <td className="num">{r.kept.count.toLocaleString()}</td>
                  <td className="num">{r.partiallyKept.count.toLocaleString()}</td>
                  <td className="num">{r.broken.count.toLocaleString()}</td>
                  <td className="num">{r.keptPercent === null || r.keptPercent === undefined ? '–' : `${numberFormat.format(Number(r.keptPercent))}%`}</td>
                  <td className="num">{amountFormat.format(Number(r.promisedAmount))}</td>
                  <td className="num">{amountFormat.format(Number(r.paidAmount))}</td>
                  <td className="analytics-spark">
                    <Sparkline values={starts.map((s) => plot(ceiOf(r.group.key, s)))} label={`CEI of ${r.group.label ?? 'no specialist'}`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </ChartCard>
  );
}

function Sparkline({ values, label }: { values: Array<number | null>; label: string }): ReactElement {
  const last = values.filter((v): v is number => v !== null).at(-1);
  return (
    <span className="analytics-sparkline" role="img" aria-label={`${label}: ${values.map((v) => (v === null ? '–' : numberFormat.format(v))).join(', ')}`}>
      <LineChart width={84} height={28} data={values.map((v, i) => ({ i, v }))} margin={{ top: 3, right: 3, bottom: 3, left: 3 }}>
        <YAxis hide domain={['dataMin', 'dataMax']} />
        <Line type="linear" dataKey="v" stroke="#16a34a" strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls />
      </LineChart>
      <span className="analytics-spark-last">{last === undefined ? '–' : `${numberFormat.format(last)}%`}</span>
    </span>
  );
}
