import type { ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsGroupBy, StudioAnalyticsWorklistsQuery } from '../../gql/graphql';
import { sumAmounts } from '../../lib/money';
import { groupingFor, groupingLabel } from './analyticsParams';
import { ChartCard } from './ChartCard';
import { amountText, ChartBody, FigureTable, figureText, GroupName, PALETTE, Tiles, tooltipNumber, type TabProps } from './common';
import type { CsvCell, CsvTable } from './csv';
import { ANALYTICS_WORKLISTS } from './queries';

const WORKLIST_GROUPINGS: AnalyticsGroupBy[] = ['SPECIALIST', 'GROUP', 'SEGMENT', 'STRATEGY'];
const WITHIN_COLOURS: Record<number, string> = { 1: '#dc2626', 3: '#ca8a04', 7: '#16a34a' };
type RunRow = StudioAnalyticsWorklistsQuery['analyticsWorklists']['rows'][number];

const runLabel = (r: RunRow) => `${r.asOf.slice(5)} ${r.segment}`;
const within = (r: RunRow, days: number) => r.within.find((w) => w.days === days);
/** Worked / partners in percent with 2 decimals, from whole counts; null without partners. */
const percent = (worked: number, partners: number) => (partners === 0 ? null : (Math.round((worked * 10000) / partners) / 100).toFixed(2));

