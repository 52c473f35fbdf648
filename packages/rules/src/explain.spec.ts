import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentArb, factRowArb } from './arbitraries';
import type { Condition, StrategyDocument } from './document';
import { createEngine } from './engine';
import { explain, explainSync } from './explain';

/** Priorities on the boolean conditions too (the arbitraries give them to fact conditions only): json-rules-engine orders sets by them. */
function withBooleanPriorities(document: StrategyDocument, pick: () => number): StrategyDocument {
  const visit = (c: Condition): Condition => {
    if ('fact' in c) return c;
    const priority = pick();
    const own = priority > 0 ? { priority } : {};
    if ('all' in c) return { ...own, all: c.all.map(visit) };
    if ('any' in c) return { ...own, any: c.any.map(visit) };
    return { ...own, not: visit(c.not) };
  };
  return { ...document, rules: document.rules.map((r) => ({ ...r, conditions: visit(r.conditions) as typeof r.conditions })) };
}

describe('explanations without json-rules-engine', () => {
  it('give the engine’s explanation: every result, skipped sets as null, fact values and score', async () => {
    let skippedSeen = 0;
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(
        documentArb,
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 40 }),
        fc.array(factRowArb, { minLength: 1, maxLength: 6 }),
        async (base, priorities, rows) => {
          let n = 0;
          const document = withBooleanPriorities(base, () => priorities[n++ % priorities.length]!);
          const engine = createEngine(document);
          for (const row of rows) {
            const expected = await explain(document, row, engine);
            expect(explainSync(document, row)).toEqual(expected);
            if (JSON.stringify(expected.rules).includes('"result":null')) skippedSeen++;
            cases++;
          }
        },
      ),
      { numRuns: 600 },
    );
    expect(cases).toBeGreaterThan(1000);
    // The short-circuit between priority sets really happened in some cases.
    expect(skippedSeen).toBeGreaterThan(20);
  });
});
