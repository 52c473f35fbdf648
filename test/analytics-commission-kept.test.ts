import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analytics, refreshAnalyticsSnapshots } from '../packages/server/src/analytics';
import { AnalyticsGranularityEnum, type AnalyticsFilter } from '../packages/server/src/analytics/analytics.types';
import { createApiToken } from '../packages/server/src/auth';
import type { Database } from '../packages/server/src/db/database';
import { createRequestContext, type RequestContext } from '../packages/server/src/graphql/context';
import type { Role } from '../packages/server/src/graphql/roles';
import { insertLedger, insertPayment } from './support/analytics-ledger';
import { openTestDatabase } from './support/database';
import { generator } from './support/seeded';
import { insertPartners, insertSegment, query } from './support/worklist-fixtures';

/**
 * Commission from the kept per-day credits (analytics_credit_days: payments and amounts per day,
 * specialist, gap, currency and responsibility; analytics_credit_partner_days: each partner's
 * credited days with its responsibility, for the distinct partners) equals commission from the
 * mirror for many N, the month and week breakdowns, every filter and the roles (a SUPERVISOR's
 * groups included), on a random history over ten partners in two segments (BET's partners in its
 * only group by default), and stays equal after each kind of write and after partners move group,
 * segment, strategy or specialist. The kept tables always equal their sums rebuilt from the
 * credits under the responsibility as the report computes it now (no zero, stale or unmoved keys).
 */
const PERIOD = { from: '2026-01-10', to: '2026-03-31', currency: 'EUR' };
const WITHIN = [0, 1, 7, 14, 30, 365];
const SEED = Number(process.env.COMMISSION_KEPT_SEED ?? 20_261_208);
const PARTNERS = 10;

let db: Database;
let supervisorG2: string;
let supervisorAll: string;
let supervisorBet: string;
let random: () => number;
let nextId = 100;

const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const dayOf = (offset: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + offset * 86_400_000).toISOString().slice(0, 10);

async function addPromise(): Promise<number> {
  const id = nextId++;
  await query(
    db,
    `INSERT INTO promises (id, external_id, partner_id, created_date, promised_date, amount, currency) VALUES ($1, $2, $3, $4, $4::date + 10, 100, 'EUR')`,
    [id, `Q${id}`, between(1, PARTNERS), dayOf(between(0, 89))],
  );
  return id;
}

async function addContact(promiseIds: number[] | null): Promise<void> {
  const id = nextId++;
  await query(
    db,
    `INSERT INTO contacts (id, external_id, partner_id, contact_date, channel, direction, reached, author_specialist_id, promise_ids)
     VALUES ($1, $2, $3, $4, 'PHONE', 'OUTBOUND', true, $5, $6)`,
    [id, `K${id}`, between(1, PARTNERS), dayOf(between(0, 89)), pick([1, 2, 2, null]), promiseIds],
  );
}

/** Several payments of a partner on one day now and then: the per-day sums and the partner's day hold more than one. */
async function addPayment(): Promise<void> {
  const partner = between(1, PARTNERS);
  const day = dayOf(between(5, 89));
  for (let k = random() < 0.2 ? 2 : 1; k > 0; k--) {
    const id = nextId++;
    await insertPayment(db, id, partner, null, day, between(1, 50_000) / 100, pick(['EUR', 'EUR', 'USD']));
  }
}

beforeAll(async () => {
  random = generator(SEED);
  db = await openTestDatabase();
  await insertLedger(db);
  await query(db, `INSERT INTO strategies (key, name) VALUES ('BET_STRAT', 'Second strategy')`);
  await insertSegment(db, 'BET', [{ key: 'BET_G1', strategyKey: 'BET_STRAT' }]);
  await query(db, `INSERT INTO collection_segment_company_codes (segment_key, company_code) VALUES ('ALS', '1000'), ('BET', '2000')`);
  // Partners 4..7 in ALS's groups, 8..10 in BET without a group of their own (its only group's).
  await insertPartners(
    db,
    Array.from({ length: PARTNERS - 3 }, (_, k) =>
      k + 4 >= 8
        ? { id: k + 4, segment: 'BET', group: null, specialist: null }
        : { id: k + 4, segment: 'ALS', group: k % 2 ? 'ALS_G1' : 'ALS_G2', specialist: null },
    ),
  );
  const promises: number[] = [];
  for (let k = 0; k < 12; k++) promises.push(await addPromise());
  for (let k = 0; k < 40; k++) await addContact(random() < 0.3 ? [pick(promises)] : null);
  for (let k = 0; k < 70; k++) await addPayment();
  supervisorG2 = String((await createApiToken(db, { name: 'sup-g2', role: 'SUPERVISOR', groups: ['ALS_G2'] })).record.id);
  supervisorAll = String((await createApiToken(db, { name: 'sup-all', role: 'SUPERVISOR' })).record.id);
  supervisorBet = String((await createApiToken(db, { name: 'sup-bet', role: 'SUPERVISOR', groups: ['BET_G1', 'ALS_G1'] })).record.id);
});

