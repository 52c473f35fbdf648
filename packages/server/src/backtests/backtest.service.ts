/**
 * The backtest (issue 18): strategies scored at past key dates through the preview path (PREVIEW
 * runs of the worklist engine, the same compiled SQL a live run uses), their lists measured over
 * (D, D + h] by what actually happened, next to two naive rankings of the same partners, and the
 * differences between strategies with bootstrap intervals over partners.
 *
 * Outline: check the arguments -> resolve the strategies and the segment -> the capacity ->
 * score every (strategy, key date) -> measure the outcomes once per currency for every key date
 * -> figures per key date and pooled -> differences to the first strategy and to the baselines.
 */
import { factKeysOf, validateStrategy, type FactKey, type StrategyDocument } from '@recoup/rules';
import type { Database } from '../db/database';
import { BadUserInputError, NotFoundError } from '../graphql/errors';
import { isIsoDate, today } from '../graphql/scalars';
import { dropPreviewItems, runWorklist } from '../worklists';
import { bootstrapListFigures, type BootstrapDifference } from './bootstrap';
import { outcomesByBand, summariseOutcomes, type ListedPartner, type OutcomeFigures, type PartnerOutcome } from './outcome-figures';
import { measureOutcomes } from './outcome.service';

/** At most this many key dates (a year of weeks). */
export const MAX_KEY_DATES = 53;
/** At most this many strategies side by side. */
export const MAX_STRATEGIES = 4;
export const MAX_HORIZON_DAYS = 365;
/** A group without a daily capacity works this many partners a day per active specialist. */
export const PARTNERS_PER_SPECIALIST_DAY = 30;
/** Resampled figures are summed over at most about this many rows in all (1000 resamples up to 50k pooled rows, at least 200). */
const RESAMPLED_ROWS_BUDGET = 50_000_000;

export interface BacktestStrategyArgs {
  /** How the strategy is named in the results (unique). */
  label: string;
  /** A saved strategy's key (its live version, else its latest, unless `version` says). */
  strategy?: string | null;
  version?: number | null;
  /** A draft document instead of a saved strategy. */
  document?: unknown;
}

export interface BacktestArgs {
  strategies: BacktestStrategyArgs[];
  segment: string;
  /** Explicit key dates, or `from`/`to`/`everyDays`. */
  keyDates?: string[] | null;
  from?: string | null;
  to?: string | null;
  everyDays?: number | null;
  /** h, default 30. */
  horizonDays?: number | null;
  /** Bootstrap resamples (default 1000, fewer for very long pooled lists). */
  resamples?: number | null;
}

export interface BacktestOptions {
  /** Where argument paths start (GraphQL: `input`). */
  path?: string;
  /** Today, for "key date + horizon must not pass today" (default the UTC date). */
  today?: string;
  onProgress?: (message: string) => void;
}

export type FigureName = 'collectedShare' | 'captureAtCapacity' | 'auc';
export type Verdict = 'BETTER' | 'WORSE' | 'NO_CLEAR_DIFFERENCE' | 'UNKNOWN';

export interface FigureDifference extends BootstrapDifference {
  figure: FigureName;
  verdict: Verdict;
}

export interface BacktestComparison {
  /** The strategy (or the strategy measured against a baseline). */
  label: string;
  /** What it is compared with: the first strategy's label, or a baseline. */
  against: string;
  differences: FigureDifference[];
}

export interface BacktestFigures {
  list: OutcomeFigures;
  byBand: Array<{ priority: number | null; figures: OutcomeFigures }>;
  oldestDebtFirst: OutcomeFigures;
  largestAmountFirst: OutcomeFigures;
}

export interface StrategyBacktest {
  label: string;
  strategyKey: string | null;
  version: number | null;
  currency: string;
  pooled: BacktestFigures;
  keyDates: Array<BacktestFigures & { asOf: string; runId: string }>;
  versusBaselines: BacktestComparison[];
}

export interface BacktestResult {
  segment: string;
  horizonDays: number;
  keyDates: string[];
  capacity: number;
  capacitySource: string;
  resamples: number;
  confidence: number;
  strategies: StrategyBacktest[];
  comparisons: BacktestComparison[];
}

