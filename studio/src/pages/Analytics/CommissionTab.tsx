import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsFilter, StudioClosedSettlementFragment } from '../../gql/graphql';
import { mayCall, SUPERVISORS } from '../../lib/roles';
import { useSetSearchParams } from '../../lib/searchParams';
import { ChartCard } from './ChartCard';
import { amountText, ChartBody, compactFormat, FigureTable, GroupName, PALETTE, plot, Problem, Tiles, tooltipAmount, type TabProps } from './common';
import { downloadCsv, type CsvTable } from './csv';
import { ANALYTICS_COMMISSION, ANALYTICS_COMMISSION_BY_MONTH, ANALYTICS_SCOPE_GROUPS, CLOSE_COMMISSION_SETTLEMENT, COMMISSION_SETTLEMENTS } from './queries';

const LINE_HEADER = ['specialistId', 'specialist', 'partners', 'payments', 'amount'];

/** A settlement's (or the live computation's) lines as CSV rows. */
function lineRows(lines: StudioClosedSettlementFragment['lines']): CsvTable['rows'] {
  return lines.map((l) => [l.specialist.key, l.specialist.label, l.partners, l.payments, l.amount]);
}

/**
 * Commission: what each specialist collected on partners they worked in the period (the rule
 * shown) — the commission base: Recoup keeps no commission rate, so no rate is applied — the
 * closed settlements and closing an ended period's settlement (ADMIN, SUPERVISOR).
 */
export function CommissionTab({ filter, role, withinDays }: TabProps): ReactElement {
  const variables = { filter, withinDays };
  const result = useQuery(ANALYTICS_COMMISSION, { variables });
  const report = result.data?.analyticsCommission;
  const lines = report?.lines ?? [];
  const currency = report?.currency ?? filter.currency;
  const csv: CsvTable | null = report ? { header: LINE_HEADER, rows: lineRows(lines) } : null;
  const data = lines.map((l) => ({ label: l.specialist.label ?? l.specialist.key ?? 'nobody', amount: plot(l.amount) }));
  const title = 'Collected on worked partners';
  return (
    <>
      <WithinDays value={withinDays} />
      <Tiles
        label="Commission figures"
        tiles={[
          {
            label: 'Collected on worked partners',
            value: result.loading ? '…' : amountText(report?.total),
            foot: `${currency}, the commission base (no rate applied)`,
            testId: 'commission-total',
          },
          { label: 'Specialists', value: result.loading ? '…' : lines.length.toLocaleString(), foot: 'with payments credited' },
          {
            label: 'Payments',
            value: result.loading ? '…' : lines.reduce((n, l) => n + l.payments, 0).toLocaleString(),
            foot: `within ${report?.withinDays ?? withinDays} days of a contact or promise`,
          },
        ]}
      />
      <ChartCard
        title={title}
        subtitle={
          report ? <span data-testid="commission-rule">Rule: {report.rule}</span> : `Payments credited per specialist from ${filter.from} to ${filter.to}`
        }
        name="commission"
        csv={csv}
        query={ANALYTICS_COMMISSION}
        variables={variables}
      >
        <ChartBody error={result.error} loading={result.loading} empty={lines.length === 0} emptyText="No payments credited to a specialist in the period.">
          <ResponsiveContainer width="100%" height={Math.max(160, 30 * lines.length + 50)}>
            <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" stroke="var(--text-muted)" fontSize={12} tickFormatter={(v: number) => compactFormat.format(v)} />
              <YAxis type="category" dataKey="label" stroke="var(--text-muted)" fontSize={12} width={150} interval={0} />
              <Tooltip formatter={tooltipAmount} />
              <Bar dataKey="amount" name={`Collected (${currency})`} fill="#16a34a" maxBarSize={28} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
          <FigureTable
            label={title}
            rows={lines}
            rowKey={(l) => l.specialist.key ?? 'none'}
            columns={[
              { header: 'Specialist', cell: (l) => <GroupName group={l.specialist} none="Nobody" /> },
              { header: 'Partners', num: true, cell: (l) => l.partners.toLocaleString() },
              { header: 'Payments', num: true, cell: (l) => l.payments.toLocaleString() },
              { header: `Amount (${currency})`, num: true, cell: (l) => amountText(l.amount) },
            ]}
          />
        </ChartBody>
      </ChartCard>
      <CommissionByMonth filter={filter} withinDays={withinDays} />
      {mayCall(role, SUPERVISORS) && <CloseSettlement filter={filter} withinDays={withinDays} role={role} />}
      {mayCall(role, SUPERVISORS) && <Settlements />}
    </>
  );
}