afterAll(async () => {
  await db?.close();
});

function ctxOf(role: Role, tokenId = '0', specialistId: string | null = null): RequestContext {
  return createRequestContext(db, { tokenId, name: 'test', role, specialistId });
}

/** The callers: ADMIN, SPECIALIST (own credits), SUPERVISOR with one group, with two (of two segments) and without (the department). */
const callers = (): Array<[string, RequestContext]> => [
  ['ADMIN', ctxOf('ADMIN')],
  ['SPECIALIST 2', ctxOf('SPECIALIST', '0', '2')],
  ['SUPERVISOR ALS_G2', ctxOf('SUPERVISOR', supervisorG2)],
  ['SUPERVISOR BET_G1 + ALS_G1', ctxOf('SUPERVISOR', supervisorBet)],
  ['SUPERVISOR (department)', ctxOf('SUPERVISOR', supervisorAll)],
];

const FILTERS: Array<Partial<AnalyticsFilter>> = [
  {},
  { specialist: '1' },
  { specialist: '2' },
  { companyCode: '1000' },
  { companyCode: '2000' },
  { strategy: 'ALS_STRAT' },
  { strategy: 'BET_STRAT' },
  { group: 'ALS_G1' },
  { group: 'ALS_G2' },
  { group: 'BET_G1' },
  { segment: 'ALS' },
  { segment: 'BET' },
  { segment: 'BET', group: 'BET_G1', strategy: 'BET_STRAT', companyCode: '2000', specialist: '2' },
  { from: '2026-02-15', to: '2026-02-20' },
];

async function expectKeptEqualMirror(): Promise<void> {
  for (const [who, ctx] of callers()) {
    for (const withinDays of WITHIN) {
      const args = { filter: PERIOD, withinDays };
      expect(await analytics.commissionReport(ctx, args), `${who} N=${withinDays}`).toEqual(
        await analytics.commissionReport(ctx, { ...args, source: 'MIRROR' }),
      );
    }
    for (const granularity of [AnalyticsGranularityEnum.MONTH, AnalyticsGranularityEnum.WEEK]) {
      for (const withinDays of [7, 30]) {
        const args = { filter: PERIOD, withinDays, granularity };
        expect(await analytics.commissionBreakdown(ctx, args), `${who} ${granularity} N=${withinDays}`).toEqual(
          await analytics.commissionBreakdown(ctx, { ...args, source: 'MIRROR' }),
        );
      }
    }
  }
  for (const [who, ctx] of [callers()[0]!, callers()[3]!]) {
    for (const filter of FILTERS) {
      for (const withinDays of [14, 365]) {
        const args = { filter: { ...PERIOD, ...filter }, withinDays, granularity: AnalyticsGranularityEnum.WEEK };
        expect(await analytics.commissionBreakdown(ctx, args), `${who} ${JSON.stringify(filter)} N=${withinDays}`).toEqual(
          await analytics.commissionBreakdown(ctx, { ...args, source: 'MIRROR' }),
        );
      }
    }
  }
}

/** Each partner's responsibility as the reports compute it now (responsibilityCte's partners, groups and only groups). */
const RESPONSIBILITY = `WITH only_group AS (SELECT segment_key, min(key) AS key FROM collection_groups GROUP BY segment_key HAVING count(*) = 1)
  SELECT p.id AS partner_id, p.segment, g.key AS group_key, g.strategy_key FROM partners p
    LEFT JOIN only_group og ON og.segment_key = p.segment LEFT JOIN collection_groups g ON g.key = coalesce(p.collection_group_key, og.key)`;

