import type { ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsGroupBy } from '../../gql/graphql';
import { KpiSection } from './AnalyticsCharts';
import { groupingFor, groupingLabel } from './analyticsParams';
import { ChartCard } from './ChartCard';
import { amountText, ChartBody, compactFormat, FigureTable, GroupName, plot, tooltipAmount, type TabProps } from './common';
import type { CsvCell, CsvTable } from './csv';
import { ANALYTICS_OPEN_ITEMS } from './queries';

const AGEING_COLOURS = ['#16a34a', '#ca8a04', '#ea580c', '#dc2626', '#7f1d1d', '#581c87'];
const OPEN_ITEMS_GROUPINGS: AnalyticsGroupBy[] = ['COMPANY_CODE', 'SEGMENT', 'GROUP', 'SPECIALIST', 'STRATEGY', 'PROFIT_CENTER', 'CURRENCY'];

/** Overview: the KPI tiles and series, ageing over time, open items by organisational unit. */
export function OverviewTab(props: TabProps): ReactElement {
  return (
    <>
      <KpiSection filter={props.filter} granularity={props.granularity} />
      <OpenItemsByUnit {...props} />
    </>
  );
}

/** Open and overdue amounts at the key date (filter.to) per unit of the grouping, by ageing bucket. */
function OpenItemsByUnit({ filter, groupBy: chosen }: TabProps): ReactElement {
  const { groupBy, note } = groupingFor(chosen, OPEN_ITEMS_GROUPINGS, 'SEGMENT');
  const variables = { filter, groupBy };
  const result = useQuery(ANALYTICS_OPEN_ITEMS, { variables });
  const report = result.data?.analyticsOpenItems;
  const names = report?.ageingBuckets ?? [];
  const rows = report?.rows ?? [];
  type Row = (typeof rows)[number];
  const amountIn = (r: Row, name: string) => r.ageing.find((a) => a.bucket === name)?.amount ?? '0';
  const csv: CsvTable | null = report
    ? {
        header: ['groupKey', 'group', 'partners', 'openItems', 'openAmount', 'overdueItems', 'overdueAmount', ...names],
        rows: rows.map((r): CsvCell[] => [
          r.group.key,
          r.group.label,
          r.partners,
          r.openItems,
          r.openAmount,
          r.overdueItems,
          r.overdueAmount,
          ...names.map((n) => amountIn(r, n)),
        ]),
      }
    : null;
  const data = rows.map((r) =>
    Object.fromEntries([['label', r.group.label ?? r.group.key ?? 'none'], ...names.map((n, i) => [`b${i}`, plot(amountIn(r, n))])]),
  );
  const title = 'Open items by unit';
  return (
    <ChartCard
      title={title}
      subtitle={`Open receivables on ${report?.asOf ?? filter.to} per ${groupingLabel(groupBy)} by days overdue, in ${report?.currency ?? filter.currency}${note ? ` (${note})` : ''}${report && report.totalGroups > rows.length ? `; the first ${rows.length} of ${report.totalGroups}` : ''}`}
      name="open-items"
      csv={csv}
      query={ANALYTICS_OPEN_ITEMS}
      variables={variables}
    >
      <ChartBody error={result.error} loading={result.loading} empty={rows.length === 0} emptyText="No open items at the key date.">
        <ResponsiveContainer width="100%" height={Math.max(160, 34 * rows.length + 60)}>
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" stroke="var(--text-muted)" fontSize={12} tickFormatter={(v: number) => compactFormat.format(v)} />
            <YAxis type="category" dataKey="label" stroke="var(--text-muted)" fontSize={12} width={150} interval={0} />
            <Tooltip formatter={tooltipAmount} />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
            {names.map((n, i) => (
              <Bar
                key={n}
                dataKey={`b${i}`}
                name={n}
                stackId="ageing"
                fill={AGEING_COLOURS[i % AGEING_COLOURS.length]}
                maxBarSize={28}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
        <FigureTable
          label={title}
          rows={rows}
          rowKey={(r) => r.group.key ?? 'none'}
          columns={[
            { header: groupingLabel(groupBy).replace(/^./, (c) => c.toUpperCase()), cell: (r) => <GroupName group={r.group} /> },
            { header: 'Partners', num: true, cell: (r) => r.partners.toLocaleString() },
            { header: 'Open items', num: true, cell: (r) => r.openItems.toLocaleString() },
            { header: 'Open amount', num: true, cell: (r) => amountText(r.openAmount) },
            { header: 'Overdue items', num: true, cell: (r) => r.overdueItems.toLocaleString() },
            { header: 'Overdue amount', num: true, cell: (r) => amountText(r.overdueAmount) },
          ]}
        />
      </ChartBody>
    </ChartCard>
  );
}
