import type { ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsGroupBy, StudioAnalyticsDisputesQuery } from '../../gql/graphql';
import { groupingFor, groupingLabel } from './analyticsParams';
import { ChartCard } from './ChartCard';
import {
  amountText,
  bucketLabel,
  ChartBody,
  compactFormat,
  FigureTable,
  figureText,
  GroupName,
  keyWords,
  plot,
  Tiles,
  tooltipNumber,
  type TabProps,
} from './common';
import type { CsvTable } from './csv';
import { ANALYTICS_DISPUTES } from './queries';

const DISPUTE_GROUPINGS: AnalyticsGroupBy[] = ['SEGMENT', 'GROUP', 'SPECIALIST', 'STRATEGY', 'COMPANY_CODE', 'PROFIT_CENTER', 'CURRENCY'];
type Series = StudioAnalyticsDisputesQuery['analyticsDisputes']['series'][number];
type Breakdown = Series['byResolution'][number];

const opened = (s: Series) => s.buckets.reduce((n, b) => n + b.opened, 0);

/** Disputes: opened and resolved over time with the disputed amount, resolutions, root causes, days to resolve, per unit. */
export function DisputesTab(props: TabProps): ReactElement {
  const { filter, granularity } = props;
  const variables = { filter, granularity, groupBy: null };
  const result = useQuery(ANALYTICS_DISPUTES, { variables });
  const report = result.data?.analyticsDisputes;
  const series = report?.series[0];
  const buckets = series?.buckets ?? [];
  const currency = report?.currency ?? filter.currency;
  const unit = granularity === 'MONTH' ? 'month' : 'week';
  const overTime: CsvTable | null = report
    ? {
        header: ['start', 'end', 'opened', 'openedAmount', 'resolved', 'resolvedAmount', 'averageDaysToResolve', 'openAtEnd', 'disputedAmountAtEnd'],
        rows: buckets.map((b) => [
          b.start,
          b.end,
          b.opened,
          b.openedAmount,
          b.resolved,
          b.resolvedAmount,
          b.averageDaysToResolve,
          b.openAtEnd,
          b.disputedAmountAtEnd,
        ]),
      }
    : null;
  const data = buckets.map((b) => ({
    label: bucketLabel(b.start, granularity),
    opened: b.opened,
    resolved: b.resolved,
    disputed: plot(b.disputedAmountAtEnd),
    days: plot(b.averageDaysToResolve),
  }));
  const loading = result.loading;
  return (
    <>
      <Tiles
        label="Dispute figures"
        tiles={[
          {
            label: 'Opened',
            value: loading ? '…' : series ? opened(series).toLocaleString() : '0',
            foot: 'disputes opened in the period',
            testId: 'disputes-opened',
          },
          { label: 'Resolved', value: loading ? '…' : (series?.resolved.toLocaleString() ?? '0'), foot: `${amountText(series?.resolvedAmount)} ${currency}` },
          { label: 'Days to resolve', value: loading ? '…' : figureText(series?.averageDaysToResolve), foot: 'average over the resolved ones' },
          {
            label: 'Disputed at the end',
            value: loading ? '…' : amountText(buckets.at(-1)?.disputedAmountAtEnd),
            foot: `${currency}, ${buckets.at(-1)?.openAtEnd.toLocaleString() ?? 0} disputes open`,
          },
        ]}
      />
      <ChartCard
        title="Disputes over time"
        subtitle={`Opened and resolved per ${unit} (left), disputed amount open at each ${unit}’s end in ${currency} (right)`}
        name="disputes-over-time"
        csv={overTime}
        query={ANALYTICS_DISPUTES}
        variables={variables}
      >
        <ChartBody error={result.error} loading={loading} empty={buckets.length === 0} emptyText="No disputes in the period.">
          <ResponsiveContainer width="100%" height={280}>
            <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 4 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" stroke="var(--text-muted)" fontSize={12} />
              <YAxis yAxisId="count" stroke="var(--text-muted)" fontSize={12} width={48} allowDecimals={false} />
              <YAxis
                yAxisId="amount"
                orientation="right"
                stroke="var(--text-muted)"
                fontSize={12}
                width={56}
                tickFormatter={(v: number) => compactFormat.format(v)}
              />
              <Tooltip formatter={tooltipNumber} />
              <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
              <Bar yAxisId="count" dataKey="opened" name="Opened" fill="#ea580c" isAnimationActive={false} />
              <Bar yAxisId="count" dataKey="resolved" name="Resolved" fill="#16a34a" isAnimationActive={false} />
              <Line
                yAxisId="amount"
                type="linear"
                dataKey="disputed"
                name={`Disputed at end (${currency})`}
                stroke="#9333ea"
                strokeWidth={2}
                dot={{ r: 2.5 }}
                isAnimationActive={false}
              />
            </ComposedChart>
          </ResponsiveContainer>
        </ChartBody>
      </ChartCard>
      <div className="analytics-grid">
        <BreakdownChart
          title="Resolved by resolution"
          name="disputes-by-resolution"
          rows={series?.byResolution ?? []}
          currency={currency}
          result={{ loading, error: result.error, ready: !!report }}
          variables={variables}
        />
        <BreakdownChart
          title="Resolved by root cause"
          name="disputes-by-root-cause"
          rows={series?.byRootCause ?? []}
          currency={currency}
          result={{ loading, error: result.error, ready: !!report }}
          variables={variables}
        />
      </div>
      <ChartCard
        title="Days to resolve"
        subtitle={`Average days from opening to resolution of the disputes resolved in each ${unit}`}
        name="disputes-days-to-resolve"
        csv={
          report
            ? { header: ['start', 'end', 'resolved', 'averageDaysToResolve'], rows: buckets.map((b) => [b.start, b.end, b.resolved, b.averageDaysToResolve]) }
            : null
        }
        query={ANALYTICS_DISPUTES}
        variables={variables}
      >
        <ChartBody error={result.error} loading={loading} empty={buckets.length === 0} emptyText="No disputes in the period.">
          <ResponsiveContainer width="100%" height={200}>
            <LineChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 4 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
              <XAxis dataKey="label" stroke="var(--text-muted)" fontSize={12} />
              <YAxis stroke="var(--text-muted)" fontSize={12} width={48} />
              <Tooltip formatter={tooltipNumber} />
              <Line
                type="linear"
                dataKey="days"
                name="Days to resolve"
                stroke="#0891b2"
                strokeWidth={2}
                dot={{ r: 2.5 }}
                isAnimationActive={false}
                connectNulls
              />
            </LineChart>
          </ResponsiveContainer>
        </ChartBody>
      </ChartCard>
      <DisputesByUnit {...props} />
    </>
  );
}

