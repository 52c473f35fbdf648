/**
 * Lint for strategy documents: valid but probably not what the consultant meant.
 * Static checks need only the document; pass fact rows (e.g. a preview sample) to also find
 * rules that never or always fire on that data.
 */
import { isAll, isAny, isNot, type Condition, type StrategyDocument } from './document';
import { compileJs, type FactRow } from './compile-js';
import { reachesPercent, scoringPlan, type ScoringPlan } from './scoring';

export interface LintFinding {
  severity: 'warning' | 'info';
  code:
    | 'EMPTY_ANY'
    | 'ALWAYS_FIRES'
    | 'NEVER_FIRES'
    | 'EXIT_SHADOWS_ALL'
    | 'UNREACHABLE_BAND'
    | 'UNREACHABLE_MIN_PERCENT'
    | 'ZERO_POINTS'
    | 'NEVER_FIRES_ON_DATA'
    | 'ALWAYS_FIRES_ON_DATA'
    | 'EXIT_EXCLUDES_ALL_ON_DATA';
  path: string;
  message: string;
}

/** true/false when the condition is constant whatever the facts, else undefined. */
function constantValue(c: Condition, path: string, findings: LintFinding[]): boolean | undefined {
  if (isAny(c)) {
    if (c.any.length === 0) {
      findings.push({
        severity: 'warning',
        code: 'EMPTY_ANY',
        path: `${path}.any`,
        message: 'An empty "any" is true in json-rules-engine (not false): the condition always holds.',
      });
      return true;
    }
    const vs = c.any.map((s, i) => constantValue(s, `${path}.any[${i}]`, findings));
    return vs.includes(true) ? true : vs.every((v) => v === false) ? false : undefined;
  }
  if (isAll(c)) {
    const vs = c.all.map((s, i) => constantValue(s, `${path}.all[${i}]`, findings));
    return vs.includes(false) ? false : vs.every((v) => v === true) ? true : undefined;
  }
  if (isNot(c)) {
    const v = constantValue(c.not, `${path}.not`, findings);
    return v === undefined ? undefined : !v;
  }
  return undefined;
}

/** Valuations some set of firing rules can produce, or undefined when there are too many to list. */
function reachableValuations(points: number[]): Set<number> | undefined {
  let sums = new Set([0]);
  for (const p of points) {
    const next = new Set(sums);
    for (const s of sums) next.add(s + p);
    if (next.size > 100_000) return undefined;
    sums = next;
  }
  return sums;
}

export function lintStrategy(document: StrategyDocument, rows?: FactRow[]): LintFinding[] {
  const findings: LintFinding[] = [];
  const plan = scoringPlan(document);
  const always = constantRuleFindings(document, findings);
  unreachableFindings(document, plan, always, findings);
  if (rows && rows.length) dataFindings(document, plan, always, rows, findings);
  return findings;
}

/** Rules that always or never fire whatever the facts, and rules worth no points; returns the indexes of those always firing. */
function constantRuleFindings(document: StrategyDocument, findings: LintFinding[]): Set<number> {
  const always = new Set<number>();
  document.rules.forEach((rule, i) => {
    const path = `rules[${i}]`;
    const v = constantValue(rule.conditions, `${path}.conditions`, findings);
    const exit = rule.event.params.role === 'exit';
    if (v === true) {
      always.add(i);
      findings.push(
        exit
          ? { severity: 'warning', code: 'EXIT_SHADOWS_ALL', path, message: `Exit rule "${rule.name}" always fires: every partner is taken off the worklist.` }
          : { severity: 'warning', code: 'ALWAYS_FIRES', path, message: `Rule "${rule.name}" always fires, whatever the facts.` },
      );
    } else if (v === false) {
      findings.push({ severity: 'warning', code: 'NEVER_FIRES', path, message: `Rule "${rule.name}" can never fire.` });
    }
    if (!exit && rule.event.params.points === 0)
      findings.push({ severity: 'info', code: 'ZERO_POINTS', path: `${path}.event.params.points`, message: `Rule "${rule.name}" adds no points.` });
  });
  return always;
}

/** Priority bands and minPercent no combination of rule points reaches. */
function unreachableFindings(document: StrategyDocument, plan: ScoringPlan, always: Set<number>, findings: LintFinding[]): void {
  // Which valuations can occur: always-firing rules always count; never-firing ones never do.
  const fixed = plan.rules.reduce((s, r, i) => (r.role === 'condition' && always.has(i) ? s + r.points : s), 0);
  const variable = plan.rules.filter((r, i) => r.role === 'condition' && !always.has(i) && r.points !== 0).map((r) => r.points);
  const sums = reachableValuations(variable);
  const reachable = (minPercent: number) =>
    sums
      ? [...sums].some((s) => reachesPercent(fixed + s, plan.maxValuation, minPercent))
      : reachesPercent(fixed + variable.filter((p) => p > 0).reduce((a, b) => a + b, 0), plan.maxValuation, minPercent);
  document.priorities.forEach((band, i) => {
    if (!reachable(band.minPercent))
      findings.push({
        severity: 'warning',
        code: 'UNREACHABLE_BAND',
        path: `priorities[${i}]`,
        message: `No combination of rule points reaches ${band.minPercent} %: band "${band.label}" stays empty.`,
      });
  });
  if (!reachable(document.minPercent))
    findings.push({
      severity: 'warning',
      code: 'UNREACHABLE_MIN_PERCENT',
      path: 'minPercent',
      message: `No combination of rule points reaches minPercent ${document.minPercent} %: the worklist stays empty.`,
    });
}

/** Rules that fire for none or all of the given fact rows, and exit rules that take every partner off. */
function dataFindings(document: StrategyDocument, plan: ScoringPlan, always: Set<number>, rows: FactRow[], findings: LintFinding[]): void {
  const js = compileJs(document);
  const counts = new Array<number>(document.rules.length).fill(0);
  let excluded = 0;
  for (const row of rows) {
    const flags = js.evaluate(row);
    flags.forEach((f, i) => {
      if (f) counts[i]!++;
    });
    if (flags.some((f, i) => f && plan.rules[i]!.role === 'exit')) excluded++;
  }
  counts.forEach((n, i) => {
    const rule = document.rules[i]!;
    if (n === 0)
      findings.push({
        severity: 'info',
        code: 'NEVER_FIRES_ON_DATA',
        path: `rules[${i}]`,
        message: `Rule "${rule.name}" fires for none of the ${rows.length} partners.`,
      });
    else if (n === rows.length && !always.has(i))
      findings.push({
        severity: 'info',
        code: 'ALWAYS_FIRES_ON_DATA',
        path: `rules[${i}]`,
        message: `Rule "${rule.name}" fires for all ${rows.length} partners.`,
      });
  });
  if (excluded === rows.length)
    findings.push({
      severity: 'warning',
      code: 'EXIT_EXCLUDES_ALL_ON_DATA',
      path: 'rules',
      message: `Exit rules take all ${rows.length} partners off the worklist.`,
    });
}