interface ResolvedStrategy {
  label: string;
  strategyKey: string | null;
  version: number | null;
  document: StrategyDocument;
}

/** A scored list: the partners of one strategy's preview at one key date, with what the baselines rank by. */
interface ScoredList {
  asOf: string;
  runId: string;
  partners: Array<ListedPartner & { toBeCollected: string; maxDaysOverdue: number | null }>;
}

const CONFIDENCE = 0.95;
const SEED = 18;
export const BASELINES = { oldestDebtFirst: 'Oldest debt first', largestAmountFirst: 'Largest amount first' } as const;

/** backtestStrategies: see the file comment. */
export async function backtestStrategies(db: Database, args: BacktestArgs, options: BacktestOptions = {}): Promise<BacktestResult> {
  const at = (field: string) => (options.path ? `${options.path}.${field}` : field);
  const plan = checkArguments(args, options.today ?? today(), at);
  const segment = await segmentOf(db, args.segment);
  const strategies = await resolveStrategies(db, args.strategies, at);
  const capacity = await capacityOf(db, segment);
  const lists = await scoreAll(db, segment, strategies, plan.keyDates, options.onProgress);
  options.onProgress?.('measuring outcomes');
  const outcomes = await measureAll(db, strategies, lists, plan.horizonDays);
  const rowCount = Math.max(1, ...outcomes.map((o) => o.flat().length));
  const resamples = Math.max(Math.min(plan.resamples, Math.floor(RESAMPLED_ROWS_BUDGET / rowCount)), Math.min(plan.resamples, 200));
  options.onProgress?.(`figures and intervals (${resamples} resamples)`);
  const bootstrap = { paired: true, resamples, seed: SEED, confidence: CONFIDENCE };
  const results = strategies.map((s, i) => strategyResult(s, lists[i]!, outcomes[i]!, capacity.capacity, bootstrap));
  const pooledRows = outcomes.map((o) => o.flat());
  const comparisons = strategies.slice(1).map((s, i) => ({
    label: s.label,
    against: strategies[0]!.label,
    differences: differencesOf(bootstrapListFigures(pooledRows[0]!, pooledRows[i + 1]!, capacity.capacity, bootstrap)),
  }));
  return {
    segment,
    horizonDays: plan.horizonDays,
    keyDates: plan.keyDates,
    capacity: capacity.capacity,
    capacitySource: capacity.source,
    resamples,
    confidence: CONFIDENCE,
    strategies: results,
    comparisons,
  };
}

// ---- arguments ----------------------------------------------------------------------------

interface Plan {
  keyDates: string[];
  horizonDays: number;
  resamples: number;
}

function wholeNumber(value: unknown, min: number, max: number, path: string, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new BadUserInputError(`${what} must be a whole number from ${min} to ${max}`, path);
  return value;
}

function isoDate(value: unknown, path: string): string {
  if (typeof value !== 'string' || !isIsoDate(value)) throw new BadUserInputError('expected a date YYYY-MM-DD', path);
  return value;
}

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The key dates, horizon and resamples, or BAD_USER_INPUT naming the argument. */
function checkArguments(args: BacktestArgs, todayDate: string, at: (field: string) => string): Plan {
  const horizonDays = wholeNumber(args.horizonDays ?? 30, 1, MAX_HORIZON_DAYS, at('horizonDays'), 'horizonDays');
  const resamples = wholeNumber(args.resamples ?? 1000, 100, 10_000, at('resamples'), 'resamples');
  if (!Array.isArray(args.strategies) || args.strategies.length < 1 || args.strategies.length > MAX_STRATEGIES) {
    throw new BadUserInputError(`give 1 to ${MAX_STRATEGIES} strategies`, at('strategies'));
  }
  const keyDates = keyDatesOf(args, at);
  const last = keyDates.at(-1)!;
  if (addDays(last, horizonDays) > todayDate) {
    throw new BadUserInputError(
      `the last key date ${last} plus ${horizonDays} days passes today (${todayDate}): its outcomes are not known yet`,
      at(args.keyDates ? 'keyDates' : 'to'),
    );
  }
  return { keyDates, horizonDays, resamples };
}

