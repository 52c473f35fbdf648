/**
 * The SQL of a worklist run, built from the rules package's set-based fact rows and compiled
 * strategy: one query scores every partner of the selection and carries the figures a worklist
 * item shows; a second distributes the partners on the list to specialists. Every value is a
 * parameter; identifiers come from code (the run id is a bigint we generated).
 */
import { compileSql, factKey, factKeysOf, factRowsSql, type CompiledSql, type FactKey, type StrategyDocument } from '@recoup/rules';
import type { FactSource } from '../facts';
import { inChallengerSql, type Arm } from './worklist-arm';

/** What a worklist item shows beyond the strategy's own facts. */
const FIGURES = {
  openItemCount: factKey('openItemCount'),
  resubmissionDue: factKey('resubmissionDue'),
  open: factKey('openAmount'),
  overdue: factKey('overdueAmount'),
  due: factKey('dueAmount'),
  toBeCollected: factKey('amountToBeCollected'),
  promised: factKey('promisedAmount'),
  disputed: factKey('disputedAmount'),
  broken: factKey('brokenPromiseAmount'),
  dunned: factKey('dunnedAmount'),
  maxDunningLevel: factKey('maxDunningLevel'),
  maxDaysOverdue: factKey('maxDaysOverdue'),
  segment: factKey('segment'),
};
const EXTRA_COLUMNS = ['w_aging', 'w_last_payment_date', 'w_resubmission_date', 'w_fixed_specialist_id', 'w_group_key', 'w_fx_missing'];

export interface ScoredRowsSql {
  text: string;
  values: unknown[];
  compiled: CompiledSql;
}

export interface Selection {
  asOf: string;
  segments?: string[];
  partnerIds?: string[];
  /** Only partners with from <= id < to (a job of a run split by partner range). */
  partnerRange?: [string, string];
  /** Narrow every table's aggregate to the selected segments (for a small share of all partners). */
  narrow?: boolean;
  /** See FactRowsOptions: rates read beforehand, and the one promise tolerance of every company code. */
  rates?: Array<{ currency: string; rate: string }>;
  uniformToleranceDays?: number;
  /** Where the facts come from (facts/fact-source.ts): the mirror by default. */
  facts?: FactSource;
}

/** Every fact key a run of `document` reads: the item figures and the strategy's own facts. */
export function factKeysFor(document: StrategyDocument, extra: FactKey[] = []): FactKey[] {
  return [...new Map([...Object.values(FIGURES), ...factKeysOf(document), ...extra].map((k) => [k.key, k])).values()];
}

/** The fact rows (with the item figures) of the selection for the given keys. */
export function factRowsFor(document: StrategyDocument, keys: FactKey[], selection: Selection) {
  return factRowsSql(keys, {
    currency: document.currency,
    asOf: selection.asOf,
    segments: selection.segments,
    partnerIds: selection.partnerIds,
    partnerRange: selection.partnerRange,
    narrowAggregates: selection.narrow ?? true,
    unordered: true,
    rates: selection.rates,
    uniformToleranceDays: selection.uniformToleranceDays,
    worklistFigures: { agingLimits: document.agingBuckets },
    ...selection.facts,
  });
}

const CARRY = [...new Set(Object.values(FIGURES).map((k) => k.column)), ...EXTRA_COLUMNS];

const MONEY = new Set(
  [FIGURES.open, FIGURES.overdue, FIGURES.due, FIGURES.toBeCollected, FIGURES.promised, FIGURES.disputed, FIGURES.broken, FIGURES.dunned].map((k) => k.column),
);

// The rules have compared the exact converted amounts by now; what is carried on is rounded to
// the item's four decimals, which also keeps every later step's numeric arithmetic short (the
// deal sorts by amount). On the worklist (DESIGN.md): an open item or a due resubmission, not
// excluded, percent >= minPercent.
const withOnList = (compiled: string) => `SELECT scored.partner_id, ${carriedSql('scored', CARRY)},
  scored.valuation, scored.percent, scored.priority, scored.fired, scored.exits, scored.excluded, scored.passes_min_percent,
  ${onListSql('scored')} AS on_list
FROM (${compiled}) scored`;

/** The carried columns of a row aliased `alias`, amounts rounded as on the list. */
const carriedSql = (alias: string, columns: string[]) =>
  columns.map((c) => (MONEY.has(c) ? `round(${alias}.${c}, 4)::numeric(19,4) AS ${c}` : `${alias}.${c}`)).join(', ');

