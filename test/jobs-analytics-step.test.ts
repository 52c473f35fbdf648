import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { covers, snapshotState } from '../packages/server/src/analytics/analytics-snapshots';
import type { Database } from '../packages/server/src/db/database';
import { runCycle, type CycleStepName, type StepHandler } from '../packages/server/src/jobs';
import { seedDemoAr } from '../packages/server/src/seed/seed.service';
import { openTestDatabase } from './support/database';

/**
 * The nightly cycle's ANALYTICS step (`pnpm recoup cycle run --as-of D`): after import, judging and
 * worklists, it brings the daily analytics snapshots current up to the cycle date with the real
 * refresh; an AR change of the day makes them stale, and the next night's step makes them current
 * again. The other steps' work is replaced (their own tests cover it).
 */
const NIGHT = '2026-11-30';
const NEXT_NIGHT = '2026-12-01';
let db: Database;
const ran: string[] = [];

const others = (): Partial<Record<CycleStepName, StepHandler>> => {
  const ok = (step: CycleStepName) => async (cycleDate: string) => {
    ran.push(`${step}:${cycleDate}`);
    return 'ok';
  };
  return { IMPORT: ok('IMPORT'), JUDGE: ok('JUDGE'), DUNNING: ok('DUNNING'), WORKLISTS: ok('WORKLISTS'), CORRESPONDENCE: ok('CORRESPONDENCE') };
};

beforeAll(async () => {
  db = await openTestDatabase();
  await seedDemoAr(db, { partners: 40, seed: 3, asOf: NIGHT });
}, 180_000);

afterAll(async () => {
  await db?.close();
});

describe('the ANALYTICS step of the nightly cycle', () => {
  it('is seeded after worklists at 04:00 UTC, waiting for import, judging and worklists', async () => {
    const [step] = await db.dataSource.query(`SELECT cron, time_zone, depends_on, enabled FROM cycle_steps WHERE step = 'ANALYTICS'`);
    expect(step).toEqual({ cron: '0 4 * * *', time_zone: 'UTC', depends_on: ['IMPORT', 'JUDGE', 'WORKLISTS'], enabled: true });
  });

  it('runs after the worklists and leaves the snapshots current for the cycle date', async () => {
    expect((await snapshotState(db)).builtTo).toBeNull();
    const lines: string[] = [];
    const steps = await runCycle(db, NIGHT, { handlers: others(), retryLimit: 0, pollMs: 100, onProgress: (l) => lines.push(l) });
    expect(steps.find((s) => s.step === 'ANALYTICS')).toEqual({ step: 'ANALYTICS', state: 'DONE', error: null });
    expect(lines.indexOf('WORKLISTS done')).toBeLessThan(lines.findIndex((l) => l.startsWith('ANALYTICS queued')));

    const state = await snapshotState(db);
    expect(state.builtTo).toBe(NIGHT);
    expect(covers(state, NIGHT, NIGHT, true)).toBe(true);
    const [positions] = await db.dataSource.query(`SELECT count(*)::int AS n FROM analytics_daily_positions WHERE day = $1`, [NIGHT]);
    expect(positions.n).toBeGreaterThan(0);
    const [job] = await db.dataSource.query(
      `SELECT output->>'summary' AS summary FROM pgboss.job WHERE name = 'cycle-analytics' AND data->>'cycleDate' = $1 AND state = 'completed'`,
      [NIGHT],
    );
    expect(job.summary).toMatch(new RegExp(`^analytics snapshots full up to ${NIGHT}: \\d+ days built`));
  }, 180_000);

  it('a payment of the day makes them stale; the next night’s step brings them current again, incrementally', async () => {
    const [item] = await db.dataSource.query(
      `SELECT id, partner_id, currency FROM open_items WHERE open_amount > 1 AND document_date <= $1 ORDER BY id LIMIT 1`,
      [NIGHT],
    );
    await db.dataSource.query(
      `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) VALUES ('CYCLE-PAY-1', $1, $2, $3, 1.00, $4)`,
      [item.partner_id, item.id, NIGHT, item.currency],
    );
    expect(covers(await snapshotState(db), NIGHT, NIGHT, true)).toBe(false);

    const steps = await runCycle(db, NEXT_NIGHT, { handlers: others(), retryLimit: 0, pollMs: 100 });
    expect(steps.find((s) => s.step === 'ANALYTICS')?.state).toBe('DONE');
    const state = await snapshotState(db);
    expect(state.builtTo).toBe(NEXT_NIGHT);
    expect(covers(state, NIGHT, NEXT_NIGHT, true)).toBe(true);
    const [job] = await db.dataSource.query(
      `SELECT output->>'summary' AS summary FROM pgboss.job WHERE name = 'cycle-analytics' AND data->>'cycleDate' = $1 AND state = 'completed'`,
      [NEXT_NIGHT],
    );
    expect(job.summary).toMatch(new RegExp(`^analytics snapshots incremental up to ${NEXT_NIGHT}`));
    expect(ran).toContain(`WORKLISTS:${NEXT_NIGHT}`);
  }, 180_000);
});
