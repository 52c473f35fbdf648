/**
 * Document -> one parameterised SQL query over a per-partner fact relation (one row per
 * partner: `partner_id` plus one column per fact key, see `factKeysOf`). Every literal is a
 * typed `$n` parameter; identifiers come only from the fact registry and the validated
 * relation name. Numbers are numeric (exact) throughout.
 *
 * Result columns: partner_id, valuation numeric, percent numeric (2 decimals), priority int,
 * fired text[] (names of fired condition rules, document order), exits text[] (fired exit
 * rules), excluded boolean, passes_min_percent boolean.
 */
import { isAll, isAny, isFactReference, isNot, type Condition, type Scalar, type StrategyDocument } from './document';
import { factKey, factKeysOf, sqlTypeOf, type FactKey, type FactType } from './facts';
import { operatorDef } from './operators';
import { scoringPlan } from './scoring';

export interface CompiledSql {
  text: string;
  values: unknown[];
  factKeys: FactKey[];
}

export interface CompileSqlOptions {
  /** Table, view or CTE name with the fact rows (`name` or `schema.name`). */
  factsRelation: string;
  /** Its partner key column (default partner_id). */
  partnerColumn?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/;

export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a safe lowercase SQL identifier: ${JSON.stringify(name)}`);
  return name;
}

/** `$n::type` parameters, numbered from 1. Numbers travel as their shortest decimal text. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

const toText = (v: Scalar) => (typeof v === 'number' ? String(v) : v);

export function compileSql(document: StrategyDocument, options: CompileSqlOptions): CompiledSql {
  const relation = assertIdentifier(options.factsRelation);
  const partner = assertIdentifier(options.partnerColumn ?? 'partner_id');
  const factKeys = factKeysOf(document);
  const p = new Params();
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

  const ruleColumns = document.rules.map((r, i) => `${expr(r.conditions)} AS r${i}`);
  const conditionRules = plan.rules.map((r, i) => ({ ...r, i })).filter((r) => r.role === 'condition');
  const exitRules = plan.rules.map((r, i) => ({ ...r, i })).filter((r) => r.role === 'exit');

  const valuation = ['0::numeric', ...conditionRules.map((r) => `CASE WHEN c.r${r.i} THEN ${p.add(String(r.points), 'numeric')} ELSE 0 END`)].join(' + ');
  const names = (rules: { name: string; i: number }[]) =>
    `array_remove(ARRAY[${rules.map((r) => `CASE WHEN v.r${r.i} THEN ${p.add(r.name, 'text')} END`).join(', ')}]::text[], NULL)`;

  const maxV = plan.maxValuation;
  const maxParam = maxV > 0 ? p.add(String(maxV), 'numeric') : '';
  // valuation x 100 >= minPercent x maxValuation, exactly (numeric), as DESIGN.md says
  const reaches = (minPercent: number) =>
    minPercent <= 0 ? 'true' : maxV > 0 ? `(v.valuation * 100 >= ${p.add(String(minPercent), 'numeric')} * ${maxParam})` : 'false';
  const percent = maxV > 0 ? `round(least(greatest(v.valuation * 100 / ${maxParam}, 0), 100), 2)` : '0::numeric';
  const bands = plan.bands;
  const last = bands[bands.length - 1];
  const whens = bands.slice(0, -1).map((b) => `WHEN ${reaches(b.minPercent)} THEN ${p.add(b.priority, 'integer')}`);
  const fallback = p.add(last.priority, 'integer');
  const priority = whens.length ? `CASE ${whens.join(' ')} ELSE ${fallback} END` : fallback;

  const text = [
    `SELECT v.${partner} AS partner_id, v.valuation, ${percent} AS percent, ${priority} AS priority,`,
    `  ${names(conditionRules)} AS fired,`,
    `  ${names(exitRules)} AS exits,`,
    `  ${exitRules.length ? exitRules.map((r) => `v.r${r.i}`).join(' OR ') : 'false'} AS excluded,`,
    `  ${reaches(plan.minPercent)} AS passes_min_percent`,
    // OFFSET 0 keeps Postgres from flattening the subqueries, which would re-evaluate every
    // rule and the valuation at each place they are referenced.
    `FROM (SELECT c.*, ${valuation} AS valuation`,
    `  FROM (SELECT f.${partner}${ruleColumns.map((r) => `,\n    ${r}`).join('')}`,
    `    FROM ${relation} f OFFSET 0) c OFFSET 0) v`,
  ].join('\n');
  return { text, values: p.values, factKeys };
}

/** Column definitions of a fact relation for a document (for temp tables and VALUES lists). */
export function factColumnsSql(factKeys: FactKey[]): { column: string; type: string }[] {
  return factKeys.map((k) => ({ column: k.column, type: sqlTypeOf(k.type) }));
}