const onListSql = (alias: string) =>
  `(NOT ${alias}.excluded AND ${alias}.passes_min_percent AND (${alias}.${FIGURES.openItemCount.column} > 0 OR ${alias}.${FIGURES.resubmissionDue.column}))`;

/** What the deal reads of a scored row besides its score (the amount it deals by, the group, the fixed specialist), and the run's checks. */
const DEAL_COLUMNS = [FIGURES.toBeCollected.column, FIGURES.segment.column, 'w_group_key', 'w_fixed_specialist_id', 'w_fx_missing'];

/**
 * The scored rows of a preview (its statement holds them in memory, see worklist-preview.sql):
 * scoredFromFactsSql's columns that the deal, the run's checks and the items read (itemValuesSql,
 * with `arm` null), for every row of the fact table. The deal's columns are rounded as there
 * (the deal sorts by the amount to be collected); the other amounts are carried as computed, so
 * that the excluded rows, most of a preview's, cost no rounding: the items' numeric(19,4)
 * columns round them on insert exactly as round(x, 4) does.
 */
export function previewScoredSql(document: StrategyDocument, factsTable: string, paramOffset: number): { text: string; values: unknown[] } {
  const compiled = compileSql(document, { factsRelation: factsTable, carryColumns: CARRY, paramOffset });
  const rest = CARRY.filter((c) => !DEAL_COLUMNS.includes(c)).map((c) => `scored.${c}`);
  // OFFSET 0: the score's columns are computed once per row, not again in each expression that reads them.
  const text = `SELECT scored.partner_id, ${carriedSql('scored', DEAL_COLUMNS)}, ${rest.join(', ')},
  scored.valuation, scored.percent, scored.priority, scored.fired, scored.excluded, ${onListSql('scored')} AS on_list, NULL::varchar(10) AS arm
FROM (${compiled.text} OFFSET 0) scored`;
  return { text, values: compiled.values };
}

/**
 * One row per selected partner: partner_id, valuation, percent, priority, fired, exits,
 * excluded, passes_min_percent, on_list, and the carried figure columns (f_… and w_…).
 */
export function scoredRowsSql(document: StrategyDocument, selection: Selection): ScoredRowsSql {
  const facts = factRowsFor(document, factKeysFor(document), selection);
  const compiled = compileSql(document, { factsRelation: 'facts', paramOffset: facts.values.length, carryColumns: CARRY });
  return {
    text: `WITH facts AS NOT MATERIALIZED (${facts.text})\n${withOnList(compiled.text)}`,
    values: [...facts.values, ...compiled.values],
    compiled,
  };
}

/** The same rows as scoredRowsSql, scored from a table of fact rows made by factRowsFor (its parameters numbered after `paramOffset`). */
export function scoredFromFactsSql(document: StrategyDocument, factsTable: string, paramOffset = 0): ScoredRowsSql {
  const compiled = compileSql(document, { factsRelation: factsTable, carryColumns: CARRY, paramOffset });
  return { text: withOnList(compiled.text), values: compiled.values, compiled };
}

/** The columns of a scored row (withOnList), `fired` among them. */
const SCORED_COLUMNS = ['partner_id', ...CARRY, 'valuation', 'percent', 'priority', 'fired', 'exits', 'excluded', 'passes_min_percent', 'on_list'];

/**
 * One arm of a champion/challenger run (experiments/experiment-arm.ts): the partners of the
 * experiment's group in the arm, scored with the arm's document. The run's rule list is the
 * champion's condition rules then the challenger's, so an arm's `fired` bits are padded with
 * zeros for the other arm's rules (`before`, `after`).
 */
export interface ArmSplit {
  arm: Arm;
  key: string;
  shareBp: number;
  /** The experiment's group; the segment's active groups and default group decide a partner's group as the deal does. */
  groupKey: string;
  activeGroups: string[];
  defaultGroup: string | null;
  before: number;
  after: number;
}

/**
 * Scored rows with the item's `arm` column: null for a run without an experiment; with a split,
 * only the partners scored by that arm (the champion statement also keeps the segment's
 * partners outside the experiment's group, with a null arm).
 */
