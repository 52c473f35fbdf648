import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { runCycle, type CycleStepName, type StepHandler } from '../packages/server/src/jobs';
import { openTestDatabase } from './support/database';

/**
 * `pnpm recoup cycle run --as-of D` (runCycle): every enabled step of the date in dependency
 * order on the engine; a failed step leaves its dependents unstarted; a second run reruns the
 * failed ones and keeps the done ones.
 */
let db: Database;
const ran: string[] = [];
let judgeWorks = false;

const handlers = (): Record<CycleStepName, StepHandler> => {
  const ok = (step: CycleStepName) => async (cycleDate: string) => {
    ran.push(`${step}:${cycleDate}`);
    return 'ok';
  };
  return {
    IMPORT: ok('IMPORT'),
    JUDGE: async (cycleDate) => {
      if (!judgeWorks) throw new Error('promises table locked');
      return ok('JUDGE')(cycleDate);
    },
    DUNNING: ok('DUNNING'),
    WORKLISTS: ok('WORKLISTS'),
    ANALYTICS: ok('ANALYTICS'),
    CORRESPONDENCE: ok('CORRESPONDENCE'),
  };
};

beforeAll(async () => {
  db = await openTestDatabase();
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe('cycle run by hand', () => {
  it('runs the steps in dependency order; a dead step leaves the steps after it unstarted', async () => {
    const lines: string[] = [];
    const steps = await runCycle(db, '2026-12-04', { handlers: handlers(), retryLimit: 0, pollMs: 100, onProgress: (l) => lines.push(l) });
    expect(Object.fromEntries(steps.map((s) => [s.step, s.state]))).toEqual({
      IMPORT: 'DONE',
      JUDGE: 'FAILED',
      DUNNING: 'WAITING',
      WORKLISTS: 'WAITING',
      ANALYTICS: 'WAITING',
      CORRESPONDENCE: 'WAITING',
    });
    expect(ran).toEqual(['IMPORT:2026-12-04']);
    expect(lines).toContain('JUDGE failed: promises table locked');
    expect(lines).toContain('WORKLISTS not started: a step it depends on failed');
    // Judging was queued only after the import it waits for was done.
    expect(lines.indexOf('IMPORT done')).toBeLessThan(lines.findIndex((l) => l.startsWith('JUDGE queued')));
  }, 60_000);

  it('a second run reruns the failed step and what waited for it, not the done ones', async () => {
    judgeWorks = true;
    const steps = await runCycle(db, '2026-12-04', { handlers: handlers(), retryLimit: 0, pollMs: 100 });
    expect(steps.every((s) => s.state === 'DONE')).toBe(true);
    expect(ran.filter((r) => r.startsWith('IMPORT'))).toEqual(['IMPORT:2026-12-04']);
    // Correspondence waits for dunning; worklists for import and judging.
    expect(ran.indexOf('CORRESPONDENCE:2026-12-04')).toBeGreaterThan(ran.indexOf('DUNNING:2026-12-04'));
    expect(ran.indexOf('WORKLISTS:2026-12-04')).toBeGreaterThan(ran.indexOf('JUDGE:2026-12-04'));
  }, 60_000);
});
