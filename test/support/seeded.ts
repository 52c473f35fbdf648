/**
 * What the random-history analytics tests share: a seeded generator (a failure is replayed from
 * its seed) and the small organisation their histories are drawn on.
 */
import type { Database } from '../../packages/server/src/db/database';
import { insertSegment, insertSpecialist, query } from './worklist-fixtures';

/** A small deterministic generator (mulberry32), so a failure can be replayed from its seed. */
export function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Strategies S1 and S2; segment SA with groups SA_G1 (S1) and SA_G2 (S2), segment SB with its only
 * group SB_G (S1); company codes 1000 and 2000; specialists 1 (SA_G1), 2 (SA_G2) and 3 (SB_G).
 */
export async function insertSnapshotOrganisation(db: Database): Promise<void> {
  await query(db, `INSERT INTO strategies (key, name) VALUES ('S1', 'Strategy 1'), ('S2', 'Strategy 2')`);
  await insertSegment(db, 'SA', [
    { key: 'SA_G1', strategyKey: 'S1' },
    { key: 'SA_G2', strategyKey: 'S2' },
  ]);
  await insertSegment(db, 'SB', [{ key: 'SB_G', strategyKey: 'S1' }]);
  await query(db, `INSERT INTO company_codes (code, name, currency) VALUES ('1000', 'CC 1000', 'EUR'), ('2000', 'CC 2000', 'EUR')`);
  for (const [id, group] of [
    [1, 'SA_G1'],
    [2, 'SA_G2'],
    [3, 'SB_G'],
  ] as const)
    await insertSpecialist(db, id, group);
}