export function armRowsSql(scored: { text: string; values: unknown[] }, split?: ArmSplit): { text: string; values: unknown[] } {
  if (!split) return { text: `SELECT scored.*, NULL::varchar(10) AS arm FROM (${scored.text}) scored`, values: scored.values };
  const values = [...scored.values];
  const param = (v: unknown) => `$${values.push(v)}`;
  const zeros = (n: number) => `${param('0'.repeat(n))}::varbit`;
  const fired = [split.before > 0 ? zeros(split.before) : null, 'scored.fired', split.after > 0 ? zeros(split.after) : null].filter(Boolean).join(' || ');
  const group = `(CASE WHEN scored.w_group_key = ANY(${param(split.activeGroups)}::text[]) THEN scored.w_group_key ELSE ${param(split.defaultGroup)}::text END)`;
  const inGroup = `${group} IS NOT DISTINCT FROM ${param(split.groupKey)}::text`;
  const challenger = `(${inGroup} AND ${inChallengerSql('scored.partner_id', param(split.key), param(split.shareBp))})`;
  const columns = SCORED_COLUMNS.map((c) => (c === 'fired' ? `(${fired})::varbit AS fired` : `scored.${c}`)).join(', ');
  const text =
    split.arm === 'CHALLENGER'
      ? `SELECT ${columns}, 'CHALLENGER'::varchar(10) AS arm FROM (${scored.text}) scored WHERE ${challenger}`
      : `SELECT ${columns}, (CASE WHEN ${inGroup} THEN 'CHAMPION' END)::varchar(10) AS arm FROM (${scored.text}) scored WHERE NOT ${challenger}`;
  return { text, values };
}

/**
 * An experiment run's rows of a selection in one statement: the fact rows of both documents'
 * facts are read once (materialised), split by arm (the challenger's partners of the experiment's
 * group, and everyone else), and each arm's part is scored by its own compiled document; the
 * rows carry `arm` and `fired` padded as armRowsSql does. Both documents value in one currency
 * (the caller checks it), and the challenger comes with the champion's ageing limits.
 */
export function armsScoredSql(
  champion: StrategyDocument,
  challenger: StrategyDocument,
  selection: Selection,
  arms: { champion: ArmSplit; challenger: ArmSplit },
): { text: string; values: unknown[] } {
  const facts = factRowsFor(champion, factKeysFor(champion, factKeysOf(challenger)), selection);
  const values = [...facts.values];
  const param = (v: unknown) => `$${values.push(v)}`;
  const { key, shareBp, groupKey, activeGroups, defaultGroup } = arms.champion;
  const group = `(CASE WHEN f.w_group_key = ANY(${param(activeGroups)}::text[]) THEN f.w_group_key ELSE ${param(defaultGroup)}::text END)`;
  const inGroup = `${group} IS NOT DISTINCT FROM ${param(groupKey)}::text`;
  const inChallenger = `(${inGroup} AND ${inChallengerSql('f.partner_id', param(key), param(shareBp))})`;
  const scoredArm = (document: StrategyDocument, relation: string, split: ArmSplit) => {
    const compiled = compileSql(document, { factsRelation: relation, paramOffset: values.length, carryColumns: CARRY });
    values.push(...compiled.values);
    const zeros = (n: number) => `${param('0'.repeat(n))}::varbit`;
    const fired = [split.before > 0 ? zeros(split.before) : null, 'scored.fired', split.after > 0 ? zeros(split.after) : null].filter(Boolean).join(' || ');
    const columns = SCORED_COLUMNS.map((c) => (c === 'fired' ? `(${fired})::varbit AS fired` : `scored.${c}`)).join(', ');
    // The champion's statement also holds the segment's partners of other groups: no arm.
    const arm = split.arm === 'CHALLENGER' ? `'CHALLENGER'` : `CASE WHEN ${inGroup.replaceAll('f.w_group_key', 'scored.w_group_key')} THEN 'CHAMPION' END`;
    return `SELECT ${columns}, (${arm})::varchar(10) AS arm FROM (${withOnList(compiled.text)}) scored`;
  };
  const championRows = scoredArm(champion, 'champion_facts', arms.champion);
  const challengerRows = scoredArm(challenger, 'challenger_facts', arms.challenger);
  return {
    text: `WITH facts AS MATERIALIZED (${facts.text}),
  champion_facts AS (SELECT * FROM facts f WHERE NOT ${inChallenger}),
  challenger_facts AS (SELECT * FROM facts f WHERE ${inChallenger})
${championRows}
UNION ALL
${challengerRows}`,
    values,
  };
}