/** Worklists: partners and amounts per run and band, share worked within 1, 3 and 7 days, work per unit (specialist by default). */
export function WorklistsTab(props: TabProps): ReactElement {
  const variables = { filter: props.filter, groupBy: null };
  const result = useQuery(ANALYTICS_WORKLISTS, { variables });
  const report = result.data?.analyticsWorklists;
  const runs = [...(report?.rows ?? [])].sort((a, b) => a.asOf.localeCompare(b.asOf) || a.segment.localeCompare(b.segment));
  const priorities = [...new Set(runs.flatMap((r) => r.bands.map((b) => b.priority)))].sort((a, b) => a - b);
  const days = [...new Set(runs.flatMap((r) => r.within.map((w) => w.days)))].sort((a, b) => a - b);
  const currency = report?.currency ?? props.filter.currency;
  const partners = runs.reduce((n, r) => n + r.partners, 0);
  const loading = result.loading;

  const bandsCsv: CsvTable | null = report
    ? {
        header: ['runId', 'asOf', 'segment', 'priority', 'partners', 'amountToBeCollected', 'completed', 'reassigned'],
        rows: runs.flatMap((r) =>
          r.bands.map((b): CsvCell[] => [r.runId, r.asOf, r.segment, b.priority, b.partners, b.amountToBeCollected, b.completed, b.reassigned]),
        ),
      }
    : null;
  const bandData = runs.map((r) => ({
    label: runLabel(r),
    ...Object.fromEntries(priorities.map((p) => [`p${p}`, r.bands.find((b) => b.priority === p)?.partners ?? 0])),
  }));
  const withinCsv: CsvTable | null = report
    ? {
        header: ['runId', 'asOf', 'segment', 'partners', 'days', 'worked', 'workedPercent', 'contacted', 'promised', 'disputed', 'resubmitted'],
        rows: runs.flatMap((r) =>
          r.within.map((w): CsvCell[] => [
            r.runId,
            r.asOf,
            r.segment,
            r.partners,
            w.days,
            w.worked,
            w.workedPercent,
            w.contacted,
            w.promised,
            w.disputed,
            w.resubmitted,
          ]),
        ),
      }
    : null;
  const withinData = runs.map((r) => ({
    label: runLabel(r),
    ...Object.fromEntries(days.map((d) => [`d${d}`, within(r, d)?.workedPercent == null ? null : Number(within(r, d)!.workedPercent)])),
  }));
  return (
    <>
      <Tiles
        label="Worklist figures"
        tiles={[
          {
            label: 'Partners on the lists',
            value: loading ? '…' : partners.toLocaleString(),
            foot: `in ${runs.length} live run${runs.length === 1 ? '' : 's'} of the period`,
            testId: 'worklists-partners',
          },
          {
            label: 'Amount to collect',
            value: loading ? '…' : amountText(sumAmounts(runs.map((r) => r.amountToBeCollected))),
            foot: `${currency}, over all runs`,
          },
          ...[1, 7].map((d) => ({
            label: `Worked within ${d} day${d === 1 ? '' : 's'}`,
            value: loading
              ? '…'
              : figureText(
                  percent(
                    runs.reduce((n, r) => n + (within(r, d)?.worked ?? 0), 0),
                    partners,
                  ),
                  '%',
                ),
            foot: 'contact, promise, dispute or resubmission',
          })),
        ]}
      />
      <ChartCard
        title="Partners on the list per run and band"
        subtitle={`Each live run of the period (key date, segment) by priority band; amounts per band in ${currency} in the CSV`}
        name="worklist-bands"
        csv={bandsCsv}
        query={ANALYTICS_WORKLISTS}
        variables={variables}
      >
        <ChartBody error={result.error} loading={loading} empty={runs.length === 0} emptyText="No live runs with a key date in the period.">
          <ResponsiveContainer width="100%" height={280}>
            <BarChart data={bandData} margin={{ top: 8, right: 8, bottom: 4, left: 4 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" stroke="var(--text-muted)" fontSize={12} />
              <YAxis stroke="var(--text-muted)" fontSize={12} width={48} allowDecimals={false} />
              <Tooltip formatter={tooltipNumber} />
              <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
              {priorities.map((p, i) => (
                <Bar
                  key={p}
                  dataKey={`p${p}`}
                  name={`Priority ${p}`}
                  stackId="band"
                  fill={PALETTE[i % PALETTE.length]}
                  maxBarSize={72}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </ChartBody>
      </ChartCard>
      <ChartCard
        title="Share worked within 1, 3 and 7 days"
        subtitle="Per run: partners on the list that got a contact, promise, dispute or resubmission within so many days of the key date"
        name="worklist-worked-within"
        csv={withinCsv}
        query={ANALYTICS_WORKLISTS}
        variables={variables}
      >
        <ChartBody error={result.error} loading={loading} empty={runs.length === 0} emptyText="No live runs with a key date in the period.">
          <ResponsiveContainer width="100%" height={260}>
            <BarChart data={withinData} margin={{ top: 8, right: 8, bottom: 4, left: 4 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" stroke="var(--text-muted)" fontSize={12} />
              <YAxis stroke="var(--text-muted)" fontSize={12} width={48} domain={[0, 100]} tickFormatter={(v: number) => `${v}%`} />
              <Tooltip formatter={(v) => (typeof v === 'number' ? `${v}%` : '–')} />
              <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
              {days.map((d) => (
                <Bar
                  key={d}
                  dataKey={`d${d}`}
                  name={`Within ${d} day${d === 1 ? '' : 's'}`}
                  fill={WITHIN_COLOURS[d] ?? '#2563eb'}
                  maxBarSize={36}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </ChartBody>
      </ChartCard>
      <WorkByUnit {...props} />
    </>
  );
}

interface UnitFigures {
  key: string | null;
  label: string | null;
  runs: number;
  partners: number;
  amounts: string[];
  completed: number;
  reassigned: number;
  worked: Map<number, number>;
}

/** Per unit, summed over the period's runs: partners, amount, completed, reassigned and worked within 1/3/7 days. */
function WorkByUnit({ filter, groupBy: chosen }: TabProps): ReactElement {
  const { groupBy, note } = groupingFor(chosen, WORKLIST_GROUPINGS, 'SPECIALIST');
  const variables = { filter, groupBy };
  const result = useQuery(ANALYTICS_WORKLISTS, { variables });
  const report = result.data?.analyticsWorklists;
  const units = new Map<string, UnitFigures>();
  for (const r of report?.rows ?? []) {
    const id = r.group.key ?? '';
    const u: UnitFigures = units.get(id) ?? {
      key: r.group.key ?? null,
      label: r.group.label ?? null,
      runs: 0,
      partners: 0,
      amounts: [],
      completed: 0,
      reassigned: 0,
      worked: new Map(),
    };
    u.runs += 1;
    u.partners += r.partners;
    u.amounts.push(r.amountToBeCollected);
    u.completed += r.completed;
    u.reassigned += r.reassigned;
    for (const w of r.within) u.worked.set(w.days, (u.worked.get(w.days) ?? 0) + w.worked);
    units.set(id, u);
  }
  const rows = [...units.values()];
  const days = [...new Set(rows.flatMap((u) => [...u.worked.keys()]))].sort((a, b) => a - b);
  const csv: CsvTable | null = report
    ? {
        header: [
          'groupKey',
          'group',
          'runs',
          'partners',
          'amountToBeCollected',
          'completed',
          'reassigned',
          ...days.flatMap((d) => [`worked${d}d`, `worked${d}dPercent`]),
        ],
        rows: rows.map((u): CsvCell[] => [
          u.key,
          u.label,
          u.runs,
          u.partners,
          sumAmounts(u.amounts),
          u.completed,
          u.reassigned,
          ...days.flatMap((d) => [u.worked.get(d) ?? 0, percent(u.worked.get(d) ?? 0, u.partners)]),
        ]),
      }
    : null;
  const title = 'Work by unit';
  return (
    <ChartCard
      title={title}
      subtitle={`Per ${groupingLabel(groupBy)}${groupBy === 'SPECIALIST' ? ' (the item’s)' : ''}, summed over the period’s live runs, with the share worked within 1, 3 and 7 days; amounts in ${report?.currency ?? filter.currency}${note ? ` (${note})` : ''}${report && report.totalRows > (report.rows.length ?? 0) ? `; the first ${report.rows.length} of ${report.totalRows} rows` : ''}`}
      name="worklists-by-unit"
      csv={csv}
      query={ANALYTICS_WORKLISTS}
      variables={variables}
    >
      <ChartBody error={result.error} loading={result.loading} empty={rows.length === 0} emptyText="No live runs with a key date in the period.">
        <FigureTable
          label={title}
          rows={rows}
          rowKey={(u) => u.key ?? 'none'}
          columns={[
            {
              header: groupingLabel(groupBy).replace(/^./, (c) => c.toUpperCase()),
              cell: (u) => <GroupName group={u} none={groupBy === 'SPECIALIST' ? 'Unassigned' : 'None'} />,
            },
            { header: 'Runs', num: true, cell: (u) => u.runs.toLocaleString() },
            { header: 'Partners', num: true, cell: (u) => u.partners.toLocaleString() },
            { header: 'To collect', num: true, cell: (u) => amountText(sumAmounts(u.amounts)) },
            { header: 'Completed', num: true, cell: (u) => u.completed.toLocaleString() },
            { header: 'Reassigned', num: true, cell: (u) => u.reassigned.toLocaleString() },
            ...days.map((d) => ({
              header: `≤ ${d} day${d === 1 ? '' : 's'}`,
              num: true,
              cell: (u: UnitFigures) => figureText(percent(u.worked.get(d) ?? 0, u.partners), '%'),
            })),
          ]}
        />
      </ChartBody>
    </ChartCard>
  );
}
