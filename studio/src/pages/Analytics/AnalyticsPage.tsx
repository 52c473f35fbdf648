import { useState, type ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link, useSearchParams } from 'react-router';
import { COLLECTORS, mayCall } from '../../lib/roles';
import { useSetSearchParams } from '../../lib/searchParams';
import { useViewer } from '../../lib/viewer';
import { AgenciesTab } from './AgenciesTab';
import { ANALYTICS_TABS, analyticsParamsOf, GROUPINGS, type AnalyticsParams, type AnalyticsTab } from './analyticsParams';
import type { TabProps } from './common';
import { CommissionTab } from './CommissionTab';
import { ContactsTab } from './ContactsTab';
import { DisputesTab } from './DisputesTab';
import { OverviewTab } from './OverviewTab';
import { PromisesTab } from './PromisesTab';
import { ANALYTICS_OPTIONS, ANALYTICS_SCOPE_GROUPS } from './queries';
import { WorklistsTab } from './WorklistsTab';
import '../../components/work.css';
import './analytics.css';

const TAB_VIEWS: Record<AnalyticsTab, (props: TabProps) => ReactElement> = {
  overview: OverviewTab,
  promises: PromisesTab,
  contacts: ContactsTab,
  disputes: DisputesTab,
  worklists: WorklistsTab,
  commission: CommissionTab,
  agencies: AgenciesTab,
};

/** /analytics: tabs of figures over a period; the tab and the filters are the URL's search params. */
export function AnalyticsPage(): ReactElement {
  const { role, specialist, self } = useViewer();
  const [search] = useSearchParams();
  const params = analyticsParamsOf(search, { specialist });
  const allowed = role === null || mayCall(role, COLLECTORS);
  const View = TAB_VIEWS[params.tab];
  return (
    <main className="main analytics-page">
      <header className="page-header">
        <div>
          <h1>Analytics</h1>
          <p className="subtitle">
            {specialist
              ? `Your own figures${self ? ` (${self.name})` : ''}: the partners you work, your contacts, promises and commission.`
              : 'How well collections work: KPIs, promises, contacts, disputes, worklists, commission and collection agencies, by organisation, specialist and strategy.'}{' '}
            Every amount is in the reporting currency; share a view by its address.
          </p>
        </div>
      </header>
      {!allowed && <p className="notice">Analytics are for administrators, supervisors and specialists.</p>}
      {allowed && role !== null && (
        <>
          <TabBar current={params.tab} search={search} />
          {/* Keyed by the currency so Back (a new URL) resets the field being typed in. */}
          <FilterBar key={params.filter.currency} params={params} role={role} />
          <View key={params.tab} filter={params.filter} granularity={params.granularity} groupBy={params.groupBy} role={role} withinDays={params.withinDays} />
        </>
      )}
    </main>
  );
}

/** The tabs as links that keep every filter (only `tab` changes). */
function TabBar({ current, search }: { current: AnalyticsTab; search: URLSearchParams }): ReactElement {
  const hrefOf = (tab: AnalyticsTab) => {
    const next = new URLSearchParams(search);
    if (tab === 'overview') next.delete('tab');
    else next.set('tab', tab);
    const text = next.toString();
    return text ? `?${text}` : '?';
  };
  return (
    <nav className="tabs analytics-tabs" role="tablist" aria-label="Analytics view">
      {ANALYTICS_TABS.map((t) => (
        <Link
          key={t.id}
          to={hrefOf(t.id)}
          role="tab"
          aria-selected={current === t.id}
          className={`tab${current === t.id ? ' is-active' : ''}`}
          preventScrollReset
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}

/**
 * The period, the organisational slice, the grouping, the reporting currency and the time unit (on the tabs with figures per unit);
 * each change is a new URL. A SPECIALIST gets no group or specialist choice (their figures are
 * their own); a SUPERVISOR is offered only the groups their figures cover.
 */
function FilterBar({ params, role }: { params: AnalyticsParams; role: string }): ReactElement {
  const options = useQuery(ANALYTICS_OPTIONS, { errorPolicy: 'all' });
  const specialistRole = role === 'SPECIALIST';
  const supervisor = role === 'SUPERVISOR';
  const scope = useQuery(ANALYTICS_SCOPE_GROUPS, { skip: !supervisor, errorPolicy: 'all' });
  const set = useSetSearchParams();
  const { filter } = params;
  const [currency, setCurrency] = useState(filter.currency);
  const o = options.data;
  const scopeGroups = supervisor ? scope.data?.me.groups : null;
  const scopeKeys = scopeGroups ? new Set(scopeGroups) : null;
  const groups = o?.collectionGroups?.filter((g) => !scopeKeys || scopeKeys.has(g.key));
  const specialists = o?.specialists?.filter((s) => !scopeKeys || (s.group !== null && s.group !== undefined && scopeKeys.has(s.group)));
  const groupings = GROUPINGS.filter((g) => !specialistRole || (g.id !== 'SPECIALIST' && g.id !== 'GROUP'));
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
      {/* Only where the tab's figures come per unit: elsewhere the choice would change nothing. */}
      {ANALYTICS_TABS.find((t) => t.id === params.tab)?.perUnit && (
        <label className="work-field">
          Per
          <select value={params.granularity} onChange={(e) => set({ granularity: e.target.value })}>
            <option value="MONTH">Month</option>
            <option value="WEEK">Week</option>
          </select>
        </label>
      )}
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
      <Choice
        label="Strategy"
        value={filter.strategy}
        onChange={(v) => set({ strategy: v })}
        options={o?.strategies?.edges.map((e) => [e.node.key, e.node.name])}
      />
      {!specialistRole && (
        <Choice
          label="Group"
          value={filter.group}
          onChange={(v) => set({ group: v })}
          options={groups?.map((g) => [g.key, g.name])}
          all={scopeKeys ? 'All of mine' : 'All'}
        />
      )}
      {!specialistRole && (
        <Choice
          label="Specialist"
          value={filter.specialist === null || filter.specialist === undefined ? null : String(filter.specialist)}
          onChange={(v) => set({ specialist: v })}
          options={specialists?.map((s) => [s.id, s.name])}
        />
      )}
      <Choice
        label="Group by"
        value={params.groupBy}
        onChange={(v) => set({ groupBy: v })}
        options={groupings.map((g) => [g.id, g.label])}
        all="Each chart’s default"
      />
    </form>
  );
}

function Choice({
  label,
  value,
  options,
  onChange,
  all = 'All',
}: {
  label: string;
  value: string | null | undefined;
  options: Array<[string, string]> | undefined;
  onChange: (value: string | null) => void;
  all?: string;
}): ReactElement {
  const known = options ?? [];
  return (
    <label className="work-field">
      {label}
      <select aria-label={label} value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">{all}</option>
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
