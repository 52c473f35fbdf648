import { factKey, factKeysOf } from '../packages/rules/src/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import { customer } from '../packages/server/src/customers/customer.service';
import type { Database } from '../packages/server/src/db/database';
import { noteFactState, partnerFacts } from '../packages/server/src/facts';
import { createRequestContext, type RequestContext } from '../packages/server/src/graphql/context';
import { runWorklist } from '../packages/server/src/worklists/worklist-run.service';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertSpecialist, insertStrategy, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * How a customer 360 reads (issue 19): the head primes the request's loaders with exactly the rows
 * they would read themselves, the facts read with a known horizon equal those the statement looks
 * up, rates kept between requests follow every change of fx_rates, explanations sharing prepared
 * engines agree with one-at-a-time ones, and the request guards kept per parsed operation still
 * judge every request.
 * Partners at D = 2026-03-31: 7101 (EUR, fixed specialist 931, a GBP item), 7102 (GBP, no
 * specialist), 7103 (EUR, paid after D: its horizon is after D, so its facts come from the mirror),
 * 7104 (EUR, nothing open: not on the list).
 */
const D = '2026-03-31';
const DOCUMENT = strategyDocument({
  key: 'READS',
  name: 'Reads',
  rules: [
    rule('Something to collect', 60, 'condition', when('amountToBeCollected', 'greaterThan', 0)),
    rule('Over 30 days', 40, 'condition', when('maxDaysOverdue', 'greaterThan', 30)),
  ],
});
const PARTNERS = ['7101', '7102', '7103', '7104'];

let db: Database;
let app: RunningApp;
let admin: string;

const C360 = `query($p: ID!) { customer(partnerId: $p, asOf: "${D}") {
  partner { id name currency specialist { name } }
  credit { currency openAmount overdueAmount utilizationPercent }
  keyFigures { keptPromiseRatio brokenPromises maxDaysOverdue daysSinceLastPayment }
  worklistItem { valuation priority specialist { name } explanation { valuation percent priority rules { name fired } facts } }
} }`;

