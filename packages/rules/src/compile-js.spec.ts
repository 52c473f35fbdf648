import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentArb, factRowArb } from './arbitraries';
import { compileJs } from './compile-js';
import { createEngine, engineScore } from './engine';
import { validateStrategy } from './validate';

describe('JS scorer vs json-rules-engine', () => {
  it('the arbitraries produce valid documents', () => {
    fc.assert(
      fc.property(documentArb, (doc) => {
        const result = validateStrategy(doc);
        expect(result.errors).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same fired rules, exits, valuation, percent and priority on random documents and rows', async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(documentArb, fc.array(factRowArb, { minLength: 1, maxLength: 12 }), async (doc, rows) => {
        const js = compileJs(doc);
        const engine = createEngine(doc);
        for (const row of rows) {
          expect(js.score(row)).toEqual(await engineScore(engine, row));
          cases++;
        }
      }),
      { numRuns: 1000 },
    );
    expect(cases).toBeGreaterThan(3000);
  });

  it('treats null like undefined, as SQL NULL arrives', async () => {
    const doc = {
      key: 'N',
      name: 'n',
      currency: 'EUR',
      maxValuation: null,
      minPercent: 0,
      agingBuckets: [],
      priorities: [{ priority: 1, label: 'all', minPercent: 0 }],
      rules: [
        {
          name: 'ne',
          conditions: { all: [{ fact: 'riskClass', operator: 'notEqual', value: 'A' }] },
          event: { type: 'v', params: { points: 1, role: 'condition' as const } },
        },
        {
          name: 'eq',
          conditions: { all: [{ fact: 'riskClass', operator: 'equal', value: { fact: 'segment' } }] },
          event: { type: 'v', params: { points: 2, role: 'condition' as const } },
        },
      ],
    };
    const js = compileJs(doc);
    const engine = createEngine(doc);
    const row = { f_riskclass: null, f_segment: undefined };
    expect(js.score(row).fired).toEqual(['ne', 'eq']);
    expect(await engineScore(engine, row)).toEqual(js.score(row));
  });
});