/** The worklist_items columns an item is written with, from a scored row aliased `t`. */
export const ITEM_COLUMNS = [
  'run_id',
  'partner_id',
  'specialist_id',
  'specialist_origin',
  'valuation',
  'percent',
  'priority',
  'fired',
  'amount_open',
  'amount_overdue',
  'amount_due',
  'amount_to_be_collected',
  'amount_promised',
  'amount_disputed',
  'amount_broken',
  'amount_dunned',
  'aging',
  'max_dunning_level',
  'max_days_overdue',
  'last_payment_date',
  'resubmission_date',
  'arm',
] as const;

/** Item values from a scored row `t` (run id, specialist and origin given as SQL expressions). */
export function itemValuesSql(runId: string, specialist: string, origin: string): string {
  const f = FIGURES;
  return [
    `${runId}::bigint`,
    't.partner_id',
    specialist,
    origin,
    't.valuation::integer',
    't.percent',
    't.priority',
    't.fired',
    `t.${f.open.column}`,
    `t.${f.overdue.column}`,
    `t.${f.due.column}`,
    `t.${f.toBeCollected.column}`,
    `t.${f.promised.column}`,
    `t.${f.disputed.column}`,
    `t.${f.broken.column}`,
    `t.${f.dunned.column}`,
    't.w_aging',
    `t.${f.maxDunningLevel.column}::smallint`,
    `t.${f.maxDaysOverdue.column}::integer`,
    't.w_last_payment_date',
    't.w_resubmission_date',
    't.arm',
  ].join(', ');
}

export const TO_BE_COLLECTED = FIGURES.toBeCollected.column;

/** The fact rows' columns that decide who is on a segment's list and what the deal sorts by (onListSql, distributeSql). */
export const LIST_COLUMNS = {
  segment: FIGURES.segment.column,
  openItemCount: FIGURES.openItemCount.column,
  resubmissionDue: FIGURES.resubmissionDue.column,
  toBeCollected: FIGURES.toBeCollected.column,
} as const;

/** The segment column of a scored row. */
export const scoredSegmentColumn = () => FIGURES.segment.column;

/** The parameters of a deal (distributeSql): key date, segment key, default group key. */
export interface DealParams {
  asOf: string;
  segment: string;
  defaultGroup: string;
}
const DEAL_PARAMS: DealParams = { asOf: '$1', segment: '$2', defaultGroup: '$3' };

/**
 * Specialists at key date $1 (a date parameter): who is absent (the latest absence covering D)
 * and who stands in: the substitute counts only while active and not absent himself (one level;
 * no chains). `in_segment` marks the members of the segment's active groups (segment key $2).
 */
export const SPECIALISTS_AT_SQL = specialistsAtSql(DEAL_PARAMS);

function specialistsAtSql({ asOf, segment }: Pick<DealParams, 'asOf' | 'segment'>): string {
  return `WITH away AS (SELECT DISTINCT ON (x.specialist_id) x.specialist_id, x.substitute_id
      FROM specialist_absences x WHERE ${asOf}::date BETWEEN x.starts_on AND x.ends_on
      ORDER BY x.specialist_id, x.starts_on DESC, x.id DESC)
  SELECT s.id, s.group_key, g.segment_key = ${segment}::text AND g.active AS in_segment, a.specialist_id IS NOT NULL AS absent,
      CASE WHEN sub.active AND NOT EXISTS (SELECT 1 FROM away b WHERE b.specialist_id = sub.id) THEN sub.id END AS substitute_id
    FROM specialists s
    LEFT JOIN collection_groups g ON g.key = s.group_key
    LEFT JOIN away a ON a.specialist_id = s.id
    LEFT JOIN specialists sub ON sub.id = a.substitute_id
   WHERE s.active`;
}

