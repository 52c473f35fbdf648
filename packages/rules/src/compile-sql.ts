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
import { isAll, isAny, isFactReference, isNot, type Condition, type Scalar, type StrategyDocument } from './document';
import { factKey, factKeysOf, sqlTypeOf, type FactKey, type FactType } from './facts';
import { operatorDef } from './operators';
import { scoringPlan, valuationThreshold, type Score } from './scoring';

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
  const p = new Params(options.paramOffset ?? 0);
  const carry = (options.carryColumns ?? []).map(assertIdentifier);
  const carried = (alias: string) => carry.map((c) => `, ${alias}.${c}`).join('');
  const plan = scoringPlan(document);

  const column = (fact: string, params?: Record<string, unknown>) => `f."${factKey(fact, params).column}"`;
  const literal = (value: unknown, type: FactType, shape: string): string => {
    const element = type === 'string[]' ? 'text' : sqlTypeOf(type);
    if (shape === 'list' || shape === 'range') return p.add((value as Scalar[]).map(toText), `${element}[]`);
    return p.add(typeof value === 'boolean' ? value : toText(value as Scalar), element);
  };
  const expr = (c: Condition): string => {
    // json-rules-engine: any before all before not; an empty list is true for both all and any.
    if (isAny(c)) return c.any.length ? `(${c.any.map(expr).join(' OR ')})` : 'true';
    if (isAll(c)) return c.all.length ? `(${c.all.map(expr).join(' AND ')})` : 'true';
    if (isNot(c)) return `(NOT ${expr(c.not)})`;
    const op = operatorDef(c.operator)!;
    const a = column(c.fact, c.params);
    const b = isFactReference(c.value)
      ? column(c.value.fact, c.value.params)
      : literal(c.value, factKey(c.fact, c.params).type, op.value);
    return op.sql(a, b);
  };

  const conditionRules = plan.rules.map((r, i) => ({ ...r, i })).filter((r) => r.role === 'condition');
  const exitRules = plan.rules.map((r, i) => ({ ...r, i })).filter((r) => r.role === 'exit');


  const maxV = plan.maxValuation;
  // percentOf in integers: round half up of clamp(v, 0, max) x 10000 / max, as cents.
  const percent = (v: string) => maxV > 0
    ? `((greatest(least(${v}, ${p.add(maxV, 'integer')}), 0)::bigint * 20000 + ${p.add(maxV, 'bigint')}) / ${p.add(2 * maxV, 'bigint')}) * 0.01`
    : '0.00';
  // reachesPercent as `valuation >= the least whole valuation that reaches minPercent`.
  const reaches = (v: string, minPercent: number): string | boolean => {
    const t = valuationThreshold(maxV, minPercent);
    return typeof t === 'boolean' ? t : `${v} >= ${p.add(t, 'integer')}`;
  };
  const priority = (v: string) => {
    const bands = plan.bands;
    const whens: string[] = [];
    for (const b of bands.slice(0, -1)) {
      const cond = reaches(v, b.minPercent);
      if (cond === false) continue;
      whens.push(`WHEN ${cond} THEN ${p.add(b.priority, 'integer')}`);
      if (cond === true) break;
    }
    const fallback = p.add(bands[bands.length - 1].priority, 'integer');
    return whens.length ? `CASE ${whens.join(' ')} ELSE ${fallback} END` : fallback;
  };
  const passes = (v: string) => reaches(v, plan.minPercent);

  const layered = () => {
    const ruleColumns = document.rules.map((r, i) => `${expr(r.conditions)} AS r${i}`);
    // Integer arithmetic throughout (points are whole numbers, |sum| <= 500 x 10^6 fits int4).
    const valuation = conditionRules.length
      ? conditionRules.map((r) => `CASE WHEN c.r${r.i} THEN ${p.add(r.points, 'integer')} ELSE 0 END`).join(' + ')
      : '0';
    return [
      `SELECT v.${partner} AS partner_id${carried('v')}, v.valuation::numeric AS valuation, ${percent('v.valuation')} AS percent, ${priority('v.valuation')} AS priority,`,
      `  v.fired, v.exits, v.excluded, ${passes('v.valuation')} AS passes_min_percent`,
      // OFFSET 0 keeps Postgres from flattening the subqueries, which would re-evaluate every
      // rule and the valuation at each place they are referenced.
      `FROM (SELECT c.${partner}${carried('c')}, ${valuation} AS valuation,`,
      `    ${ruleBits(conditionRules)} AS fired,`,
      `    ${ruleBits(exitRules)} AS exits,`,
      `    ${exitRules.length ? exitRules.map((r) => `c.r${r.i}`).join(' OR ') : 'false'} AS excluded`,
      `  FROM (SELECT f.${partner}${carried('f')}${ruleColumns.map((r) => `,\n    ${r}`).join('')}`,
      `    FROM ${relation} f OFFSET 0) c OFFSET 0) v`,
    ].join('\n');
  };

  // Packed: one bigint per row, s = sum over fired rules of (its bit + points << (K + E)), with
  // K condition-rule bits at 0..K-1 (rule 0 highest) and E exit-rule bits at K..K+E-1, so that
  // fired = s::bit(K) (the K rightmost bits), exits = (s >> K)::bit(E) and valuation =
  // s >> (K + E) (an arithmetic shift, exact as the bits are below 2^(K + E)). Every rule is
  // evaluated once in the scan and the rest is integer arithmetic on one column. Used when
  // (sum of |points| + 1) << (K + E) fits in 2^62; otherwise the layered query above.
  const K = conditionRules.length;
  const E = exitRules.length;
  const spread = conditionRules.reduce((sum, r) => sum + BigInt(Math.abs(r.points)), 0n);
  const packs = options.encoding !== 'layered' && K + E <= 61 && (spread + 1n) << BigInt(K + E) <= 1n << 62n;
  const packed = () => {
    const bit = (pos: number) => 1n << BigInt(pos);
    const terms = [
      ...conditionRules.map((r, j) => ({ r, v: bit(K - 1 - j) + BigInt(r.points) * bit(K + E) })),
      ...exitRules.map((r, j) => ({ r, v: bit(K + E - 1 - j) })),
    ].map(({ r, v }) => `CASE WHEN ${expr(document.rules[r.i].conditions)} THEN ${p.add(v.toString(), 'bigint')} ELSE 0 END`);
    const v = `(s.s >> ${K + E})`;
    return [
      `SELECT s.${partner} AS partner_id${carried('s')}, ${v}::numeric AS valuation, ${percent(v)} AS percent, ${priority(v)} AS priority,`,
      `  ${K ? `s.s::bit(${K})::varbit` : EMPTY_BITS} AS fired,`,
      `  ${E ? `(s.s >> ${K})::bit(${E})::varbit` : EMPTY_BITS} AS exits,`,
      `  ${E ? `(s.s >> ${K})::bit(${E}) <> 0::bit(${E})` : 'false'} AS excluded,`,
      `  ${passes(v)} AS passes_min_percent`,
      // OFFSET 0 keeps Postgres from flattening the subquery, which would re-evaluate every rule
      // at each reference to s.
      `FROM (SELECT f.${partner}${carried('f')}, 0::bigint${terms.map((t) => ` +\n    ${t}`).join('')} AS s`,
      `  FROM ${relation} f OFFSET 0) s`,
    ].join('\n');
  };
  const text = packs ? packed() : layered();
  return {
    text, values: p.values, factKeys,
    conditionRules: conditionRules.map((r) => r.name), exitRules: exitRules.map((r) => r.name),
  };
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
  for (let i = 0; i < bits.length && i < names.length; i++) if (bits.charCodeAt(i) === 49) out.push(names[i]);
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
