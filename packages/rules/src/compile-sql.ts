/**
 * Document -> one parameterised SQL query over a per-partner fact relation (one row per
 * partner: `partner_id` plus one column per fact key, see `factKeysOf`). Every literal is a
 * typed `$n` parameter; identifiers come only from the fact registry and the validated
 * relation name. Fact comparisons are numeric (exact); points, valuation, percent and priority
 * are computed in whole-number integer arithmetic (exact; see scoring.ts), and there are two
 * query shapes with the same result: packed (one bigint per row, the default when the document
 * fits) and layered (see `compileSql`).
 *
 * Result columns: partner_id, valuation numeric (a whole number), percent numeric (2 decimals),
 * priority int, fired varbit (one bit per condition rule in document order, leftmost first, set
 * when the rule fired; `CompiledSql.conditionRules` names them), exits varbit (likewise for the
 * exit rules, `CompiledSql.exitRules`), excluded boolean, passes_min_percent boolean. The `pg`
 * driver returns a varbit as '0'/'1' text; `namesOfBits` and `scoreOfSqlRow` decode it to names.
 * A document without condition (exit) rules gives an empty bit string.
 */
import { isAll, isAny, isFactReference, isNot, type Condition, type RuleRole, type Scalar, type StrategyDocument } from './document';
import { factKey, factKeysOf, sqlTypeOf, type FactKey, type FactType } from './facts';
import { operatorDef } from './operators';
import { scoringPlan, valuationThreshold, type Score, type ScoringPlan, type ScoringRule } from './scoring';

export interface CompiledSql {
  text: string;
  values: unknown[];
  factKeys: FactKey[];
  /** Names of the condition rules in document order: bit i of `fired` (from the left) is rule i. */
  conditionRules: string[];
  /** Names of the exit rules in document order: bit i of `exits` is rule i. */
  exitRules: string[];
}

export interface CompileSqlOptions {
  /** Table, view or CTE name with the fact rows (`name` or `schema.name`). */
  factsRelation: string;
  /** Its partner key column (default partner_id). */
  partnerColumn?: string;
  /**
   * 'auto' (default): the packed single-bigint query when the document fits (see below), else
   * the layered one; 'layered' forces the layered query (tests cover both).
   */
  encoding?: 'auto' | 'layered';
  /** Number the parameters from $offset+1, to follow another statement's (e.g. the fact rows' CTE). */
  paramOffset?: number;
  /** Further columns of the fact relation to pass through to the result (lowercase identifiers). */
  carryColumns?: string[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/;

export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a safe lowercase SQL identifier: ${JSON.stringify(name)}`);
  return name;
}

/** `$n::type` parameters, numbered from 1. Numbers travel as their shortest decimal text. */
class Params {
  readonly values: unknown[] = [];
  constructor(private readonly offset = 0) {}
  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.offset + this.values.length}::${type}`;
  }
}

const toText = (v: Scalar) => (typeof v === 'number' ? String(v) : v);

export function compileSql(document: StrategyDocument, options: CompileSqlOptions): CompiledSql {
  const relation = assertIdentifier(options.factsRelation);
  const partner = assertIdentifier(options.partnerColumn ?? 'partner_id');
  const factKeys = factKeysOf(document);
  const carry = (options.carryColumns ?? []).map(assertIdentifier);
  const plan = scoringPlan(document);
  const q: Compilation = {
    document,
    plan,
    relation,
    partner,
    carry,
    p: new Params(options.paramOffset ?? 0),
    conditionRules: rulesOfRole(plan, 'condition'),
    exitRules: rulesOfRole(plan, 'exit'),
  };
  const text = fitsPacked(q, options.encoding) ? packedSql(q) : layeredSql(q);
  return {
    text,
    values: q.p.values,
    factKeys,
    conditionRules: q.conditionRules.map((r) => r.name),
    exitRules: q.exitRules.map((r) => r.name),
  };
}

/** A rule of the plan with its index in the document (its column r<i> in the layered query). */
type IndexedRule = ScoringRule & { i: number };

/** What the steps of compileSql share. */
interface Compilation {
  document: StrategyDocument;
  plan: ScoringPlan;
  relation: string;
  partner: string;
  /** Columns passed through to the result. */
  carry: string[];
  p: Params;
  conditionRules: IndexedRule[];
  exitRules: IndexedRule[];
}

const rulesOfRole = (plan: ScoringPlan, role: RuleRole): IndexedRule[] => plan.rules.map((r, i) => ({ ...r, i })).filter((r) => r.role === role);

const carried = (q: Compilation, alias: string) => q.carry.map((c) => `, ${alias}.${c}`).join('');

const factColumn = (fact: string, params?: Record<string, unknown>) => `f."${factKey(fact, params).column}"`;

