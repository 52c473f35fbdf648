import type { ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsGroupBy } from '../../gql/graphql';
import { PromiseFunnel, SpecialistTable } from './AnalyticsCharts';
import { groupingFor, groupingLabel } from './analyticsParams';
import { ChartCard } from './ChartCard';
import { amountText, ChartBody, FigureTable, figureText, GroupName, tooltipNumber, type TabProps } from './common';
import type { CsvCell, CsvTable } from './csv';
import { ANALYTICS_PROMISES_GROUPED } from './queries';

const PROMISE_GROUPINGS: AnalyticsGroupBy[] = ['SPECIALIST', 'GROUP', 'LEVEL', 'SEGMENT', 'STRATEGY', 'COMPANY_CODE', 'PROFIT_CENTER', 'CURRENCY'];
const STACK = [
  ['kept', 'Kept', '#16a34a'],
  ['partiallyKept', 'Partially kept', '#ca8a04'],
  ['broken', 'Broken', '#dc2626'],
  ['open', 'Not judged yet', '#94a3b8'],
  ['cancelled', 'Cancelled', '#64748b'],
] as const;

/** Promises: the funnel, outcomes per unit of the grouping (promise level by default), the specialist table. */
export function PromisesTab(props: TabProps): ReactElement {
  return (
    <>
      <PromiseFunnel filter={props.filter} granularity={props.granularity} />
      <PromisesByUnit {...props} />
      <SpecialistTable filter={props.filter} granularity={props.granularity} />
    </>
  );
}

function PromisesByUnit({ filter, groupBy: chosen }: TabProps): ReactElement {
  const { groupBy, note } = groupingFor(chosen, PROMISE_GROUPINGS, 'LEVEL');
  const variables = { filter, groupBy };
  const result = useQuery(ANALYTICS_PROMISES_GROUPED, { variables });
  const report = result.data?.analyticsPromises;
  const rows = report?.rows ?? [];
  const name = (r: (typeof rows)[number]) => (groupBy === 'LEVEL' && r.group.key ? `Level ${r.group.key}` : (r.group.label ?? r.group.key ?? 'none'));
  const csv: CsvTable | null = report
    ? {
        header: [
          'groupKey',
          'group',
          'made',
          'madeAmount',
          'kept',
          'keptAmount',
          'partiallyKept',
          'partiallyKeptAmount',
          'broken',
          'brokenAmount',
          'open',
          'cancelled',
          'keptPercent',
          'promisedAmount',
          'paidAmount',
          'averageDaysLate',
        ],
        rows: rows.map((r): CsvCell[] => [
          r.group.key,
          r.group.label,
          r.made.count,
          r.made.amount,
          r.kept.count,
          r.kept.amount,
          r.partiallyKept.count,
          r.partiallyKept.amount,
          r.broken.count,
          r.broken.amount,
          r.open.count,
          r.cancelled.count,
          r.keptPercent,
          r.promisedAmount,
          r.paidAmount,
          r.averageDaysLate,
        ]),
      }
    : null;
  const data = rows.map((r) => ({ label: name(r), ...Object.fromEntries(STACK.map(([k]) => [k, r[k].count])) }));
  const title = 'Promises by unit';
  return (
    <ChartCard
      title={title}
      subtitle={`Promises made in the period per ${groupingLabel(groupBy)} and what became of them by ${report?.asOf ?? filter.to}; amounts in ${report?.currency ?? filter.currency}${note ? ` (${note})` : ''}`}
      name="promises-by-unit"
      csv={csv}
      query={ANALYTICS_PROMISES_GROUPED}
      variables={variables}
    >
      <ChartBody error={result.error} loading={result.loading} empty={rows.length === 0} emptyText="No promises in the period.">
        <ResponsiveContainer width="100%" height={Math.max(160, 34 * rows.length + 60)}>
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" stroke="var(--text-muted)" fontSize={12} allowDecimals={false} />
            <YAxis type="category" dataKey="label" stroke="var(--text-muted)" fontSize={12} width={150} interval={0} />
            <Tooltip formatter={tooltipNumber} />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
            {STACK.map(([k, label, colour]) => (
              <Bar key={k} dataKey={k} name={label} stackId="outcome" fill={colour} maxBarSize={28} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
        <FigureTable
          label={title}
          rows={rows}
          rowKey={(r) => r.group.key ?? 'none'}
          columns={[
            {
              header: groupingLabel(groupBy).replace(/^./, (c) => c.toUpperCase()),
              cell: (r) => (groupBy === 'LEVEL' ? name(r) : <GroupName group={r.group} />),
            },
            { header: 'Made', num: true, cell: (r) => r.made.count.toLocaleString() },
            { header: 'Kept', num: true, cell: (r) => r.kept.count.toLocaleString() },
            { header: 'Partially', num: true, cell: (r) => r.partiallyKept.count.toLocaleString() },
            { header: 'Broken', num: true, cell: (r) => r.broken.count.toLocaleString() },
            { header: 'Kept %', num: true, cell: (r) => figureText(r.keptPercent, '%') },
            { header: 'Promised', num: true, cell: (r) => amountText(r.promisedAmount) },
            { header: 'Paid', num: true, cell: (r) => amountText(r.paidAmount) },
            { header: 'Days late', num: true, cell: (r) => figureText(r.averageDaysLate) },
          ]}
        />
      </ChartBody>
    </ChartCard>
  );
}