const contextOf = (): RequestContext => createRequestContext(db, { tokenId: '0', name: 'test', role: 'ADMIN', specialistId: null });

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(db, 'READS', DOCUMENT);
  await insertSegment(db, 'READS', [{ key: 'READS_G', strategyKey: 'READS' }]);
  await insertSpecialist(db, 931, 'READS_G');
  await insertPartners(db, [
    { id: 7101, segment: 'READS', creditLimit: 5000, specialist: 931 },
    { id: 7102, segment: 'READS', currency: 'GBP', creditLimit: 100 },
    { id: 7103, segment: 'READS' },
    { id: 7104, segment: 'READS' },
  ]);
  await query(
    db,
    `INSERT INTO fx_rates (from_currency, to_currency, rate_date, rate) VALUES ('GBP', 'EUR', '2026-01-01', 1.2), ('EUR', 'GBP', '2026-01-01', 0.8)`,
  );
  await insertItems(db, [
    { id: 711, partner: 7101, due: '2026-01-10', open: 400, amount: 1000 },
    { id: 712, partner: 7101, due: '2026-03-20', open: 100, amount: 100, currency: 'GBP' },
    { id: 721, partner: 7102, due: '2026-02-01', open: 250, amount: 250, currency: 'GBP' },
    { id: 722, partner: 7102, due: '2026-03-01', open: 50, amount: 50 },
    { id: 731, partner: 7103, due: '2026-01-15', open: 300, amount: 500 },
    { id: 741, partner: 7104, due: '2026-01-15', open: 0, amount: 80 },
  ]);
  await query(
    db,
    `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) VALUES
      ('Y1', 7101, 711, '2026-02-01', 600, 'EUR'), ('Y2', 7103, 731, '2026-04-05', 200, 'EUR')`,
  );
  await query(
    db,
    `INSERT INTO promises (external_id, partner_id, item_id, created_date, promised_date, amount, currency) VALUES
      ('Q1', 7101, 711, '2026-01-20', '2026-02-01', 600, 'EUR'), ('Q2', 7102, 721, '2026-02-01', '2026-02-10', 250, 'GBP')`,
  );
  await runWorklist(db, { segment: 'READS', asOf: D, mode: 'LIVE' });
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  admin = await createTestToken(db, 'ADMIN');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`customer 360 reads (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('primes the request loaders with exactly the rows they read themselves', async () => {
    for (const partnerId of PARTNERS) {
      const primed = contextOf();
      await customer(primed, { partnerId, asOf: D });
      const fresh = contextOf();
      const partner = await primed.loaders.partner.load(partnerId);
      expect(partner).toEqual(await fresh.loaders.partner.load(partnerId));
      expect(partner?.id).toBe(partnerId);
      const item = await primed.loaders.liveItem.load(partnerId);
      expect(item).toEqual(await fresh.loaders.liveItem.load(partnerId));
      if (partnerId === '7104') expect(item).toBeNull();
      else {
        expect(item?.partner_id).toBe(partnerId);
        expect(await primed.loaders.run.load(item!.run_id)).toEqual(await fresh.loaders.run.load(item!.run_id));
        if (item!.specialist_id)
          expect(await primed.loaders.specialist.load(item!.specialist_id)).toEqual(await fresh.loaders.specialist.load(item!.specialist_id));
      }
      if (partner?.specialist_id) {
        const specialist = await primed.loaders.specialist.load(partner.specialist_id);
        expect(specialist?.id).toBe('931');
        expect(specialist).toEqual(await fresh.loaders.specialist.load(partner.specialist_id));
      }
    }
  });

  it('reads with a known horizon the facts the statement would look up, the partner paid after D from the mirror', async () => {
    const keys = [
      ...factKeysOf(DOCUMENT),
      ...['openAmount', 'overdueAmount', 'creditUtilization', 'keptPromiseRatio', 'brokenPromises', 'daysSinceLastPayment'].map((f) => factKey(f)),
    ];
    const [horizons, [revisionRow]] = await Promise.all([
      query(db, `SELECT partner_id::text AS id, horizon FROM partner_facts`),
      query(db, `SELECT revision::text AS revision FROM ar_revision WHERE id = 1`),
    ]);
    const horizonOf = new Map(horizons.map((h) => [h.id as string, String(h.horizon)]));
    expect(horizonOf.get('7103')! > D).toBe(true);
    for (const partnerId of PARTNERS) {
      for (const currency of ['EUR', 'GBP']) {
        const known = contextOf();
        noteFactState(known, { partnerId, horizon: horizonOf.get(partnerId) ?? null, arRevision: String(revisionRow!.revision) });
        const looked = await partnerFacts(contextOf(), { partnerId, currency, asOf: D, keys });
        const read = await partnerFacts(known, { partnerId, currency, asOf: D, keys });
        expect(read).toEqual(looked);
        expect(Object.keys(looked).length).toBeGreaterThan(keys.length - 1);
      }
    }
    // The partner paid after D: at D its item was still 500 open (300 today + the 200 paid after D).
    const late = await partnerFacts(contextOf(), { partnerId: '7103', currency: 'EUR', asOf: D, keys: [factKey('openAmount')] });
    expect(Number(late[factKey('openAmount').column])).toBe(500);
  });

  it('converts with the current rates after fx_rates change, though rates are kept between requests', async () => {
    const openOf = async () => {
      const { data, errors } = await gql(app.url, C360, { p: '7101' }, admin);
      expect(errors).toBeUndefined();
      return data.customer.credit.openAmount as string;
    };
    expect(await openOf()).toBe('520.0000'); // 400 EUR + 100 GBP x 1.2
    expect(await openOf()).toBe('520.0000'); // from the kept rates
    await query(db, `INSERT INTO fx_rates (from_currency, to_currency, rate_date, rate) VALUES ('GBP', 'EUR', '2026-03-01', 1.5)`);
    expect(await openOf()).toBe('550.0000');
    expect(await openOf()).toBe('550.0000');
    await query(db, `DELETE FROM fx_rates WHERE rate_date = '2026-03-01'`);
    expect(await openOf()).toBe('520.0000');
  });

  it('explains concurrent 360s as it explains them one at a time', async () => {
    const one = async (p: string) => {
      const { data, errors } = await gql(app.url, C360, { p }, admin);
      expect(errors).toBeUndefined();
      return data.customer;
    };
    const alone: any[] = [];
    for (const p of PARTNERS) alone.push(await one(p));
    const together = await Promise.all(Array.from({ length: 24 }, (_, i) => one(PARTNERS[i % PARTNERS.length]!)));
    together.forEach((c, i) => expect(c).toEqual(alone[i % PARTNERS.length]));
    const explained = alone.filter((c) => c.worklistItem).map((c) => c.worklistItem.explanation);
    expect(explained.length).toBe(3);
    expect(explained.some((e) => e.rules.some((r: { fired: boolean }) => r.fired))).toBe(true);
    expect(alone[0].partner.specialist.name).toBeTruthy();
  });

  it('judges every request of a parsed operation: NUL literals refused each time, variable page sizes measured each time', async () => {
    const nul = `{ partnerSearch(text: "a\\u0000b", first: 5) { edges { node { id } } } }`;
    for (let i = 0; i < 2; i++) {
      const { errors } = await gql(app.url, nul, {}, admin);
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const paged = `query($n: Int) { worklist(segment: "READS", first: $n) { edges { node { partner { name } } } } }`;
    const small = await gql(app.url, paged, { n: 5 }, admin);
    expect(small.errors).toBeUndefined();
    const huge = await gql(app.url, paged, { n: 100_000 }, admin);
    expect(huge.errors?.[0]?.message).toMatch(/complexity/);
    expect((await gql(app.url, paged, { n: 5 }, admin)).errors).toBeUndefined();
  });
});
