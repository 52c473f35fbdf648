import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analytics, refreshAnalyticsSnapshots } from '../packages/server/src/analytics';
import { AnalyticsGranularityEnum } from '../packages/server/src/analytics/analytics.types';
import { createApiToken } from '../packages/server/src/auth';
import type { Database } from '../packages/server/src/db/database';
import { createRequestContext, type RequestContext } from '../packages/server/src/graphql/context';
import type { Role } from '../packages/server/src/graphql/roles';
import { insertLedger, insertPayment } from './support/analytics-ledger';
import { openTestDatabase } from './support/database';
import { generator } from './support/seeded';
import { query } from './support/worklist-fixtures';

/**
 * Commission from the kept credits (analytics_payment_credits: each payment's latest crediting
 * event) equals commission from the mirror for every N, role and breakdown, on a random history of
 * contacts, promises and payments on the ledger's partners, and stays equal after each kind of
 * write (the partners it touches recomputed before the read); unbuilt, the report reads the mirror.
 */
const PERIOD = { from: '2026-02-01', to: '2026-03-31', currency: 'EUR' };
const WITHIN = [0, 1, 3, 14, 30, 365];
const SEED = Number(process.env.CREDITS_SEED ?? 20_261_207);

let db: Database;
let supervisorTokenId: string;
let random: () => number;
let nextId = 100;

const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const dayOf = (offset: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + offset * 86_400_000).toISOString().slice(0, 10);

async function addPromise(): Promise<number> {
  const id = nextId++;
  const created = dayOf(between(0, 89));
  await query(
    db,
    `INSERT INTO promises (id, external_id, partner_id, created_date, promised_date, amount, currency) VALUES ($1, $2, $3, $4, $4::date + 10, 100, 'EUR')`,
    [id, `Q${id}`, between(1, 3), created],
  );
  return id;
}

async function addContact(promiseIds: number[] | null): Promise<void> {
  const id = nextId++;
  await query(
    db,
    `INSERT INTO contacts (id, external_id, partner_id, contact_date, channel, direction, reached, author_specialist_id, promise_ids)
     VALUES ($1, $2, $3, $4, 'PHONE', 'OUTBOUND', true, $5, $6)`,
    [id, `K${id}`, between(1, 3), dayOf(between(0, 89)), pick([1, 2, null]), promiseIds],
  );
}

async function addPayment(): Promise<void> {
  const id = nextId++;
  await insertPayment(db, id, between(1, 3), null, dayOf(between(20, 89)), between(1, 50_000) / 100, pick(['EUR', 'EUR', 'USD']));
}

beforeAll(async () => {
  random = generator(SEED);
  db = await openTestDatabase();
  await insertLedger(db);
  const promises: number[] = [];
  for (let k = 0; k < 8; k++) promises.push(await addPromise());
  for (let k = 0; k < 25; k++) await addContact(random() < 0.3 ? [pick(promises)] : null);
  for (let k = 0; k < 40; k++) await addPayment();
  const created = await createApiToken(db, { name: 'sup-g2', role: 'SUPERVISOR', groups: ['ALS_G2'] });
  supervisorTokenId = String(created.record.id);
});

afterAll(async () => {
  await db?.close();
});

function ctxOf(role: Role, specialistId: string | null = null): RequestContext {
  return createRequestContext(db, { tokenId: role === 'SUPERVISOR' ? supervisorTokenId : '0', name: 'test', role, specialistId });
}

const callers = (): Array<[string, RequestContext]> => [
  ['ADMIN', ctxOf('ADMIN')],
  ['SPECIALIST 2', ctxOf('SPECIALIST', '2')],
  ['SUPERVISOR ALS_G2', ctxOf('SUPERVISOR')],
];

/** Every N and caller, and the weekly breakdown: the kept credits' figures equal the mirror's. */
async function expectCreditsEqualMirror(): Promise<void> {
  for (const [who, ctx] of callers()) {
    for (const withinDays of WITHIN) {
      const args = { filter: PERIOD, withinDays };
      expect(await analytics.commissionReport(ctx, args), `${who} N=${withinDays}`).toEqual(
        await analytics.commissionReport(ctx, { ...args, source: 'MIRROR' }),
      );
    }
    const weekly = { filter: PERIOD, withinDays: 14, granularity: AnalyticsGranularityEnum.WEEK };
    expect(await analytics.commissionBreakdown(ctx, weekly), `${who} weekly`).toEqual(
      await analytics.commissionBreakdown(ctx, { ...weekly, source: 'MIRROR' }),
    );
  }
}

