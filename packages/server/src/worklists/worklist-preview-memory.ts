/**
 * A preview scored in this process: the kept fact rows of a preview (worklist-fact-cache) read
 * once into columns, then every preview over them scores the rules (compileColumnar), finds who
 * is on the list and deals them (worklist-deal) here, and the database only writes the items.
 * On the embedded database the SQL scoring and deal of a few thousand partners took 60-200 ms of
 * its one session; here they take a few. The same rows as the SQL path (worklist-preview.sql
 * previewSql), held to it by test/worklist-preview-memory.test.ts.
 */
import {
  compileColumnar,
  factKeysOf,
  numberColumn,
  percentOf,
  priorityOf,
  valuationThreshold,
  type ColumnarScorer,
  type FactColumn,
  type FactKey,
  type ScoringPlan,
  type StrategyDocument,
} from '@recoup/rules';
import type { QueryRunner } from 'typeorm';
import { fromUnits } from '../fx/money';
import { compareIds } from '../graphql/scalars';
import { byAmountThenId, deal, type DealRow, type DealSetting, type Dealt, type SpecialistAt } from './worklist-deal';
import type { WorklistRunStats } from './worklist.entity';
import { LIST_COLUMNS, SPECIALISTS_AT_SQL } from './worklist-run.sql';

/**
 * At most this many kept rows are held in memory per kept table (a bigger selection is scored by
 * the database): RECOUP_PREVIEW_MEMORY_ROWS, default 300,000 (about 100 MB with every fact of
 * the catalogue); 0 scores every preview in the database.
 */
export function memoryRowsLimit(): number {
  const setting = Number(process.env.RECOUP_PREVIEW_MEMORY_ROWS ?? '');
  return process.env.RECOUP_PREVIEW_MEMORY_ROWS && Number.isSafeInteger(setting) && setting >= 0 ? setting : 300_000;
}

/**
 * A kept fact table's rows as columns, read as previews need them: the first read fixes the rows'
 * order (by partner id as the table gives them), a later one adds the columns a new rule reads.
 */
export interface KeptColumns {
  table: string;
  rows: number;
  partnerIds: string[];
  /** Row of each partner id. */
  rowOf: Map<string, number>;
  raw: Map<string, unknown[]>;
  typed: Map<string, FactColumn>;
  /** Each row's segment, as its index in `segmentKeys`. */
  segmentOf: Int32Array;
  segmentKeys: string[];
  /** 1 where the row has an open item or a due resubmission (the list's own condition besides the score). */
  workable: Uint8Array;
  /** Each row's amount to be collected as the deal and the items hold it (roundedUnits). */
  amounts: Array<number | bigint | null>;
  /** Each row's place by amount (desc, none first) then partner id: the deal's and the list's last keys (made once, dealRanks). */
  ranks?: Int32Array;
  /** The rows by rank (the inverse of `ranks`). */
  byRank?: Int32Array;
  /**
   * Per rule's conditions (their JSON), 1 where they hold on a row: a points edit, and an edit of
   * one rule for the others, scores without evaluating a condition again.
   */
  holds: Map<string, Uint8Array>;
}

/** Conditions whose outcomes a kept table remembers (about 100 kB each per 100,000 rows) before it starts again. */
const HOLDS_KEPT = 256;

/** Where `conditions` hold on the kept rows, remembered. */
function holdsOf(kept: KeptColumns, conditions: unknown, test: (i: number) => boolean): Uint8Array {
  const key = JSON.stringify(conditions);
  let holds = kept.holds.get(key);
  if (!holds) {
    if (kept.holds.size >= HOLDS_KEPT) kept.holds.clear();
    holds = new Uint8Array(kept.rows);
    for (let i = 0; i < kept.rows; i++) holds[i] = test(i) ? 1 : 0;
    kept.holds.set(key, holds);
  }
  return holds;
}