/** N of the rule, kept in the URL like the other filters. */
function WithinDays({ value }: { value: number }): ReactElement {
  const set = useSetSearchParams();
  const [text, setText] = useState(String(value));
  const apply = () => {
    const n = Number(text);
    if (Number.isInteger(n) && n >= 0 && n <= 365 && n !== value) set({ withinDays: String(n) });
  };
  return (
    <form
      className="analytics-inline-form"
      aria-label="Commission rule"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <label className="work-field">
        Payments count within (days)
        <input type="number" min={0} max={365} step={1} value={text} onChange={(e) => setText(e.target.value)} onBlur={apply} />
      </label>
      <span className="muted">after a contact or promise of the specialist (0–365).</span>
    </form>
  );
}

/** The calendar month before the one holding `date`, first and last day. */
export function monthBefore(date: string): { from: string; to: string } {
  const first = new Date(`${date.slice(0, 7)}-01T00:00:00Z`);
  const last = new Date(first.getTime() - 86_400_000);
  return { from: `${last.toISOString().slice(0, 7)}-01`, to: last.toISOString().slice(0, 10) };
}

/**
 * Freezes the settlement of the filter's period, currency and N (the other filters do not apply):
 * an ADMIN's covers the department, a SUPERVISOR's their groups. Offered only for a period that
 * has ended and that no closed settlement of the same groups covers (the server refuses both too).
 */
function CloseSettlement({ filter, withinDays, role }: Pick<TabProps, 'filter' | 'withinDays' | 'role'>): ReactElement {
  const [asking, setAsking] = useState(false);
  const set = useSetSearchParams();
  const [close, state] = useMutation(CLOSE_COMMISSION_SETTLEMENT, { refetchQueries: [COMMISSION_SETTLEMENTS], awaitRefetchQueries: true });
  const scope = useQuery(ANALYTICS_SCOPE_GROUPS, { skip: role !== 'SUPERVISOR' });
  const settlements = useQuery(COMMISSION_SETTLEMENTS);
  const groups = role === 'SUPERVISOR' ? (scope.data?.me.groups ?? null) : null;
  const today = new Date().toISOString().slice(0, 10);
  const ended = filter.to < today;
  const covering = settlements.data?.commissionSettlements.find(
    (s) => s.from <= filter.to && s.to >= filter.from && (!s.groups || !groups || s.groups.some((g) => groups.includes(g))),
  );
  const period = `${filter.from} – ${filter.to}`;
  const whose = groups ? `your groups’ (${groups.join(', ')})` : 'the department’s';
  const ready = !settlements.loading && (role !== 'SUPERVISOR' || !scope.loading);
  const lastMonth = monthBefore(today);
  return (
    <section className="card analytics-card analytics-close" aria-label="Close settlement">
      <div className="card-header analytics-card-header">
        <div>
          <h2>Close the settlement</h2>
          <p className="muted">
            Stores {whose} lines for {period} in {filter.currency} (payments within {withinDays} days) as they compute now, never to change; the closing is
            audited. Segment, group and specialist filters do not apply to a settlement.
          </p>
          {!ended && (
            <p className="analytics-close-note" data-testid="settlement-not-ended">
              The period runs to {filter.to}: only a period that has ended (before today, {today}) can be closed.{' '}
              <button type="button" className="link-button" onClick={() => set({ from: lastMonth.from, to: lastMonth.to })}>
                Show last month ({lastMonth.from.slice(0, 7)})
              </button>
            </p>
          )}
          {ended && covering && (
            <p className="analytics-close-note" data-testid="settlement-closed">
              Closed: settlement {covering.from} – {covering.to}
              {covering.groups ? ` of ${covering.groups.join(', ')}` : ''}, {covering.closedAt.slice(0, 10)} by {covering.closedBy}.
            </p>
          )}
        </div>
        {!asking && ended && !covering && ready && (
          <div className="analytics-card-actions">
            <button type="button" className="button" onClick={() => setAsking(true)}>
              Close settlement…
            </button>
          </div>
        )}
      </div>
      {asking && (
        <div className="analytics-confirm">
          <span>
            Close {period} in {filter.currency} for good?
          </span>
          <button
            type="button"
            className="button button-primary"
            disabled={state.loading}
            onClick={() => {
              void close({ variables: { from: filter.from, to: filter.to, currency: filter.currency, withinDays } })
                .then(() => setAsking(false))
                .catch(() => undefined);
            }}
          >
            {state.loading ? 'Closing…' : 'Close it'}
          </button>
          <button type="button" className="button" onClick={() => setAsking(false)} disabled={state.loading}>
            Cancel
          </button>
        </div>
      )}
      {state.error && <Problem error={state.error} />}
      {state.data && !state.error && (
        <p className="analytics-done" role="status">
          Closed {state.data.closeCommissionSettlement.from} – {state.data.closeCommissionSettlement.to}:{' '}
          {amountText(state.data.closeCommissionSettlement.total)} {state.data.closeCommissionSettlement.currency}.
        </p>
      )}
    </section>
  );
}