const credits = async () => Number((await query(db, `SELECT count(*)::int AS n FROM analytics_payment_credits`))[0]!.n);
const noted = async () => Number((await query(db, `SELECT count(DISTINCT partner_id)::int AS n FROM analytics_credit_dirty`))[0]!.n);

describe('commission credits kept current', () => {
  it('are built by the refresh and give the mirror figures for every N, caller and breakdown', async () => {
    expect(await credits()).toBe(0);
    const refreshed = await refreshAnalyticsSnapshots(db, { from: '2026-01-31', to: '2026-03-31' });
    expect(refreshed.credits).toEqual({ mode: 'FULL', partners: null });
    // Some payments have an event on or before them, some none.
    const kept = await credits();
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(43);
    expect(await noted()).toBe(0);
    await expectCreditsEqualMirror();
    const total = (await analytics.commissionReport(ctxOf('ADMIN'), { filter: PERIOD, withinDays: 30 })).total;
    expect(Number(total)).toBeGreaterThan(0);
  });

  it('recompute the partners a write touches before the report reads', async () => {
    for (let k = 0; k < 10; k++) {
      const roll = random();
      if (roll < 0.25) await addContact(random() < 0.5 ? [await addPromise()] : null);
      else if (roll < 0.45) await addPayment();
      else if (roll < 0.55) await query(db, `DELETE FROM contacts WHERE id = (SELECT min(id) FROM contacts WHERE author_specialist_id IS NOT NULL)`);
      else if (roll < 0.7)
        await query(
          db,
          `UPDATE contacts SET author_specialist_id = 3 - author_specialist_id WHERE id = (SELECT max(id) FROM contacts WHERE author_specialist_id IS NOT NULL)`,
        );
      else if (roll < 0.8) await query(db, `UPDATE promises SET created_date = created_date - 5 WHERE id = (SELECT max(id) FROM promises)`);
      else if (roll < 0.9)
        await query(db, `UPDATE payments SET payment_date = payment_date + 2 WHERE id = (SELECT min(id) FROM payments WHERE payment_date < '2026-03-25')`);
      else await query(db, `DELETE FROM payments WHERE id = (SELECT max(id) FROM payments)`);
      expect(await noted()).toBeGreaterThan(0);
      await expectCreditsEqualMirror();
      expect(await noted()).toBe(0);
    }
  });

  it('a contact linking another partner’s promise recomputes that partner too', async () => {
    const [promise] = await query(db, `SELECT id::int AS id, partner_id::int AS partner FROM promises ORDER BY id LIMIT 1`);
    const other = promise!.partner === 1 ? 2 : 1;
    await query(
      db,
      `INSERT INTO contacts (id, external_id, partner_id, contact_date, channel, direction, reached, author_specialist_id, promise_ids)
       VALUES (9000, 'K9000', $1, '2026-03-01', 'PHONE', 'OUTBOUND', true, 2, $2)`,
      [other, [promise!.id]],
    );
    expect(
      Number(
        (await query(db, `SELECT count(*)::int AS n FROM analytics_credit_dirty WHERE partner_id = ANY ($1::bigint[])`, [[other, promise!.partner]]))[0]!.n,
      ),
    ).toBe(2);
    await expectCreditsEqualMirror();
  });

  it('unbuilt after a TRUNCATE: the report reads the mirror until the refresh builds them again', async () => {
    await query(db, `CREATE TEMP TABLE kept_promises AS SELECT * FROM promises`);
    await db.dataSource.transaction(async (m) => {
      await m.query(`TRUNCATE promises`);
      await m.query(`INSERT INTO promises SELECT * FROM kept_promises`);
    });
    expect((await query(db, `SELECT built FROM analytics_credit_state`))[0]!.built).toBe(false);
    await expectCreditsEqualMirror();
    expect((await refreshAnalyticsSnapshots(db, { to: '2026-03-31' })).credits.mode).toBe('FULL');
    await expectCreditsEqualMirror();
  });
});