function keyDatesOf(args: BacktestArgs, at: (field: string) => string): string[] {
  if (args.keyDates != null) {
    if (args.from != null || args.to != null || args.everyDays != null)
      throw new BadUserInputError('give keyDates or from/to/everyDays, not both', at('keyDates'));
    if (!args.keyDates.length) throw new BadUserInputError('give at least one key date', at('keyDates'));
    const dates = [...new Set(args.keyDates.map((d, i) => isoDate(d, at(`keyDates[${i}]`))))].sort();
    if (dates.length > MAX_KEY_DATES) throw new BadUserInputError(`at most ${MAX_KEY_DATES} key dates`, at('keyDates'));
    return dates;
  }
  if (args.from == null) throw new BadUserInputError('give keyDates, or from (and to, everyDays)', at('from'));
  const from = isoDate(args.from, at('from'));
  const to = args.to == null ? from : isoDate(args.to, at('to'));
  if (to < from) throw new BadUserInputError('to is before from', at('to'));
  const every = wholeNumber(args.everyDays ?? 7, 1, 366, at('everyDays'), 'everyDays');
  const dates: string[] = [];
  for (let d = from; d <= to; d = addDays(d, every)) {
    dates.push(d);
    if (dates.length > MAX_KEY_DATES)
      throw new BadUserInputError(`from ${from} to ${to} every ${every} days makes more than ${MAX_KEY_DATES} key dates`, at('everyDays'));
  }
  return dates;
}

async function segmentOf(db: Database, key: string): Promise<string> {
  const [row] = await db.dataSource.query(`SELECT key FROM collection_segments WHERE key = $1`, [String(key)]);
  if (!row) throw new NotFoundError('Collection segment', String(key));
  return row.key;
}

/** Each strategy's document: a draft as given (validated), or a saved version (NOT_FOUND for an unknown key or version). */
async function resolveStrategies(db: Database, inputs: BacktestStrategyArgs[], at: (field: string) => string): Promise<ResolvedStrategy[]> {
  const labels = new Set<string>();
  const out: ResolvedStrategy[] = [];
  for (const [i, s] of inputs.entries()) {
    const path = (field: string) => at(`strategies[${i}].${field}`);
    const label = typeof s.label === 'string' ? s.label.trim() : '';
    if (!label || label.length > 60) throw new BadUserInputError('a label of 1-60 characters is required', path('label'));
    if (labels.has(label)) throw new BadUserInputError(`label ${label} is used twice`, path('label'));
    labels.add(label);
    const hasKey = s.strategy != null && s.strategy !== '';
    if (hasKey === (s.document != null))
      throw new BadUserInputError('give either strategy (a saved strategy key) or document (a draft)', path(hasKey ? 'document' : 'strategy'));
    if (!hasKey) {
      if (s.version != null) throw new BadUserInputError('version goes with strategy, not with a document', path('version'));
      out.push({ label, strategyKey: null, version: null, document: validDocument(s.document, path('document')) });
      continue;
    }
    if (s.version != null) wholeNumber(s.version, 1, 2_147_483_647, path('version'), 'version');
    const saved = await savedVersion(db, String(s.strategy), s.version ?? null);
    out.push({ label, strategyKey: String(s.strategy), version: saved.version, document: validDocument(saved.document, path('strategy')) });
  }
  return out;
}

function validDocument(input: unknown, path: string): StrategyDocument {
  const result = validateStrategy(input);
  if (result.valid) return result.document;
  const first = result.errors[0]!;
  throw new BadUserInputError(`Invalid strategy: ${first.message}`, first.path ? `${path}.${first.path}` : path);
}

/** The version asked for, else the live one, else the latest. */
async function savedVersion(db: Database, key: string, version: number | null): Promise<{ version: number; document: unknown }> {
  const rows: Array<{ version: number; status: string; document: unknown }> = await db.dataSource.query(
    `SELECT v.version, v.status, v.document FROM strategies s JOIN strategy_versions v ON v.strategy_id = s.id WHERE s.key = $1 ORDER BY v.version DESC`,
    [key],
  );
  if (!rows.length) throw new NotFoundError('Strategy', key);
  const found = version !== null ? rows.find((r) => r.version === version) : (rows.find((r) => r.status === 'ACTIVE') ?? rows[0]);
  if (!found) throw new NotFoundError('Strategy version', `${key}@${version}`);
  return found;
}

