import type { ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Bar, CartesianGrid, ComposedChart, Legend, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsGroupBy, StudioAnalyticsAgenciesQuery } from '../../gql/graphql';
import { groupingFor, groupingLabel } from './analyticsParams';
import { ChartCard } from './ChartCard';
import { amountText, ChartBody, compactFormat, daysText, FigureTable, GroupName, percentText, plot, Tiles, tooltipAmount, type TabProps } from './common';
import type { CsvCell, CsvTable } from './csv';
import { ANALYTICS_AGENCIES } from './queries';

const AGENCY_GROUPINGS: AnalyticsGroupBy[] = ['SEGMENT', 'GROUP', 'SPECIALIST', 'STRATEGY', 'COMPANY_CODE', 'PROFIT_CENTER', 'CURRENCY'];
const HEADER = [
  'agency',
  'agencyName',
  'placementMonth',
  'groupKey',
  'group',
  'placements',
  'placedAmount',
  'recoveredAmount',
  'recoveryRate',
  'daysToFirstPayment',
  'commissionDue',
];

type Row = StudioAnalyticsAgenciesQuery['analyticsAgencies']['rows'][number];

/** The rows as the CSV holds them: exactly the API's rows, in its order. */
export function agencyCsvRows(rows: Row[]): CsvCell[][] {
  return rows.map((r) => [
    r.agency,
    r.agencyName,
    r.placementMonth,
    r.group.key,
    r.group.label,
    r.placements,
    r.placedAmount,
    r.recoveredAmount,
    r.recoveryRate,
    r.daysToFirstPayment,
    r.commissionDue,
  ]);
}

/** Sum of decimal strings for the tiles (reading only; the CSV keeps the exact strings). */
const total = (values: string[]) => values.reduce((s, v) => s + Number(v), 0);

/**
 * Agencies: what the collection agencies made of the partners placed with them. Per agency and
 * placement month (the period filters the placement date): placed vs recovered (to date, whoever
 * received the payment), the recovery rate, days to the first payment and the commission due.
 */
export function AgenciesTab({ filter, groupBy: chosen }: TabProps): ReactElement {
  const { groupBy, note } = groupingFor(chosen, AGENCY_GROUPINGS, null);
  const variables = { filter, groupBy };
  const result = useQuery(ANALYTICS_AGENCIES, { variables });
  const report = result.data?.analyticsAgencies;
  const rows = report?.rows ?? [];
  const currency = report?.currency ?? filter.currency;
  const loading = result.loading;
  const placed = total(rows.map((r) => r.placedAmount));
  const recovered = total(rows.map((r) => r.recoveredAmount));
  const label = (r: Row) => `${r.agencyName} · ${r.placementMonth.slice(0, 7)}${groupBy ? ` · ${r.group.label ?? r.group.key ?? 'none'}` : ''}`;
  const data = rows.map((r) => ({ label: label(r), placed: plot(r.placedAmount), recovered: plot(r.recoveredAmount), rate: plot(r.recoveryRate) }));
  const csv: CsvTable | null = report ? { header: HEADER, rows: agencyCsvRows(rows) } : null;
  const title = 'Recovered vs placed';
  return (
    <>
      <Tiles
        label="Agency figures"
        tiles={[
          {
            label: 'Placed',
            value: loading ? '…' : amountText(String(placed)),
            foot: `${currency}, ${rows.reduce((n, r) => n + r.placements, 0).toLocaleString()} placements in the period`,
            testId: 'agencies-placed',
          },
          {
            label: 'Recovered',
            value: loading ? '…' : amountText(String(recovered)),
            foot: placed > 0 ? `${percentText(String((recovered / placed) * 100))} of the placed amount` : 'nothing placed',
          },
          {
            label: 'Commission due',
            value: loading ? '…' : amountText(String(total(rows.map((r) => r.commissionDue)))),
            foot: `${currency}, as the agencies’ settlements count it`,
          },
        ]}
      />
      <ChartCard
        title={title}
        subtitle={`Per agency and placement month${groupBy ? ` and ${groupingLabel(groupBy)}` : ''}: amount placed and recovered since (left; amounts in ${currency}), recovery rate (right, %)${note ? ` (${note})` : ''}`}
        name="agencies"
        csv={csv}
        query={ANALYTICS_AGENCIES}
        variables={variables}
      >
        <ChartBody error={result.error} loading={loading} empty={rows.length === 0} emptyText="No placements with an agency in the period.">
          <ResponsiveContainer width="100%" height={300}>
            <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 4 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" stroke="var(--text-muted)" fontSize={12} interval={0} />
              <YAxis yAxisId="amount" stroke="var(--text-muted)" fontSize={12} width={56} tickFormatter={(v: number) => compactFormat.format(v)} />
              <YAxis yAxisId="rate" orientation="right" stroke="var(--text-muted)" fontSize={12} width={44} domain={[0, 100]} unit="%" />
              <Tooltip formatter={tooltipAmount} />
              <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
              <Bar yAxisId="amount" dataKey="placed" name={`Placed (${currency})`} fill="#94a3b8" maxBarSize={48} isAnimationActive={false} />
              <Bar yAxisId="amount" dataKey="recovered" name={`Recovered (${currency})`} fill="#16a34a" maxBarSize={48} isAnimationActive={false} />
              {/* Dots, not a line: neighbouring rows are other agencies or groups, not a trend. */}
              <Scatter yAxisId="rate" dataKey="rate" name="Recovery rate (%)" fill="#2563eb" shape="diamond" isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
          <FigureTable
            label={title}
            rows={rows}
            rowKey={(r) => `${r.agency}|${r.placementMonth}|${r.group.key ?? ''}`}
            columns={[
              { header: 'Agency', cell: (r) => r.agencyName },
              { header: 'Month', nowrap: true, cell: (r) => r.placementMonth.slice(0, 7) },
              // A group's name on one line ("Segment RJ" is not broken before its key).
              ...(groupBy
                ? [{ header: groupingLabel(groupBy).replace(/^./, (c) => c.toUpperCase()), nowrap: true, cell: (r: Row) => <GroupName group={r.group} /> }]
                : []),
              { header: 'Placements', num: true, cell: (r) => r.placements.toLocaleString() },
              { header: 'Placed', num: true, cell: (r) => amountText(r.placedAmount) },
              { header: 'Recovered', num: true, cell: (r) => amountText(r.recoveredAmount) },
              { header: 'Recovery rate', num: true, wrap: true, title: 'Recovered as a share of the amount placed', cell: (r) => percentText(r.recoveryRate) },
              {
                header: 'Days to first payment',
                num: true,
                wrap: true,
                title: 'Average days from the placement to its first payment, over the placements paid so far (unpaid ones not counted)',
                cell: (r) => daysText(r.daysToFirstPayment),
              },
              { header: 'Commission', num: true, cell: (r) => amountText(r.commissionDue) },
            ]}
          />
        </ChartBody>
      </ChartCard>
    </>
  );
}