/** Closed settlements (ADMIN, SUPERVISOR), each exportable with its frozen lines. */
function Settlements(): ReactElement {
  const result = useQuery(COMMISSION_SETTLEMENTS);
  const settlements = result.data?.commissionSettlements ?? [];
  const csv: CsvTable | null = result.data
    ? {
        header: ['id', 'from', 'to', 'currency', 'withinDays', 'total', 'lines', 'closedAt', 'closedBy'],
        rows: settlements.map((s) => [s.id, s.from, s.to, s.currency, s.withinDays, s.total, s.lines.length, s.closedAt, s.closedBy]),
      }
    : null;
  const title = 'Closed settlements';
  return (
    <ChartCard
      title={title}
      subtitle="Frozen at closing, newest period first; export one for payroll"
      name="settlements"
      csv={csv}
      query={COMMISSION_SETTLEMENTS}
      variables={{}}
    >
      <ChartBody error={result.error} loading={result.loading} empty={settlements.length === 0} emptyText="No settlement closed yet.">
        <FigureTable
          label={title}
          rows={settlements}
          rowKey={(s) => s.id}
          columns={[
            { header: 'Period', cell: (s) => `${s.from} – ${s.to}` },
            { header: 'Rule', cell: (s) => <span title={s.rule}>within {s.withinDays} days</span> },
            { header: 'Specialists', num: true, cell: (s) => s.lines.length.toLocaleString() },
            { header: 'Total', num: true, cell: (s) => `${amountText(s.total)} ${s.currency}` },
            { header: 'Closed', cell: (s) => `${s.closedAt.slice(0, 16).replace('T', ' ')} by ${s.closedBy}` },
            {
              header: 'Export',
              cell: (s) => (
                <button
                  type="button"
                  className="button"
                  aria-label={`CSV of settlement ${s.from} – ${s.to}`}
                  onClick={() => downloadCsv(`settlement-${s.from}-${s.to}.csv`, { header: LINE_HEADER, rows: lineRows(s.lines) })}
                >
                  CSV
                </button>
              ),
            },
          ]}
        />
      </ChartBody>
    </ChartCard>
  );
}

/** Commission per specialist and calendar month (cut to the period): one query for every month. */
function CommissionByMonth({ filter, withinDays }: { filter: AnalyticsFilter; withinDays: number }): ReactElement {
  const variables = { filter, withinDays };
  const result = useQuery(ANALYTICS_COMMISSION_BY_MONTH, { variables });
  const months = result.data?.analyticsCommissionByPeriod.periods ?? [];
  const state = { loading: result.loading, error: result.error, months: months.map((m) => ({ from: m.from, to: m.to, report: m })) };
  const specialists = new Map<string, string>();
  for (const m of state.months) for (const l of m.report.lines) specialists.set(l.specialist.key ?? '', l.specialist.label ?? l.specialist.key ?? 'nobody');
  const ids = [...specialists.keys()];
  const csv: CsvTable | null = !result.data
    ? null
    : {
        header: ['from', 'to', ...LINE_HEADER],
        rows: state.months.flatMap((m) => lineRows(m.report.lines).map((r) => [m.from, m.to, ...r])),
      };
  const data = state.months.map((m) => ({
    label: m.from.slice(0, 7),
    ...Object.fromEntries(m.report.lines.map((l) => [`s${ids.indexOf(l.specialist.key ?? '')}`, plot(l.amount)])),
  }));
  const title = 'Collected per month';
  return (
    <ChartCard
      title={title}
      subtitle={`Collected on worked partners per specialist and calendar month (the months cut to the period), in ${filter.currency}`}
      name="commission-per-month"
      csv={csv}
      query={ANALYTICS_COMMISSION_BY_MONTH}
      variables={variables}
    >
      <ChartBody error={state.error} loading={state.loading} empty={ids.length === 0} emptyText="No payments credited to a specialist in the period.">
        <ResponsiveContainer width="100%" height={280}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 4 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" stroke="var(--text-muted)" fontSize={12} />
            <YAxis stroke="var(--text-muted)" fontSize={12} width={56} tickFormatter={(v: number) => compactFormat.format(v)} />
            <Tooltip formatter={tooltipAmount} />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
            {ids.map((id, i) => (
              <Bar
                key={id}
                dataKey={`s${i}`}
                name={specialists.get(id)}
                stackId="specialist"
                fill={PALETTE[i % PALETTE.length]}
                maxBarSize={72}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </ChartBody>
    </ChartCard>
  );
}
