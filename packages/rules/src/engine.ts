/**
 * Running a document on json-rules-engine itself: the reference semantics (the oracle in
 * tests) and the source of explanations. Facts are precomputed per (fact, params); each
 * catalogue fact is registered as a dynamic fact whose params select the precomputed column
 * of the row passed to `run` as the runtime fact `__row`.
 */
import { Engine, Operator, type EngineResult } from 'json-rules-engine';
import type { StrategyDocument } from './document';
import { FACTS, factKey } from './facts';
import { scoreOf, scoringPlan, type Score, type ScoringPlan } from './scoring';
import type { FactRow } from './compile-js';

export const ROW_FACT = '__row';

/** json-rules-engine implementations of the extra (non built-in) operators of the registry. */
export function engineOperators(): Operator[] {
  return [
    new Operator<number, [number, number]>(
      'between',
      (a, b) => a >= b[0] && a <= b[1],
      (a: unknown) => typeof a === 'number',
    ),
  ];
}

export function registerOperators(engine: Engine): void {
  for (const op of engineOperators()) engine.addOperator(op);
}

export interface DocumentEngine {
  engine: Engine;
  plan: ScoringPlan;
  indexOf: Map<string, number>;
}

export function createEngine(document: StrategyDocument): DocumentEngine {
  // structuredClone: json-rules-engine keeps references into the rules it is given.
  const engine = new Engine(structuredClone(document.rules), { allowUndefinedFacts: true });
  registerOperators(engine);
  for (const def of FACTS) {
    engine.addFact(def.name, async (params, almanac) => {
      const row = await almanac.factValue<FactRow>(ROW_FACT);
      return row[factKey(def.name, params as Record<string, unknown>).column] ?? undefined;
    });
  }
  return { engine, plan: scoringPlan(document), indexOf: new Map(document.rules.map((r, i) => [r.name, i])) };
}

export async function runEngine(de: DocumentEngine, row: FactRow): Promise<EngineResult> {
  return de.engine.run({ [ROW_FACT]: row });
}

/** Which rules fired (by document index) in an engine result. */
export function firedFlags(de: DocumentEngine, result: EngineResult): boolean[] {
  const flags = new Array<boolean>(de.plan.rules.length).fill(false);
  for (const r of result.results) flags[de.indexOf.get(r.name)!] = true;
  return flags;
}

export async function engineScore(de: DocumentEngine, row: FactRow): Promise<Score> {
  return scoreOf(de.plan, firedFlags(de, await runEngine(de, row)));
}