function literal(p: Params, value: unknown, type: FactType, shape: string): string {
  const element = type === 'string[]' ? 'text' : sqlTypeOf(type);
  if (shape === 'list' || shape === 'range') return p.add((value as Scalar[]).map(toText), `${element}[]`);
  return p.add(typeof value === 'boolean' ? value : toText(value as Scalar), element);
}

/** A condition as an SQL boolean over the fact row `f`. */
function conditionSql(c: Condition, p: Params): string {
  // json-rules-engine: any before all before not; an empty list is true for both all and any.
  if (isAny(c)) return c.any.length ? `(${c.any.map((s) => conditionSql(s, p)).join(' OR ')})` : 'true';
  if (isAll(c)) return c.all.length ? `(${c.all.map((s) => conditionSql(s, p)).join(' AND ')})` : 'true';
  if (isNot(c)) return `(NOT ${conditionSql(c.not, p)})`;
  const op = operatorDef(c.operator)!;
  const a = factColumn(c.fact, c.params);
  const b = isFactReference(c.value) ? factColumn(c.value.fact, c.value.params) : literal(p, c.value, factKey(c.fact, c.params).type, op.value);
  return op.sql(a, b);
}

/** percentOf in integers: round half up of clamp(v, 0, max) x 10000 / max, as cents. */
function percentSql(q: Compilation, v: string): string {
  const maxV = q.plan.maxValuation;
  return maxV > 0
    ? `((greatest(least(${v}, ${q.p.add(maxV, 'integer')}), 0)::bigint * 20000 + ${q.p.add(maxV, 'bigint')}) / ${q.p.add(2 * maxV, 'bigint')}) * 0.01`
    : '0.00';
}

/** reachesPercent as `valuation >= the least whole valuation that reaches minPercent` (or a constant). */
function reachesSql(q: Compilation, v: string, minPercent: number): string | boolean {
  const t = valuationThreshold(q.plan.maxValuation, minPercent);
  return typeof t === 'boolean' ? t : `${v} >= ${q.p.add(t, 'integer')}`;
}

/** The priority of the first band the valuation reaches (bands highest first), the last band's otherwise. */
function prioritySql(q: Compilation, v: string): string {
  const bands = q.plan.bands;
  const whens: string[] = [];
  for (const b of bands.slice(0, -1)) {
    const cond = reachesSql(q, v, b.minPercent);
    if (cond === false) continue;
    whens.push(`WHEN ${cond} THEN ${q.p.add(b.priority, 'integer')}`);
    if (cond === true) break;
  }
  const fallback = q.p.add(bands[bands.length - 1]!.priority, 'integer');
  return whens.length ? `CASE ${whens.join(' ')} ELSE ${fallback} END` : fallback;
}

const passesSql = (q: Compilation, v: string) => reachesSql(q, v, q.plan.minPercent);

/** Every rule a boolean column r<i>, then the valuation and bit strings over them, then the score. */
function layeredSql(q: Compilation): string {
  const { partner, conditionRules, exitRules } = q;
  const ruleColumns = q.document.rules.map((r, i) => `${conditionSql(r.conditions, q.p)} AS r${i}`);
  // Integer arithmetic throughout (points are whole numbers, |sum| <= 500 x 10^6 fits int4).
  const valuation = conditionRules.length ? conditionRules.map((r) => `CASE WHEN c.r${r.i} THEN ${q.p.add(r.points, 'integer')} ELSE 0 END`).join(' + ') : '0';
  return [
    `SELECT v.${partner} AS partner_id${carried(q, 'v')}, v.valuation::numeric AS valuation, ${percentSql(q, 'v.valuation')} AS percent, ${prioritySql(q, 'v.valuation')} AS priority,`,
    `  v.fired, v.exits, v.excluded, ${passesSql(q, 'v.valuation')} AS passes_min_percent`,
    // OFFSET 0 keeps Postgres from flattening the subqueries, which would re-evaluate every
    // rule and the valuation at each place they are referenced.
    `FROM (SELECT c.${partner}${carried(q, 'c')}, ${valuation} AS valuation,`,
    `    ${ruleBits(conditionRules)} AS fired,`,
    `    ${ruleBits(exitRules)} AS exits,`,
    `    ${exitRules.length ? exitRules.map((r) => `c.r${r.i}`).join(' OR ') : 'false'} AS excluded`,
    `  FROM (SELECT f.${partner}${carried(q, 'f')}${ruleColumns.map((r) => `,\n    ${r}`).join('')}`,
    `    FROM ${q.relation} f OFFSET 0) c OFFSET 0) v`,
  ].join('\n');
}