/**
 * k of capture at capacity: the daily capacities of the segment's active groups, a group
 * without one counting PARTNERS_PER_SPECIALIST_DAY per active specialist (at least one
 * specialist's day when nothing else is known).
 */
async function capacityOf(db: Database, segment: string): Promise<{ capacity: number; source: string }> {
  const groups: Array<{ key: string; daily_capacity: number | null; specialists: number }> = await db.dataSource.query(
    `SELECT g.key, g.daily_capacity, (SELECT count(*)::integer FROM specialists s WHERE s.group_key = g.key AND s.active) AS specialists
       FROM collection_groups g WHERE g.segment_key = $1 AND g.active ORDER BY g.key`,
    [segment],
  );
  let capacity = 0;
  const parts = groups.map((g) => {
    if (g.daily_capacity !== null) {
      capacity += g.daily_capacity;
      return `${g.key}: daily capacity ${g.daily_capacity}`;
    }
    capacity += g.specialists * PARTNERS_PER_SPECIALIST_DAY;
    return `${g.key}: ${g.specialists} active specialists x ${PARTNERS_PER_SPECIALIST_DAY}`;
  });
  if (capacity > 0) return { capacity, source: parts.join('; ') };
  return { capacity: PARTNERS_PER_SPECIALIST_DAY, source: `no group capacity or specialist: one specialist's day (${PARTNERS_PER_SPECIALIST_DAY})` };
}

// ---- scoring and measuring ----------------------------------------------------------------

/** Every strategy at every key date through the preview path; each preview's items read once, then dropped. */
async function scoreAll(
  db: Database,
  segment: string,
  strategies: ResolvedStrategy[],
  keyDates: string[],
  onProgress?: (message: string) => void,
): Promise<ScoredList[][]> {
  const lists: ScoredList[][] = strategies.map(() => []);
  // Key date outermost: the strategies at one key date share the preview's kept facts, which the
  // first preview computes for all of them (those of the same currency and ageing buckets).
  for (const asOf of keyDates) {
    for (const [i, s] of strategies.entries()) {
      onProgress?.(`scoring ${s.label} at ${asOf}`);
      const run = await runWorklist(db, { segment, asOf, mode: 'PREVIEW', document: s.document, keepFacts: factsSharedWith(s, strategies) });
      lists[i]!.push({ asOf, runId: run.runId, partners: await listedPartners(db, run.runId) });
      await dropPreviewItems(db, run.runId);
    }
  }
  return lists;
}

/** The facts of the strategies whose previews share kept fact rows with `s`'s. */
function factsSharedWith(s: ResolvedStrategy, strategies: ResolvedStrategy[]): FactKey[] {
  const same = (o: ResolvedStrategy) =>
    o.document.currency === s.document.currency && JSON.stringify(o.document.agingBuckets) === JSON.stringify(s.document.agingBuckets);
  return strategies.filter(same).flatMap((o) => factKeysOf(o.document));
}

async function listedPartners(db: Database, runId: string): Promise<ScoredList['partners']> {
  const rows: Array<{ partner_id: string; valuation: number; priority: number; tbc: string; max_days_overdue: number | null }> = await db.dataSource.query(
    `SELECT partner_id::text AS partner_id, valuation, priority, amount_to_be_collected::text AS tbc, max_days_overdue
       FROM worklist_items WHERE run_id = $1 ORDER BY partner_id`,
    [runId],
  );
  // In partner order, not as the run wrote them: the figures and the bootstrap's resamples do not depend on how a list was written.
  return rows.map((r) => ({ partnerId: r.partner_id, valuation: r.valuation, priority: r.priority, toBeCollected: r.tbc, maxDaysOverdue: r.max_days_overdue }));
}

/**
 * The outcomes of every strategy's lists: one read per strategy currency for all key dates and
 * the union of the lists (outcomes do not depend on who ranked the partner), then each list's
 * partners with their own valuation and band.
 */