/** The columns every preview reads besides the rules' facts: who is on the list, and what the deal needs. */
const DEAL_READS = [
  LIST_COLUMNS.segment,
  LIST_COLUMNS.openItemCount,
  LIST_COLUMNS.resubmissionDue,
  LIST_COLUMNS.toBeCollected,
  'w_group_key',
  'w_fixed_specialist_id',
  'w_fx_missing',
];

type ArrayRows = { rows: unknown[][] };
type ArrayClient = { query(q: { text: string; values: unknown[]; rowMode: 'array' }): Promise<ArrayRows> };

/** A kept fact table with the deal's columns and those of `keys` read (null: too many rows to hold, or memory scoring turned off). */
export async function readKeptColumns(coordinator: QueryRunner, table: string, keys: FactKey[] = []): Promise<KeptColumns | null> {
  const limit = memoryRowsLimit();
  if (limit === 0) return null;
  const reads = [...new Set([...DEAL_READS, ...keys.map((k) => k.column)])];
  // One row past the limit tells "too many" without counting the table first.
  const { rows } = await arrayQuery(coordinator, `SELECT partner_id, ${reads.join(', ')} FROM ${table} LIMIT $1`, [limit + 1]);
  if (rows.length > limit) return null;
  const partnerIds = rows.map((r) => String(r[0]));
  const raw = new Map(reads.map((column, c) => [column, rows.map((r) => r[c + 1])]));
  const segments = raw.get(LIST_COLUMNS.segment)!;
  const segmentKeys = [...new Set(segments.map(String))];
  const code = new Map(segmentKeys.map((key, i) => [key, i]));
  const [openItems, resubmissionDue] = [raw.get(LIST_COLUMNS.openItemCount)!, raw.get(LIST_COLUMNS.resubmissionDue)!];
  return {
    table,
    rows: rows.length,
    partnerIds,
    rowOf: new Map(partnerIds.map((id, i) => [id, i])),
    raw,
    typed: new Map(),
    segmentOf: Int32Array.from(segments, (s) => code.get(String(s))!),
    segmentKeys,
    workable: Uint8Array.from(openItems, (n, i) => (Number(n ?? 0) > 0 || resubmissionDue[i] === true ? 1 : 0)),
    amounts: raw.get(LIST_COLUMNS.toBeCollected)!.map(roundedUnits),
    holds: new Map(),
  };
}

/** Reads the columns of `keys` not read yet, placed by partner id (a scan's order is not promised twice). */
async function readFactColumns(coordinator: QueryRunner, kept: KeptColumns, keys: FactKey[]): Promise<void> {
  const missing = [...new Set(keys.map((k) => k.column))].filter((c) => !kept.raw.has(c));
  if (!missing.length) return;
  const { rows } = await arrayQuery(coordinator, `SELECT partner_id, ${missing.join(', ')} FROM ${kept.table}`);
  const columns = missing.map(() => new Array<unknown>(kept.rows));
  for (const row of rows) {
    const i = kept.rowOf.get(String(row[0]))!;
    for (let c = 0; c < missing.length; c++) columns[c]![i] = row[c + 1];
  }
  missing.forEach((column, c) => kept.raw.set(column, columns[c]!));
}

async function arrayQuery(coordinator: QueryRunner, text: string, values: unknown[] = []): Promise<ArrayRows> {
  const client = (await coordinator.connect()) as ArrayClient;
  return client.query({ text, values, rowMode: 'array' });
}

/** The typed columns of `keys` (numbers as exact-aware number columns). */
function columnsFor(kept: KeptColumns, keys: FactKey[]): Map<string, FactColumn> {
  for (const k of keys) {
    if (kept.typed.has(k.column)) continue;
    const values = kept.raw.get(k.column)!;
    kept.typed.set(k.column, k.type === 'number' ? numberColumn(values as Array<string | number | null>) : { kind: 'value', values });
  }
  return kept.typed;
}

