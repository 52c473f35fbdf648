/**
 * Valuation, percent and priority (DESIGN.md, "Semantics"), shared by the JS scorer and
 * the json-rules-engine runner, and mirrored by the SQL compiler. Points and maxValuation
 * are whole numbers and percentages have two decimals (validation sees to it), so the
 * integer arithmetic here is exact in doubles.
 */
import type { RuleRole, StrategyDocument } from './document';

export interface ScoringRule {
  name: string;
  role: RuleRole;
  points: number;
}

export interface ScoringPlan {
  rules: ScoringRule[];
  /** The given maxValuation, else the sum of positive points of condition rules. */
  maxValuation: number;
  /** Bands by minPercent, highest first; the last one has minPercent 0. */
  bands: { priority: number; minPercent: number }[];
  minPercent: number;
}

export interface Score {
  /** Names of the fired condition rules, in document order. */
  fired: string[];
  /** Names of the fired exit rules, in document order. */
  exits: string[];
  excluded: boolean;
  valuation: number;
  /** Clamped to 0..100, rounded half up to two decimals. */
  percent: number;
  priority: number;
  passesMinPercent: boolean;
}

export function scoringPlan(document: StrategyDocument): ScoringPlan {
  const rules = document.rules.map((r) => ({ name: r.name, role: r.event.params.role, points: r.event.params.points }));
  const positive = rules.reduce((s, r) => (r.role === 'condition' && r.points > 0 ? s + r.points : s), 0);
  return {
    rules,
    maxValuation: document.maxValuation ?? positive,
    bands: [...document.priorities].sort((a, b) => b.minPercent - a.minPercent).map((b) => ({ priority: b.priority, minPercent: b.minPercent })),
    minPercent: document.minPercent,
  };
}

const cents = (percent: number) => Math.round(percent * 100);

/** valuation / maxValuation x 100 >= minPercent, exactly, on the clamped percent. */
export function reachesPercent(valuation: number, maxValuation: number, minPercent: number): boolean {
  if (minPercent <= 0) return true;
  return maxValuation > 0 && valuation * 10000 >= cents(minPercent) * maxValuation;
}

/**
 * The least whole valuation v with reachesPercent(v, maxValuation, minPercent): true when
 * every valuation reaches minPercent, false when none does (exact, in integers).
 */
export function valuationThreshold(maxValuation: number, minPercent: number): number | boolean {
  if (minPercent <= 0) return true;
  if (maxValuation <= 0) return false;
  const c = BigInt(cents(minPercent)) * BigInt(maxValuation);
  return Number((c + 9999n) / 10000n); // ceil(c / 10000); c >= 0
}

export function percentOf(valuation: number, maxValuation: number): number {
  if (maxValuation <= 0 || valuation <= 0) return 0;
  if (valuation >= maxValuation) return 100;
  // round half up of valuation * 10000 / maxValuation, in integers
  return Math.floor((valuation * 20000 + maxValuation) / (2 * maxValuation)) / 100;
}

export function priorityOf(plan: ScoringPlan, valuation: number): number {
  for (const band of plan.bands) if (reachesPercent(valuation, plan.maxValuation, band.minPercent)) return band.priority;
  return plan.bands[plan.bands.length - 1]!.priority; // unreachable for a valid document: the 0-band always matches
}

/** The score from which rules fired (`firedRules[i]` for `plan.rules[i]`). */
export function scoreOf(plan: ScoringPlan, firedRules: ArrayLike<boolean>): Score {
  const fired: string[] = [];
  const exits: string[] = [];
  let valuation = 0;
  for (let i = 0; i < plan.rules.length; i++) {
    if (!firedRules[i]) continue;
    const rule = plan.rules[i]!;
    if (rule.role === 'exit') exits.push(rule.name);
    else {
      fired.push(rule.name);
      valuation += rule.points;
    }
  }
  return {
    fired,
    exits,
    excluded: exits.length > 0,
    valuation,
    percent: percentOf(valuation, plan.maxValuation),
    priority: priorityOf(plan, valuation),
    passesMinPercent: reachesPercent(valuation, plan.maxValuation, plan.minPercent),
  };
}