/** The kept tables equal their sums rebuilt from the credits: no key left at zero, none missing. */
async function expectKeptTablesExact(): Promise<void> {
  const days = `SELECT day::text, specialist_id::text, gap::int, currency::text, segment::text, group_key::text, strategy_key::text, payments::int, amount::text
    FROM analytics_credit_days ORDER BY 1, 2, 3, 4, 5, 6, 7`;
  const rebuiltDays = `WITH r AS (${RESPONSIBILITY})
    SELECT k.payment_date::text AS day, k.specialist_id::text, (k.payment_date - k.event_date)::int AS gap, k.currency::text,
      r.segment::text, r.group_key::text, r.strategy_key::text, count(*)::int AS payments, sum(k.amount)::numeric(19,4)::text AS amount
    FROM analytics_payment_credits k JOIN r ON r.partner_id = k.partner_id WHERE k.payment_date - k.event_date <= 365
   GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`;
  expect(await query(db, days)).toEqual(await query(db, rebuiltDays));
  const partnerDays = `SELECT partner_id::text, specialist_id::text, day::text, gap::int, segment::text, group_key::text, strategy_key::text
    FROM analytics_credit_partner_days ORDER BY 1, 2, 3`;
  const rebuiltPartnerDays = `WITH r AS (${RESPONSIBILITY})
    SELECT k.partner_id::text, k.specialist_id::text, k.payment_date::text AS day, min(k.payment_date - k.event_date)::int AS gap,
      min(r.segment)::text AS segment, min(r.group_key)::text AS group_key, min(r.strategy_key)::text AS strategy_key
    FROM analytics_payment_credits k JOIN r ON r.partner_id = k.partner_id WHERE k.payment_date - k.event_date <= 365 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
  expect(await query(db, partnerDays)).toEqual(await query(db, rebuiltPartnerDays));
  // Every partner with credited days is in both segments' figures somewhere: the history reaches both.
  expect((await query(db, `SELECT DISTINCT segment FROM analytics_credit_days ORDER BY 1`)).map((r) => r.segment)).toEqual(['ALS', 'BET']);
}

const noted = async () => Number((await query(db, `SELECT count(DISTINCT partner_id)::int AS n FROM analytics_credit_dirty`))[0]!.n);

describe('commission from the kept per-day credits', () => {
  it('are built with the credits and give the mirror figures for every N, breakdown, filter and caller', async () => {
    const refreshed = await refreshAnalyticsSnapshots(db, { from: '2026-01-09', to: '2026-03-31' });
    expect(refreshed.credits).toEqual({ mode: 'FULL', partners: null });
    expect(Number((await query(db, `SELECT count(*)::int AS n FROM analytics_credit_days`))[0]!.n)).toBeGreaterThan(10);
    await expectKeptTablesExact();
    await expectKeptEqualMirror();
    const report = await analytics.commissionReport(ctxOf('ADMIN'), { filter: PERIOD, withinDays: 30 });
    expect(report.lines.length).toBe(2);
    expect(report.lines.some((l) => l.partners > 1 && l.payments > l.partners)).toBe(true);
  });

  it('is what the unfiltered report reads: a changed sum shows in it and not in the mirror’s', async () => {
    const args = { filter: PERIOD, withinDays: 365 };
    const before = await analytics.commissionReport(ctxOf('ADMIN'), args);
    await query(
      db,
      `UPDATE analytics_credit_days SET amount = amount + 1 WHERE (day, specialist_id, gap, currency) = (SELECT day, specialist_id, gap, currency FROM analytics_credit_days WHERE currency = 'EUR' AND day >= '2026-01-10' ORDER BY day, specialist_id, gap LIMIT 1)`,
    );
    const changed = await analytics.commissionReport(ctxOf('ADMIN'), args);
    expect(Number(changed.total) - Number(before.total)).toBeCloseTo(1, 6);
    expect((await analytics.commissionReport(ctxOf('ADMIN'), { ...args, source: 'MIRROR' })).total).toBe(before.total);
    await query(
      db,
      `UPDATE analytics_credit_days SET amount = amount - 1 WHERE (day, specialist_id, gap, currency) = (SELECT day, specialist_id, gap, currency FROM analytics_credit_days WHERE currency = 'EUR' AND day >= '2026-01-10' ORDER BY day, specialist_id, gap LIMIT 1)`,
    );
    expect(await analytics.commissionReport(ctxOf('ADMIN'), args)).toEqual(before);
  });

  it('are what the filtered and group-scoped report reads: a changed sum of a group shows in its readers only', async () => {
    const args = { filter: PERIOD, withinDays: 365 };
    const row = `(day, specialist_id, gap, currency, segment, group_key) = (SELECT day, specialist_id, gap, currency, segment, group_key FROM analytics_credit_days
      WHERE currency = 'EUR' AND group_key = 'BET_G1' AND day >= '2026-01-10' ORDER BY day, specialist_id, gap LIMIT 1)`;
    const readers: Array<[RequestContext, Partial<AnalyticsFilter>]> = [
      [ctxOf('SUPERVISOR', supervisorBet), {}],
      [ctxOf('ADMIN'), { group: 'BET_G1' }],
      [ctxOf('ADMIN'), { segment: 'BET' }],
      [ctxOf('ADMIN'), { strategy: 'BET_STRAT' }],
      [ctxOf('ADMIN'), { companyCode: '2000' }],
    ];
    const others: Array<[RequestContext, Partial<AnalyticsFilter>]> = [
      [ctxOf('SUPERVISOR', supervisorG2), {}],
      [ctxOf('ADMIN'), { group: 'ALS_G1' }],
      [ctxOf('ADMIN'), { companyCode: '1000' }],
    ];
    const totals = async (list: typeof readers) =>
      Promise.all(list.map(async ([ctx, filter]) => Number((await analytics.commissionReport(ctx, { ...args, filter: { ...PERIOD, ...filter } })).total)));
    const before = [await totals(readers), await totals(others)];
    await query(db, `UPDATE analytics_credit_days SET amount = amount + 1 WHERE ${row}`);
    const changed = [await totals(readers), await totals(others)];
    await query(db, `UPDATE analytics_credit_days SET amount = amount - 1 WHERE ${row}`);
    changed[0]!.forEach((total, k) => expect(total - before[0]![k]!, `reader ${k}`).toBeCloseTo(1, 6));
    expect(changed[1]).toEqual(before[1]);
    await expectKeptTablesExact();
  });

  it('stay equal to the mirror after each kind of write, the written partners recomputed before the read', async () => {
    const writes: Array<[string, () => Promise<unknown>]> = [
      ['payment', () => addPayment()],
      ['contact', () => addContact(null)],
      ['contact obtaining a promise', async () => addContact([await addPromise()])],
      ['promise moved earlier', () => query(db, `UPDATE promises SET created_date = created_date - 6 WHERE id = (SELECT max(id) FROM promises)`)],
      [
        'contact reassigned',
        () =>
          query(
            db,
            `UPDATE contacts SET author_specialist_id = 3 - author_specialist_id WHERE id = (SELECT max(id) FROM contacts WHERE author_specialist_id IS NOT NULL)`,
          ),
      ],
      ['contact deleted', () => query(db, `DELETE FROM contacts WHERE id = (SELECT min(id) FROM contacts WHERE author_specialist_id IS NOT NULL)`)],
      [
        'payment moved',
        () => query(db, `UPDATE payments SET payment_date = payment_date + 3 WHERE id = (SELECT min(id) FROM payments WHERE payment_date < '2026-03-25')`),
      ],
      ['payments of a day deleted', () => query(db, `DELETE FROM payments WHERE payment_date = (SELECT max(payment_date) FROM payments)`)],
    ];
    for (const [what, write] of writes) {
      await write();
      expect(await noted(), what).toBeGreaterThan(0);
      await expectKeptEqualMirror();
      expect(await noted(), what).toBe(0);
      await expectKeptTablesExact();
    }
  });

  it('stay equal after partners move group, segment, strategy or specialist: their rows move before the read', async () => {
    const moves: Array<[string, string, boolean]> = [
      ['group', `UPDATE partners SET collection_group_key = CASE collection_group_key WHEN 'ALS_G1' THEN 'ALS_G2' ELSE 'ALS_G1' END WHERE id IN (1, 4)`, true],
      ['segment (into BET, its only group by default)', `UPDATE partners SET segment = 'BET', collection_group_key = NULL WHERE id IN (2, 5)`, true],
      ['segment only (out of BET, no group of its own: ALS has no default)', `UPDATE partners SET segment = 'ALS' WHERE id = 9`, true],
      ['segment (out of BET, into a group)', `UPDATE partners SET segment = 'ALS', collection_group_key = 'ALS_G2' WHERE id = 8`, true],
      ['strategy (the group’s)', `UPDATE collection_groups SET strategy_key = 'BET_STRAT' WHERE key = 'ALS_G2'`, true],
      ['strategy (into a group of another)', `UPDATE partners SET collection_group_key = 'BET_G1' WHERE id = 6`, true],
      [
        'a second group in BET (no default group any more)',
        `INSERT INTO collection_groups (key, name, segment_key, strategy_key) VALUES ('BET_G2', 'BET 2', 'BET', 'ALS_STRAT')`,
        true,
      ],
      ['a group removed (BET_G1 is BET’s default group again)', `DELETE FROM collection_groups WHERE key = 'BET_G2'`, true],
      [
        'specialist (commission is the contact author’s: nothing moves)',
        `UPDATE partners SET specialist_id = 3 - coalesce(specialist_id, 1) WHERE id IN (1, 3, 7)`,
        false,
      ],
    ];
    for (const [what, move, moves_] of moves) {
      await query(db, move);
      if (moves_) expect(await noted(), what).toBeGreaterThan(0);
      else expect(await noted(), what).toBe(0);
      await expectKeptEqualMirror();
      expect(await noted(), what).toBe(0);
      await expectKeptTablesExact();
    }
    await refreshAnalyticsSnapshots(db, { to: '2026-03-31' });
    await expectKeptEqualMirror();
    await expectKeptTablesExact();
  });
});