/** A segment's part of the preview: its partners on the list with their score and specialist, and how many were excluded. */
export interface MemoryPart {
  excluded: number;
  partnerIds: string[];
  specialistIds: Array<string | null>;
  origins: Array<string | null>;
  valuations: number[];
  percents: string[];
  priorities: number[];
  fired: string[];
  /** Each item's amount to be collected in units of 1e-4, as its numeric(19,4) column holds it (roundedUnits). */
  amounts: Array<number | bigint | null>;
  /** Each item's place by amount then partner id among the kept rows (KeptColumns.ranks). */
  ranks: number[];
}

export interface MemoryPreview {
  fxMissing: boolean;
  parts: MemoryPart[];
}

/** The rules over the kept columns, and each segment's list dealt as distributeSql deals it. */
export async function scoreInMemory(
  coordinator: QueryRunner,
  kept: KeptColumns,
  document: StrategyDocument,
  asOf: string,
  segments: Array<{ key: string; defaultGroup: string | null }>,
): Promise<MemoryPreview> {
  const keys = factKeysOf(document);
  await readFactColumns(coordinator, kept, keys);
  const scorer = compileColumnar(document, columnsFor(kept, keys));
  const listed = listPartners(kept, document, scorer, segments);
  const settings = await dealSettings(coordinator, asOf, segments);
  const groupKey = kept.raw.get('w_group_key')!;
  const fixed = kept.raw.get('w_fixed_specialist_id')!;
  const ranks = dealRanks(kept);
  const parts = listed.map(({ rows, valuations, fired, excluded }, p) => {
    // In the deal's order already: each band's partners are dealt as they come, without a sort.
    const order = inRankOrder(kept, rows);
    const dealRows: DealRow[] = order.map((n) => {
      const i = rows[n]!;
      return {
        partnerId: kept.partnerIds[i]!,
        priority: priorityOf(scorer.plan, valuations[n]!),
        amount: kept.amounts[i]!,
        groupKey: (groupKey[i] as string | null) ?? null,
        fixedSpecialistId: fixed[i] == null ? null : String(fixed[i]),
        rank: ranks[i]!,
      };
    });
    const dealt = deal(dealRows, settings[p]!, { inDealOrder: true });
    return partOf(
      scorer.plan,
      dealRows,
      dealt,
      order.map((n) => valuations[n]!),
      order.map((n) => fired[n]!),
      excluded,
    );
  });
  return { fxMissing: kept.raw.get('w_fx_missing')!.some((v) => v === true), parts };
}

/**
 * Each kept row's place in the order by amount to be collected (desc, none first) then partner id,
 * sorted once per kept table: every deal and list order after it compares two integers instead.
 */
export function dealRanks(kept: KeptColumns): Int32Array {
  return rankOrder(kept).ranks;
}

/** dealRanks, and the rows in that order (row index by rank). */
function rankOrder(kept: KeptColumns): { ranks: Int32Array; byRank: Int32Array } {
  if (kept.ranks && kept.byRank) return { ranks: kept.ranks, byRank: kept.byRank };
  const rows = kept.partnerIds.map((partnerId, i): DealRow & { i: number } => ({
    i,
    partnerId,
    amount: kept.amounts[i]!,
    priority: 0,
    groupKey: null,
    fixedSpecialistId: null,
  }));
  rows.sort(byAmountThenId);
  const ranks = new Int32Array(kept.rows);
  const byRank = new Int32Array(kept.rows);
  rows.forEach((row, rank) => {
    ranks[row.i] = rank;
    byRank[rank] = row.i;
  });
  kept.ranks = ranks;
  kept.byRank = byRank;
  return { ranks, byRank };
}

/** Positions into `rows` (kept row indexes) in rank order: one pass over the kept rows, no sort. */
function inRankOrder(kept: KeptColumns, rows: readonly number[]): number[] {
  const { byRank } = rankOrder(kept);
  const position = new Int32Array(kept.rows).fill(-1);
  rows.forEach((row, n) => (position[row] = n));
  const ordered: number[] = [];
  for (let r = 0; r < byRank.length; r++) {
    const n = position[byRank[r]!]!;
    if (n >= 0) ordered.push(n);
  }
  return ordered;
}

