import { useState, type ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { useSearchParams } from 'react-router';
import { COLLECTORS, mayCall } from '../../lib/roles';
import { useSetSearchParams } from '../../lib/searchParams';
import { useViewer } from '../../lib/viewer';
import { KpiSection, PromiseFunnel, SpecialistTable } from './AnalyticsCharts';
import { analyticsParamsOf, type AnalyticsParams } from './analyticsParams';
import { ANALYTICS_OPTIONS } from './queries';
import './analytics.css';

/** /analytics: KPIs, ageing, promises and specialists over a period; the filters are the URL's search params. */
export function AnalyticsPage(): ReactElement {
  const { role } = useViewer();
  const [search] = useSearchParams();
  const params = analyticsParamsOf(search);
  const allowed = role === null || mayCall(role, COLLECTORS);
  return (
    <main className="main analytics-page">
      <header className="page-header">
        <div>
          <h1>Analytics</h1>
          <p className="subtitle">
            How well collections work: DSO, ADD and CEI over time, what is overdue and for how long, whether promises are kept, per specialist. Every figure is
            in the reporting currency; share a view by its address.
          </p>
        </div>
      </header>
      {!allowed && <p className="notice">Analytics are for administrators, supervisors and specialists.</p>}
      {allowed && (
        <>
          {/* Keyed by the currency so Back (a new URL) resets the field being typed in. */}
          <FilterBar key={params.filter.currency} params={params} />
          <KpiSection filter={params.filter} granularity={params.granularity} />
          <PromiseFunnel filter={params.filter} granularity={params.granularity} />
          <SpecialistTable filter={params.filter} granularity={params.granularity} />
        </>
      )}
    </main>
  );
}

/** The period, the organisational slice, the reporting currency and the time unit; each change is a new URL. */
function FilterBar({ params }: { params: AnalyticsParams }): ReactElement {
  const options = useQuery(ANALYTICS_OPTIONS, { errorPolicy: 'all' });
  const set = useSetSearchParams();
  const { filter } = params;
  const [currency, setCurrency] = useState(filter.currency);
  const o = options.data;
  return (
    <form
      className="card analytics-filters"
      aria-label="Analytics filters"
      onSubmit={(e) => {
        e.preventDefault();
        set({ currency: currency.trim().toUpperCase() });
      }}
    >
      <label className="work-field">
        From
        <input type="date" value={filter.from} max={filter.to} onChange={(e) => e.target.value && set({ from: e.target.value })} required />
      </label>
      <label className="work-field">
        To
        <input type="date" value={filter.to} min={filter.from} onChange={(e) => e.target.value && set({ to: e.target.value })} required />
      </label>
      <label className="work-field">
        Per
        <select value={params.granularity} onChange={(e) => set({ granularity: e.target.value })}>
          <option value="MONTH">Month</option>
          <option value="WEEK">Week</option>
        </select>
      </label>
      <label className="work-field analytics-currency">
        Currency
        <input
          value={currency}
          maxLength={3}
          pattern="[A-Za-z]{3}"
          onChange={(e) => setCurrency(e.target.value)}
          onBlur={() => currency.trim().toUpperCase() !== filter.currency && set({ currency: currency.trim().toUpperCase() })}
          title="Reporting currency (ISO code): every amount is converted into it at the fx rates"
        />
      </label>
      <Choice
        label="Company code"
        value={filter.companyCode}
        onChange={(v) => set({ companyCode: v })}
        options={o?.companyCodes?.map((c) => [c.code, `${c.code} ${c.name}`])}
      />
      <Choice label="Segment" value={filter.segment} onChange={(v) => set({ segment: v })} options={o?.collectionSegments?.map((s) => [s.key, s.name])} />
      <Choice label="Group" value={filter.group} onChange={(v) => set({ group: v })} options={o?.collectionGroups?.map((g) => [g.key, g.name])} />
      <Choice
        label="Specialist"
        value={filter.specialist === null || filter.specialist === undefined ? null : String(filter.specialist)}
        onChange={(v) => set({ specialist: v })}
        options={o?.specialists?.map((s) => [s.id, s.name])}
      />
    </form>
  );
}

function Choice({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string | null | undefined;
  options: Array<[string, string]> | undefined;
  onChange: (value: string | null) => void;
}): ReactElement {
  const known = options ?? [];
  return (
    <label className="work-field">
      {label}
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">All</option>
        {/* A value from a shared link that the list does not hold (or may not list) stays selectable. */}
        {value && !known.some(([k]) => k === value) && <option value={value}>{value}</option>}
        {known.map(([k, name]) => (
          <option key={k} value={k}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
