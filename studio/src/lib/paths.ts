/**
 * The studio's URLs, built in one place so links and the route table agree. Pages are paths;
 * filters and selections are search params, so a reload or a shared link shows the same thing.
 */

export const OVERVIEW_PATH = '/';
export const STRATEGIES_PATH = '/strategies';
export const WORKLISTS_PATH = '/worklists';
export const MY_WORKLIST_PATH = '/worklists/mine';
export const LOADS_PATH = '/worklists/loads';
export const CUSTOMERS_PATH = '/customers';
export const ORGANISATION_PATH = '/organisation';
export const RUNS_PATH = '/runs';
export const SETTINGS_PATH = '/settings';
export const DUNNING_PATH = '/dunning';
export const BACKTESTS_PATH = '/backtests';
export const EXPERIMENTS_PATH = '/experiments';
export const ANALYTICS_PATH = '/analytics';
export const JOBS_PATH = '/jobs';
export const RECOVERY_PATH = '/recovery';

/** A collection group's champion/challenger view. */
export function experimentsPath(group?: string): string {
  return group ? `${EXPERIMENTS_PATH}?group=${encodeURIComponent(group)}` : EXPERIMENTS_PATH;
}

/** The tabs of a strategy; the builder is the strategy's own path. */
export const STRATEGY_TABS = ['builder', 'compare', 'versions'] as const;
export type StrategyTab = (typeof STRATEGY_TABS)[number];

export function isStrategyTab(value: string | undefined): value is StrategyTab {
  return (STRATEGY_TABS as readonly string[]).includes(value ?? '');
}

/** /strategies/KEY (the builder), /strategies/KEY/compare, /strategies/KEY/versions. */
export function strategyPath(key: string, tab: StrategyTab = 'builder'): string {
  const base = `${STRATEGIES_PATH}/${encodeURIComponent(key)}`;
  return tab === 'builder' ? base : `${base}/${tab}`;
}

/** The strategy key of a strategy URL, or null elsewhere. */
export function strategyKeyOf(pathname: string): string | null {
  const match = /^\/strategies\/([^/]+)/.exec(pathname);
  return match ? decodeURIComponent(match[1]!) : null;
}

export function segmentWorklistPath(segment: string): string {
  return `${WORKLISTS_PATH}/${encodeURIComponent(segment)}`;
}

/** The views of the organisation page, in the order a company is set up. */
export const ORG_TABS = ['company-codes', 'segments', 'profiles', 'groups', 'absences'] as const;
export type OrgTab = (typeof ORG_TABS)[number];

export function isOrgTab(value: string | undefined): value is OrgTab {
  return (ORG_TABS as readonly string[]).includes(value ?? '');
}

/** /organisation (company codes) or /organisation/TAB. */
export function organisationPath(tab: OrgTab = 'company-codes'): string {
  return tab === 'company-codes' ? ORGANISATION_PATH : `${ORGANISATION_PATH}/${tab}`;
}

/** The customer 360 by partner id. */
export function customerPath(partnerId: string): string {
  return `${CUSTOMERS_PATH}/${encodeURIComponent(partnerId)}`;
}

/** The customer 360 by the partner's id in the source system: /customers/ext:P000123. */
export function customerByExternalIdPath(externalId: string): string {
  return `${CUSTOMERS_PATH}/ext:${encodeURIComponent(externalId)}`;
}

/** A path with search params, leaving out the empty ones. */
export function withSearch(path: string, params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== '') search.set(name, String(value));
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** What a backtest URL holds: /backtests?strategies=KEY@V,KEY@V&segment=&from=&to=&every=&horizon= (shown when strategies are given). */
export interface BacktestParams {
  strategies: string[];
  segment: string;
  from: string;
  to: string;
  every: number;
  horizon: number;
}

export function backtestsPath(p: BacktestParams): string {
  const q = new URLSearchParams({
    strategies: p.strategies.join(','),
    segment: p.segment,
    from: p.from,
    to: p.to,
    every: String(p.every),
    horizon: String(p.horizon),
  });
  return `${BACKTESTS_PATH}?${q.toString()}`;
}

/** The backtest a URL's search params ask for, or null when it names no strategy. */
export function backtestParamsOf(search: URLSearchParams): BacktestParams | null {
  const strategies = (search.get('strategies') ?? '').split(',').filter(Boolean);
  if (!strategies.length) return null;
  return {
    strategies,
    segment: search.get('segment') ?? '',
    from: search.get('from') ?? '',
    to: search.get('to') ?? '',
    every: Number(search.get('every') ?? 7),
    horizon: Number(search.get('horizon') ?? 30),
  };
}

/** The views of debt recovery: the placement proposal, placements, payment reports, settlements, agencies. */
export const RECOVERY_TABS = ['proposal', 'placements', 'payments', 'settlement', 'agencies'] as const;
export type RecoveryTab = (typeof RECOVERY_TABS)[number];

export function isRecoveryTab(value: string | undefined): value is RecoveryTab {
  return (RECOVERY_TABS as readonly string[]).includes(value ?? '');
}

/** /recovery (the placement proposal) or /recovery/TAB. */
export function recoveryPath(tab: RecoveryTab = 'proposal'): string {
  return tab === 'proposal' ? RECOVERY_PATH : `${RECOVERY_PATH}/${tab}`;
}
