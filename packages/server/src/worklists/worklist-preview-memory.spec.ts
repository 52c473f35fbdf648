import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitInWorklistOrder, type MemoryPart } from './worklist-preview-memory';

/** A part of n rows with few distinct priorities and valuations (ties are the point) and distinct ranks. */
const partArb = fc.integer({ min: 0, max: 300 }).chain((n) =>
  fc
    .record({
      priorities: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: n, maxLength: n }),
      valuations: fc.array(fc.constantFrom(0, 5, 12.5, 40, 100), { minLength: n, maxLength: n }),
      ranks: fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => i * 3),
        { minLength: n, maxLength: n },
      ),
    })
    .map(({ priorities, valuations, ranks }): MemoryPart => ({
      excluded: 0,
      partnerIds: ranks.map(String),
      specialistIds: ranks.map(() => null),
      origins: ranks.map(() => null),
      valuations,
      percents: valuations.map(String),
      priorities,
      fired: ranks.map(() => ''),
      amounts: ranks.map(() => null),
      ranks,
    })),
);

/** The worklist order by a plain sort of every row: priority, valuation desc, rank. */
function sortedOrder(part: MemoryPart): number[] {
  return part.partnerIds
    .map((_, i) => i)
    .sort((a, b) => part.priorities[a]! - part.priorities[b]! || part.valuations[b]! - part.valuations[a]! || part.ranks[a]! - part.ranks[b]!);
}

describe('the top of a preview list in worklist order', () => {
  it('is the first k rows of a full sort, and the rest is every other row once', () => {
    fc.assert(
      fc.property(partArb, fc.integer({ min: 0, max: 120 }), (part, k) => {
        const { top, rest } = splitInWorklistOrder(part, k);
        const sorted = sortedOrder(part);
        expect(top).toEqual(sorted.slice(0, k));
        expect([...rest].sort((a, b) => a - b)).toEqual(sorted.slice(k).sort((a, b) => a - b));
      }),
      { numRuns: 500 },
    );
  });
});