async function measureAll(db: Database, strategies: ResolvedStrategy[], lists: ScoredList[][], horizonDays: number): Promise<PartnerOutcome[][][]> {
  const out: PartnerOutcome[][][] = strategies.map(() => []);
  for (const currency of new Set(strategies.map((s) => s.document.currency))) {
    const members = strategies.flatMap((s, i) => (s.document.currency === currency ? [i] : []));
    const keyDates = lists[members[0]!]!.map((l) => l.asOf);
    const unions = keyDates.map((asOf, d) => {
      const union = new Map<string, ListedPartner>();
      for (const i of members) for (const p of lists[i]![d]!.partners) if (!union.has(p.partnerId)) union.set(p.partnerId, p);
      return { asOf, partners: [...union.values()] };
    });
    const measured = await measureOutcomes(db, unions, { horizonDays, currency });
    const byKey = new Map<string, PartnerOutcome>();
    measured.forEach((rows, d) => rows.forEach((r) => byKey.set(`${keyDates[d]}:${r.partnerId}`, r)));
    for (const i of members) {
      out[i] = lists[i]!.map((l) =>
        l.partners.map((p) => ({ ...byKey.get(`${l.asOf}:${p.partnerId}`)!, valuation: p.valuation, priority: p.priority, toBeCollected: p.toBeCollected })),
      );
    }
  }
  return out;
}

// ---- figures ------------------------------------------------------------------------------

/** Oldest debt first: days overdue of the oldest open item (none: last). */
const oldestDebt = (p: ScoredList['partners'][number]) => p.maxDaysOverdue ?? -1_000_000;
/** Largest amount first: the amount to be collected. */
const largestAmount = (p: ScoredList['partners'][number]) => Number(p.toBeCollected);

/** The same partners ranked by a baseline's key, without bands. */
function baselineRows(list: ScoredList, rows: PartnerOutcome[], score: (p: ScoredList['partners'][number]) => number): PartnerOutcome[] {
  return rows.map((r, i) => ({ ...r, valuation: score(list.partners[i]!), priority: null }));
}

function figuresOf(rows: PartnerOutcome[], oldest: PartnerOutcome[], largest: PartnerOutcome[], capacity: number): BacktestFigures {
  return {
    list: summariseOutcomes(rows, capacity),
    byBand: outcomesByBand(rows, capacity),
    oldestDebtFirst: summariseOutcomes(oldest, capacity),
    largestAmountFirst: summariseOutcomes(largest, capacity),
  };
}

function strategyResult(
  s: ResolvedStrategy,
  lists: ScoredList[],
  outcomes: PartnerOutcome[][],
  capacity: number,
  bootstrap: { paired: boolean; resamples: number; seed: number; confidence: number },
): StrategyBacktest {
  const oldest = lists.map((l, d) => baselineRows(l, outcomes[d]!, oldestDebt));
  const largest = lists.map((l, d) => baselineRows(l, outcomes[d]!, largestAmount));
  const rows = outcomes.flat();
  return {
    label: s.label,
    strategyKey: s.strategyKey,
    version: s.version,
    currency: s.document.currency,
    pooled: figuresOf(rows, oldest.flat(), largest.flat(), capacity),
    keyDates: lists.map((l, d) => ({ asOf: l.asOf, runId: l.runId, ...figuresOf(outcomes[d]!, oldest[d]!, largest[d]!, capacity) })),
    versusBaselines: [
      { label: s.label, against: BASELINES.oldestDebtFirst, differences: differencesOf(bootstrapListFigures(oldest.flat(), rows, capacity, bootstrap)) },
      { label: s.label, against: BASELINES.largestAmountFirst, differences: differencesOf(bootstrapListFigures(largest.flat(), rows, capacity, bootstrap)) },
    ],
  };
}

/** Higher is better for all three figures: BETTER when the whole interval is above zero. */
export function verdictOf(d: BootstrapDifference): Verdict {
  if (d.difference === null || d.low === null || d.high === null) return 'UNKNOWN';
  if (d.low > 0) return 'BETTER';
  if (d.high < 0) return 'WORSE';
  return 'NO_CLEAR_DIFFERENCE';
}

function differencesOf(intervals: Record<FigureName, BootstrapDifference>): FigureDifference[] {
  return (['collectedShare', 'captureAtCapacity', 'auc'] as const).map((figure) => ({ figure, ...intervals[figure], verdict: verdictOf(intervals[figure]) }));
}