interface Listed {
  excluded: number;
  rows: number[];
  valuations: number[];
  fired: string[];
}

/**
 * Per segment, its rows on the list (not excluded, reaching minPercent, with an open item or a due
 * resubmission) with their valuation and fired condition bits, and how many an exit rule excluded.
 * Exit rules first: an excluded row needs no condition rule.
 */
function listPartners(kept: KeptColumns, document: StrategyDocument, scorer: ColumnarScorer, segments: Array<{ key: string }>): Listed[] {
  const { plan, tests } = scorer;
  const holds = plan.rules.map((_, r) => holdsOf(kept, document.rules[r]!.conditions, tests[r]!));
  const conditions = holds.filter((_, r) => plan.rules[r]!.role === 'condition');
  const points = plan.rules.filter((r) => r.role === 'condition').map((r) => r.points);
  const threshold = valuationThreshold(plan.maxValuation, plan.minPercent);
  // Rule by rule over typed arrays (a tight loop each), then one pass over the rows.
  const excludedRows = anyOf(
    kept.rows,
    holds.filter((_, r) => plan.rules[r]!.role === 'exit'),
  );
  const valuations = new Float64Array(kept.rows);
  conditions.forEach((holding, r) => {
    const p = points[r]!;
    for (let i = 0; i < kept.rows; i++) if (holding[i]) valuations[i]! += p;
  });
  // Each kept segment's part (-1: not previewed).
  const partOfSegment = Int32Array.from(kept.segmentKeys, (key) => segments.findIndex((s) => s.key === key));
  const listed: Listed[] = segments.map(() => ({ excluded: 0, rows: [], valuations: [], fired: [] }));
  const firedBits = bitStrings(conditions.length);
  for (let i = 0; i < kept.rows; i++) {
    const p = partOfSegment[kept.segmentOf[i]!]!;
    if (p < 0) continue;
    const part = listed[p]!;
    if (excludedRows[i]) {
      part.excluded++;
      continue;
    }
    if (!kept.workable[i]) continue;
    const valuation = valuations[i]!;
    if (threshold === false || (threshold !== true && valuation < threshold)) continue;
    part.rows.push(i);
    part.valuations.push(valuation);
    part.fired.push(firedBits(conditions, i));
  }
  return listed;
}

/** 1 where any of `holds` holds. */
function anyOf(rows: number, holds: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(rows);
  for (const holding of holds) for (let i = 0; i < rows; i++) out[i]! |= holding[i]!;
  return out;
}

/** The fired bits of row i as text ('0'/'1' per condition rule), each distinct string made once. */
function bitStrings(rules: number): (conditions: Uint8Array[], i: number) => string {
  const bits = new Array<string>(rules);
  const join = (conditions: Uint8Array[], i: number) => {
    for (let r = 0; r < rules; r++) bits[r] = conditions[r]![i] ? '1' : '0';
    return bits.join('');
  };
  if (rules > 30) return join;
  const made = new Map<number, string>();
  return (conditions, i) => {
    let mask = 0;
    for (let r = 0; r < rules; r++) if (conditions[r]![i]) mask |= 1 << r;
    let text = made.get(mask);
    if (text === undefined) made.set(mask, (text = join(conditions, i)));
    return text;
  };
}

function partOf(plan: ScoringPlan, rows: DealRow[], dealt: Dealt[], valuations: number[], fired: string[], excluded: number): MemoryPart {
  return {
    excluded,
    partnerIds: rows.map((r) => r.partnerId),
    specialistIds: dealt.map((d) => d.specialistId),
    origins: dealt.map((d) => d.origin),
    valuations,
    percents: valuations.map(percentText(plan)),
    priorities: rows.map((r) => r.priority),
    fired,
    amounts: rows.map((r) => r.amount),
    ranks: rows.map((r) => r.rank!),
  };
}