/**
 * Fills `target` (a table shaped like worklist_items) from the scored rows of `source` that are
 * on the list and in the segment. Parameters: $1 key date, $2 segment key, $3 default group key.
 *
 * Distribution: the partner's fixed specialist first (or that specialist's substitute while
 * absent); every other partner goes to a specialist of its collection group: per group and
 * priority the partners are taken by amount to be collected, largest first, and dealt to the
 * group's specialists in a snake order (1..k, k..1, …), so each specialist's item count differs
 * by at most one per band and the amounts balance too; the deal starts one seat further in each
 * band. A dealt specialist who is absent hands the item to the substitute; specialists absent
 * without a substitute are left out of the deal. A partner of a retired (inactive) group goes
 * to the segment's default group ($3). `params` names other parameters for these three;
 * `itemSource` the relation the items' columns are read from, when not `source` itself.
 */
export function distributeSql(runId: string, source: string, target: string, params: DealParams = DEAL_PARAMS, itemSource = source): string {
  // The deal works on narrow rows (partner, group, band, amount); the wide scored rows are read
  // once, in the final join. The sort is most of the deal's cost, so its keys are cheap: a
  // group's number (gno: its place among the groups' keys) rather than its key, and each amount
  // as a float8 before the exact amount (with four decimals, see withOnList), which decides only
  // where the floats are equal: the float of a larger amount is never smaller, so the order is
  // the amounts' own.
  const { segment, defaultGroup } = params;
  return `WITH spec AS (${specialistsAtSql(params)}),
  pool AS (SELECT sp.*, sp.group_key::text COLLATE "C" AS grp, (row_number() OVER (PARTITION BY sp.group_key ORDER BY sp.id) - 1)::integer AS seat,
      (count(*) OVER (PARTITION BY sp.group_key))::integer AS seats
    FROM spec sp WHERE sp.in_segment AND (NOT sp.absent OR sp.substitute_id IS NOT NULL)),
  groups AS (SELECT g.key, g.active, row_number() OVER (ORDER BY g.key)::integer AS gno FROM collection_groups g),
  listed AS (SELECT t.partner_id, t.priority, t.${TO_BE_COLLECTED} AS amount, coalesce(g.key, ${defaultGroup}::text) COLLATE "C" AS grp,
      CASE WHEN g.key IS NOT NULL THEN g.gno ELSE (SELECT d.gno FROM groups d WHERE d.key = ${defaultGroup}::text) END AS gno,
      t.w_fixed_specialist_id AS fixed_id
    FROM ${source} t LEFT JOIN groups g ON g.key = t.w_group_key AND g.active
   WHERE t.on_list AND t.${FIGURES.segment.column} = ${segment}::text),
  fixed AS (SELECT l.partner_id, CASE WHEN NOT fs.absent THEN fs.id ELSE fs.substitute_id END AS specialist_id,
      CASE WHEN NOT fs.absent THEN 'FIXED' ELSE 'SUBSTITUTE' END AS origin
    FROM listed l JOIN spec fs ON fs.id = l.fixed_id WHERE NOT fs.absent OR fs.substitute_id IS NOT NULL),
  dealt AS (SELECT l.partner_id, l.grp, l.priority,
      (row_number() OVER (PARTITION BY l.gno, l.priority ORDER BY l.amount::float8 DESC, l.amount DESC, l.partner_id) - 1)::bigint AS r
    FROM listed l WHERE NOT EXISTS (SELECT 1 FROM fixed f WHERE f.partner_id = l.partner_id)),
  assigned AS (SELECT partner_id, specialist_id, origin FROM fixed
    UNION ALL
    SELECT d.partner_id, CASE WHEN p.absent THEN p.substitute_id ELSE p.id END,
      CASE WHEN p.id IS NULL THEN NULL WHEN p.absent THEN 'SUBSTITUTE' ELSE 'STANDARD' END
    FROM (SELECT d.partner_id, d.grp, ((CASE WHEN (d.r / z.seats) % 2 = 0 THEN d.r % z.seats
          ELSE z.seats - 1 - d.r % z.seats END) + d.priority) % z.seats AS seat
        FROM dealt d LEFT JOIN (SELECT DISTINCT grp, seats FROM pool) z ON z.grp = d.grp) d
    LEFT JOIN pool p ON p.grp = d.grp AND p.seat = d.seat)
INSERT INTO ${target} (${ITEM_COLUMNS.join(', ')})
SELECT ${itemValuesSql(runId, 'a.specialist_id', 'a.origin')}
FROM ${itemSource} t JOIN assigned a ON a.partner_id = t.partner_id
WHERE t.on_list AND t.${FIGURES.segment.column} = ${segment}::text`;
}
