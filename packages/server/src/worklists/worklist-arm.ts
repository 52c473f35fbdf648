/**
 * The arm split of a champion/challenger experiment (experiments/), stable across runs: a partner is in the
 * challenger arm iff
 *
 *   first 32 bits of md5(experiment key || ':' || partner id)  mod 10000  <  share in basis points
 *
 * (the partner id is the internal bigint id in decimal; the bits read as an unsigned integer).
 * The run computes it in SQL (armSql) inside its scoring statement; armOf is its JS twin, which
 * tests and single-partner re-valuations use. md5 spreads the ids evenly, so the challenger's
 * share of a large group is the target within sampling noise.
 */
import { createHash } from 'node:crypto';

export type Arm = 'CHAMPION' | 'CHALLENGER';

/** Basis points of the whole: 10,000 = 100%. */
export const BASIS_POINTS = 10_000;

/** The bucket 0..9999 of a partner in an experiment. */
export function armBucket(experimentKey: string, partnerId: string): number {
  const hex = createHash('md5').update(`${experimentKey}:${partnerId}`, 'utf8').digest('hex');
  return parseInt(hex.slice(0, 8), 16) % BASIS_POINTS;
}

/** The JS twin of armSql. */
export function armOf(experimentKey: string, partnerId: string, shareBp: number): Arm {
  return armBucket(experimentKey, partnerId) < shareBp ? 'CHALLENGER' : 'CHAMPION';
}

/**
 * SQL true when the partner (an expression of its bigint id) is in the challenger arm; the key
 * and share are parameter placeholders. 16 hex digits padded to 64 bits read as a non-negative
 * bigint on every Postgres.
 */
export function inChallengerSql(partnerId: string, keyParam: string, shareParam: string): string {
  return `(('x' || lpad(substr(md5(${keyParam}::text || ':' || ${partnerId}::text), 1, 8), 16, '0'))::bit(64)::bigint % ${BASIS_POINTS}) < ${shareParam}::integer`;
}