/** The percent of a valuation as text, each made once (a list has a few distinct valuations). */
function percentText(plan: ScoringPlan): (valuation: number) => string {
  const made = new Map<number, string>();
  return (valuation) => {
    let text = made.get(valuation);
    if (text === undefined) made.set(valuation, (text = String(percentOf(valuation, plan.maxValuation))));
    return text;
  };
}

/**
 * Makes what the next preview of `document` over the kept rows reads: its facts' typed columns and
 * each rule's outcome per row (done in the background after a first preview).
 */
export function prepareFor(kept: KeptColumns, document: StrategyDocument): void {
  const scorer = compileColumnar(document, columnsFor(kept, factKeysOf(document)));
  scorer.plan.rules.forEach((_, r) => holdsOf(kept, document.rules[r]!.conditions, scorer.tests[r]!));
  dealRanks(kept);
}

/** A part's rows at `indexes` (in that order). */
export function partRows(part: MemoryPart, indexes: readonly number[]): MemoryPart {
  const pick = <T>(xs: readonly T[]) => indexes.map((i) => xs[i]!);
  return {
    excluded: part.excluded,
    partnerIds: pick(part.partnerIds),
    specialistIds: pick(part.specialistIds),
    origins: pick(part.origins),
    valuations: pick(part.valuations),
    percents: pick(part.percents),
    priorities: pick(part.priorities),
    fired: pick(part.fired),
    amounts: pick(part.amounts),
    ranks: pick(part.ranks),
  };
}

/**
 * The first `k` of a part's row indexes in worklist order (worklist-read.sql WORKLIST: priority,
 * valuation desc, amount desc with none first, partner id; the last two as `ranks`), and the others in no order: rows grouped by priority and valuation, and only the groups the first k reach sorted.
 */
export function splitInWorklistOrder(part: MemoryPart, k: number): { top: number[]; rest: number[] } {
  const groups = new Map<number, Map<number, number[]>>();
  part.priorities.forEach((priority, i) => {
    let byValuation = groups.get(priority);
    if (!byValuation) groups.set(priority, (byValuation = new Map()));
    const valuation = part.valuations[i]!;
    let members = byValuation.get(valuation);
    if (!members) byValuation.set(valuation, (members = []));
    members.push(i);
  });
  const top: number[] = [];
  const rest: number[] = [];
  for (const priority of [...groups.keys()].sort((a, b) => a - b)) {
    const byValuation = groups.get(priority)!;
    for (const valuation of [...byValuation.keys()].sort((a, b) => b - a)) {
      const members = byValuation.get(valuation)!;
      if (top.length >= k) {
        for (const i of members) rest.push(i);
        continue;
      }
      members.sort((a, b) => part.ranks[a]! - part.ranks[b]!);
      const taken = members.slice(0, k - top.length);
      for (const i of taken) top.push(i);
      for (const i of members.slice(taken.length)) rest.push(i);
    }
  }
  return { top, rest };
}

/**
 * A part's figures as worklist-preview.sql answers them from the items it wrote: per band and per
 * specialist the items and the sum of their amounts (scale four; null where none has one), in all
 * the sum or "0".
 */