function BreakdownChart({
  title,
  name,
  rows,
  currency,
  result,
  variables,
}: {
  title: string;
  name: string;
  rows: Breakdown[];
  currency: string;
  result: { loading: boolean; error: unknown; ready: boolean };
  variables: object;
}): ReactElement {
  const csv: CsvTable | null = result.ready
    ? { header: ['key', 'count', 'amount', 'averageDaysToResolve'], rows: rows.map((r) => [r.key, r.count, r.amount, r.averageDaysToResolve]) }
    : null;
  const data = rows.map((r) => ({ label: keyWords(r.key), count: r.count }));
  return (
    <ChartCard
      title={title}
      subtitle={`Disputes resolved in the period; amounts (CSV) in ${currency}`}
      name={name}
      csv={csv}
      query={ANALYTICS_DISPUTES}
      variables={variables}
    >
      <ChartBody error={result.error} loading={result.loading} empty={rows.length === 0} emptyText="None resolved in the period.">
        <ResponsiveContainer width="100%" height={Math.max(150, 30 * rows.length + 40)}>
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" stroke="var(--text-muted)" fontSize={12} allowDecimals={false} />
            <YAxis type="category" dataKey="label" stroke="var(--text-muted)" fontSize={12} width={130} interval={0} />
            <Tooltip formatter={tooltipNumber} />
            <Bar dataKey="count" name="Resolved" fill="#16a34a" maxBarSize={28} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartBody>
    </ChartCard>
  );
}

function DisputesByUnit({ filter, granularity, groupBy: chosen }: TabProps): ReactElement {
  const { groupBy, note } = groupingFor(chosen, DISPUTE_GROUPINGS, 'SEGMENT');
  const variables = { filter, granularity, groupBy };
  const result = useQuery(ANALYTICS_DISPUTES, { variables });
  const report = result.data?.analyticsDisputes;
  const rows = report?.series ?? [];
  const csv: CsvTable | null = report
    ? {
        header: ['groupKey', 'group', 'opened', 'resolved', 'resolvedAmount', 'averageDaysToResolve', 'openAtEnd', 'disputedAmountAtEnd'],
        rows: rows.map((s) => [
          s.group.key,
          s.group.label,
          opened(s),
          s.resolved,
          s.resolvedAmount,
          s.averageDaysToResolve,
          s.buckets.at(-1)?.openAtEnd,
          s.buckets.at(-1)?.disputedAmountAtEnd,
        ]),
      }
    : null;
  const title = 'Disputes by unit';
  return (
    <ChartCard
      title={title}
      subtitle={`Per ${groupingLabel(groupBy)}: opened and resolved in the period, disputed amount open at its end in ${report?.currency ?? filter.currency}${note ? ` (${note})` : ''}`}
      name="disputes-by-unit"
      csv={csv}
      query={ANALYTICS_DISPUTES}
      variables={variables}
    >
      <ChartBody error={result.error} loading={result.loading} empty={rows.length === 0} emptyText="No disputes in the period.">
        <FigureTable
          label={title}
          rows={rows}
          rowKey={(s) => s.group.key ?? 'none'}
          columns={[
            { header: groupingLabel(groupBy).replace(/^./, (c) => c.toUpperCase()), cell: (s) => <GroupName group={s.group} /> },
            { header: 'Opened', num: true, cell: (s) => opened(s).toLocaleString() },
            { header: 'Resolved', num: true, cell: (s) => s.resolved.toLocaleString() },
            { header: 'Resolved amount', num: true, cell: (s) => amountText(s.resolvedAmount) },
            { header: 'Days to resolve', num: true, cell: (s) => figureText(s.averageDaysToResolve) },
            { header: 'Open at end', num: true, cell: (s) => (s.buckets.at(-1)?.openAtEnd ?? 0).toLocaleString() },
            { header: 'Disputed at end', num: true, cell: (s) => amountText(s.buckets.at(-1)?.disputedAmountAtEnd) },
          ]}
        />
      </ChartBody>
    </ChartCard>
  );
}