// Packed: one bigint per row, s = sum over fired rules of (its bit + points << (K + E)), with
// K condition-rule bits at 0..K-1 (rule 0 highest) and E exit-rule bits at K..K+E-1, so that
// fired = s::bit(K) (the K rightmost bits), exits = (s >> K)::bit(E) and valuation =
// s >> (K + E) (an arithmetic shift, exact as the bits are below 2^(K + E)). Every rule is
// evaluated once in the scan and the rest is integer arithmetic on one column. Used when
// (sum of |points| + 1) << (K + E) fits in 2^62; otherwise the layered query above.
function fitsPacked(q: Compilation, encoding: CompileSqlOptions['encoding']): boolean {
  const K = q.conditionRules.length;
  const E = q.exitRules.length;
  const spread = q.conditionRules.reduce((sum, r) => sum + BigInt(Math.abs(r.points)), 0n);
  return encoding !== 'layered' && K + E <= 61 && (spread + 1n) << BigInt(K + E) <= 1n << 62n;
}

function packedSql(q: Compilation): string {
  const { partner, conditionRules, exitRules } = q;
  const K = conditionRules.length;
  const E = exitRules.length;
  const bit = (pos: number) => 1n << BigInt(pos);
  const terms = [
    ...conditionRules.map((r, j) => ({ r, v: bit(K - 1 - j) + BigInt(r.points) * bit(K + E) })),
    ...exitRules.map((r, j) => ({ r, v: bit(K + E - 1 - j) })),
  ].map(({ r, v }) => `CASE WHEN ${conditionSql(q.document.rules[r.i]!.conditions, q.p)} THEN ${q.p.add(v.toString(), 'bigint')} ELSE 0 END`);
  const v = `(s.s >> ${K + E})`;
  return [
    `SELECT s.${partner} AS partner_id${carried(q, 's')}, ${v}::numeric AS valuation, ${percentSql(q, v)} AS percent, ${prioritySql(q, v)} AS priority,`,
    `  ${K ? `s.s::bit(${K})::varbit` : EMPTY_BITS} AS fired,`,
    `  ${E ? `(s.s >> ${K})::bit(${E})::varbit` : EMPTY_BITS} AS exits,`,
    `  ${E ? `(s.s >> ${K})::bit(${E}) <> 0::bit(${E})` : 'false'} AS excluded,`,
    `  ${passesSql(q, v)} AS passes_min_percent`,
    // OFFSET 0 keeps Postgres from flattening the subquery, which would re-evaluate every rule
    // at each reference to s.
    `FROM (SELECT f.${partner}${carried(q, 'f')}, 0::bigint${terms.map((t) => ` +\n    ${t}`).join('')} AS s`,
    `  FROM ${q.relation} f OFFSET 0) s`,
  ].join('\n');
}

const EMPTY_BITS = 'substring(0::bit(1) FROM 1 FOR 0)::varbit';

/**
 * A bit string with one bit per rule, in order, set when the rule (column c.r<i>) fired: each
 * run of up to 63 rules is a bigint of CASE terms cast to bit(k) (which keeps the k rightmost
 * bits), so there is no array and nothing per rule but a CASE and an OR.
 */
function ruleBits(rules: { i: number }[]): string {
  if (!rules.length) return EMPTY_BITS;
  const words: string[] = [];
  for (let start = 0; start < rules.length; start += 63) {
    const chunk = rules.slice(start, start + 63);
    const terms = chunk.map((r, j) => `CASE WHEN c.r${r.i} THEN ${(1n << BigInt(chunk.length - 1 - j)).toString()}::bigint ELSE 0::bigint END`);
    words.push(`(${terms.join(' | ')})::bit(${chunk.length})`);
  }
  return `(${words.join(' || ')})::varbit`;
}

/** Names of the rules whose bit is set in a `fired` or `exits` bit string ('0'/'1' text). */
export function namesOfBits(bits: string | null | undefined, names: readonly string[]): string[] {
  const out: string[] = [];
  if (!bits) return out;
  for (let i = 0; i < bits.length && i < names.length; i++) if (bits.charCodeAt(i) === 49) out.push(names[i]!);
  return out;
}

/** A result row of the compiled query as the `pg` driver returns it (default type parsers). */
export interface SqlScoreRow {
  partner_id: unknown;
  valuation: string | number;
  percent: string | number;
  priority: number;
  fired: string;
  exits: string;
  excluded: boolean;
  passes_min_percent: boolean;
}

/** The Score of a result row, with rule names decoded from the bit strings. */
export function scoreOfSqlRow(compiled: Pick<CompiledSql, 'conditionRules' | 'exitRules'>, row: SqlScoreRow): Score {
  return {
    fired: namesOfBits(row.fired, compiled.conditionRules),
    exits: namesOfBits(row.exits, compiled.exitRules),
    excluded: row.excluded,
    valuation: Number(row.valuation),
    percent: Number(row.percent),
    priority: row.priority,
    passesMinPercent: row.passes_min_percent,
  };
}

/** Column definitions of a fact relation for a document (for temp tables and VALUES lists). */
export function factColumnsSql(factKeys: FactKey[]): { column: string; type: string }[] {
  return factKeys.map((k) => ({ column: k.column, type: sqlTypeOf(k.type) }));
}