export function figuresOf(part: MemoryPart): { excluded: number } & Pick<WorklistRunStats, 'byPriority' | 'bySpecialist' | 'amountToBeCollected'> {
  const bands = new Map<number, { count: number; sum: bigint | null }>();
  const loads = new Map<string | null, { count: number; sum: bigint | null }>();
  let total: bigint | null = null;
  const add = <K>(groups: Map<K, { count: number; sum: bigint | null }>, key: K, units: bigint | null) => {
    const group = groups.get(key) ?? { count: 0, sum: null };
    group.count++;
    if (units !== null) group.sum = (group.sum ?? 0n) + units;
    groups.set(key, group);
  };
  part.partnerIds.forEach((_, i) => {
    const amount = part.amounts[i]!;
    const units = amount === null ? null : typeof amount === 'bigint' ? amount : BigInt(amount);
    add(bands, part.priorities[i]!, units);
    add(loads, part.specialistIds[i]!, units);
    if (units !== null) total = (total ?? 0n) + units;
  });
  const text = (sum: bigint | null) => (sum === null ? null : fromUnits(sum));
  return {
    excluded: part.excluded,
    byPriority: [...bands]
      .sort(([a], [b]) => a - b)
      .map(([priority, g]) => ({ priority, count: g.count, amountToBeCollected: text(g.sum) })) as WorklistRunStats['byPriority'],
    bySpecialist: [...loads]
      .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : compareIds(a, b)))
      .map(([specialistId, g]) => ({ specialistId, count: g.count, amountToBeCollected: text(g.sum) })) as WorklistRunStats['bySpecialist'],
    amountToBeCollected: total === null ? '0' : fromUnits(total),
  };
}

/**
 * Per segment, who the deal deals to at the key date and which groups are active: one statement
 * (specialistsAtSql for the first segment; a specialist is in another segment when an active
 * group of it is theirs).
 */
async function dealSettings(coordinator: QueryRunner, asOf: string, segments: Array<{ key: string; defaultGroup: string | null }>): Promise<DealSetting[]> {
  const [row]: Array<{
    specialists: Array<{ id: string; group_key: string | null; absent: boolean; substitute_id: string | null }>;
    groups: Array<{ key: string; segment_key: string }>;
  }> = await coordinator.query(
    `SELECT (SELECT coalesce(json_agg(json_build_object('id', s.id::text, 'group_key', s.group_key, 'absent', s.absent, 'substitute_id', s.substitute_id::text)), '[]')
           FROM (${SPECIALISTS_AT_SQL}) s) AS specialists,
         (SELECT coalesce(json_agg(json_build_object('key', g.key, 'segment_key', g.segment_key)), '[]') FROM collection_groups g WHERE g.active) AS groups`,
    [asOf, segments[0]?.key ?? ''],
  );
  const activeGroups = new Map(row!.groups.map((g) => [g.key, g.segment_key]));
  return segments.map((segment) => ({
    specialists: row!.specialists.map((s): SpecialistAt => ({
      id: s.id,
      groupKey: s.group_key,
      inSegment: s.group_key !== null && activeGroups.get(s.group_key) === segment.key,
      absent: s.absent,
      substituteId: s.substitute_id,
    })),
    activeGroups: new Set(activeGroups.keys()),
    defaultGroup: segment.defaultGroup,
  }));
}

/**
 * A numeric's text rounded half away from zero to four decimals (as round(x, 4)), in units of
 * 1e-4: a number while it is a safe integer, else a bigint; null stays null.
 */
export function roundedUnits(value: unknown): number | bigint | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  const point = text.indexOf('.');
  const whole = point < 0 ? text : text.slice(0, point);
  // Up to 11 digits before the point: the units stay below 2^53.
  if (whole.length <= 12 && /^-?\d+$/.test(whole)) {
    const fraction = point < 0 ? '' : text.slice(point + 1);
    if (/^\d*$/.test(fraction)) {
      const negative = whole.startsWith('-');
      const digits = negative ? whole.slice(1) : whole;
      let units = Number(digits) * 10000 + Number(fraction.slice(0, 4).padEnd(4, '0'));
      if (fraction.length > 4 && fraction[4]! >= '5') units += 1;
      if (digits.length <= 11) return negative ? -units : units;
    }
  }
  return roundedUnitsExact(text);
}

function roundedUnitsExact(value: string): bigint {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(String(value));
  if (!m) throw new Error(`Not a numeric: ${String(value)}`);
  const fraction = (m[3] ?? '').padEnd(5, '0');
  let units = BigInt(m[2] || '0') * 10000n + BigInt(fraction.slice(0, 4));
  if (fraction[4]! >= '5') units += 1n;
  return m[1] ? -units : units;
}
