import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { runWorklist } from '../packages/server/src/worklists/worklist-run.service';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertSegment, insertSpecialist, insertStrategy, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * DataLoaders at work: a worklist page with partner, specialist, fired rules and ageing, and a
 * full customer 360 each cost a fixed number of SQL statements, whatever the page size or the
 * partner's history. Statements are counted at TypeORM's logger, which sees every query the
 * API's DataSource runs (the token lookup included).
 */
const D = '2026-03-31';
const DOCUMENT = strategyDocument({
  key: 'STM',
  name: 'Statements',
  rules: [
    rule('Over 100', 50, 'condition', when('amountToBeCollected', 'greaterThanInclusive', 100)),
    rule('Old', 50, 'condition', when('maxDaysOverdue', 'greaterThan', 30)),
  ],
});

let db: Database;
let app: RunningApp;
let admin: string;
let statements = 0;

const PAGE = `query($first: Int) { worklist(segment: "STM", first: $first) {
  edges { cursor node { partnerId valuation percent priority currency specialistOrigin
    partner { externalId name segment specialist { name } } specialist { id name } firedRules { name points }
    amounts { open overdue toBeCollected disputed promised } aging { label amount } run { id asOf } } }
  pageInfo { hasNextPage endCursor } } }`;

const C360 = `query($p: ID!) { customer(partnerId: $p, asOf: "${D}") {
  partner { id externalId name currency creditLimit specialist { name } }
  openItems(first: 50) { edges { cursor node { id dueDate openAmount disputed daysOverdue } } pageInfo { hasNextPage } }
  aging { label items amounts { currency amount } }
  payments { id amount } promises { id status paid } disputes { id status } contacts { id channel }
  resubmissions { id due } dunningHistory { itemId dunningLevel }
  worklistItem { valuation priority specialist { name } firedRules { name points } aging { amount } amounts { toBeCollected }
    explanation { valuation rules { name fired conditions } facts } }
  credit { openAmount utilizationPercent }
  keyFigures { daysSalesOutstanding keptPromiseRatio brokenPromises daysSinceLastContact }
} }`;

async function counted(text: string, variables: Record<string, unknown>): Promise<{ n: number; data: any }> {
  const before = statements;
  const { data, errors } = await gql(app.url, text, variables, admin);
  expect(errors).toBeUndefined();
  return { n: statements - before, data };
}

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(db, 'STM', DOCUMENT);
  await insertSegment(db, 'STM', [{ key: 'STM_G', strategyKey: 'STM' }]);
  for (const id of [9101, 9102, 9103]) await insertSpecialist(db, id, 'STM_G');
  // 120 partners with one item each, a few with a fixed specialist; 7001 with a long history.
  await query(
    db,
    `INSERT INTO partners (id, external_id, name, country, currency, customer_type, segment, specialist_id)
    SELECT g, 'P' || g, 'Partner ' || g, 'DE', 'EUR', 'B2C', 'STM', CASE WHEN g % 10 = 0 THEN 9103 END FROM generate_series(7001, 7120) g`,
  );
  await query(
    db,
    `INSERT INTO open_items (id, external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency, dunning_level)
    SELECT g * 100, 'I' || g, g, '1000', '2026-01-01', DATE '2026-01-15' + (g % 60), 10 + g % 200, 10 + g % 200, 'EUR', g % 3 FROM generate_series(7001, 7120) g`,
  );
  await query(
    db,
    `INSERT INTO open_items (id, external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency, dunning_level)
    SELECT 800000 + g, 'J' || g, 7001, '1000', '2026-01-01', DATE '2026-01-01' + g, 100, 50, 'EUR', g % 4 FROM generate_series(1, 79) g`,
  );
  await query(
    db,
    `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency)
    SELECT 'Y' || g, 7001, 800000 + g, DATE '2026-02-01' + g, 50, 'EUR' FROM generate_series(1, 40) g`,
  );
  await query(
    db,
    `INSERT INTO promises (external_id, partner_id, item_id, created_date, promised_date, amount, currency)
    SELECT 'Q' || g, 7001, 800000 + g, '2026-02-01', DATE '2026-02-10' + g, 60, 'EUR' FROM generate_series(1, 30) g`,
  );
  await query(
    db,
    `INSERT INTO disputes (external_id, partner_id, item_id, created_date, disputed_amount, currency, status)
    SELECT 'D' || g, 7001, 800000 + g, '2026-03-01', 20, 'EUR', 'OPEN' FROM generate_series(41, 60) g`,
  );
  await query(
    db,
    `INSERT INTO contacts (external_id, partner_id, contact_date, channel, direction, reached)
    SELECT 'C' || g, 7001, DATE '2026-01-01' + g, 'PHONE', 'OUTBOUND', g % 2 = 0 FROM generate_series(1, 60) g`,
  );
  await query(
    db,
    `INSERT INTO resubmissions (partner_id, resubmission_date, reason) SELECT 7001, DATE '2026-03-01' + g, 'r' || g FROM generate_series(1, 10) g`,
  );
  await runWorklist(db, { segment: 'STM', asOf: D, mode: 'LIVE' });
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  admin = await createTestToken(db, 'ADMIN');
  await gql(app.url, `{ health { status } }`, {}, admin); // the token's first use writes last_used_at once
  const logger = db.dataSource.logger;
  const logQuery = logger.logQuery.bind(logger);
  logger.logQuery = (...args: Parameters<typeof logQuery>) => {
    statements++;
    return logQuery(...args);
  };
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`statements per request (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('reads a 50-item worklist page with partners and specialists in a fixed, small number of statements', async () => {
    const big = await counted(PAGE, { first: 50 });
    const small = await counted(PAGE, { first: 5 });
    expect(big.data.worklist.edges).toHaveLength(50);
    expect(small.data.worklist.edges).toHaveLength(5);
    expect(new Set(big.data.worklist.edges.map((e: any) => e.node.specialist?.id)).size).toBeGreaterThan(1);
    expect(big.data.worklist.edges.every((e: any) => e.node.partner.name.startsWith('Partner '))).toBe(true);
    // token, runs, items, partners, specialists
    expect(big.n).toBe(small.n);
    expect(big.n).toBeGreaterThanOrEqual(4); // the counter does count
    expect(big.n).toBeLessThanOrEqual(5);
    const next = await counted(
      `query($after: String) { worklist(segment: "STM", first: 50, after: $after) { edges { node { partner { name } specialist { name } } } } }`,
      { after: big.data.worklist.pageInfo.endCursor },
    );
    expect(next.data.worklist.edges).toHaveLength(50);
    expect(next.n).toBeLessThanOrEqual(5);
  });

  it('reads a full customer 360 in a fixed number of statements, however long the history', async () => {
    // The first explanation reads the strategy version, then its facts; an active version's
    // document is then kept, and its facts are read with the other sections.
    const first = await counted(C360, { p: '7002' });
    const long = await counted(C360, { p: '7001' });
    const short = await counted(C360, { p: '7002' });
    expect(first.n).toBe(short.n + 2);
    const c = long.data.customer;
    expect(c.openItems.edges).toHaveLength(50);
    expect(c.payments).toHaveLength(40);
    expect(c.promises).toHaveLength(30);
    expect(c.contacts).toHaveLength(60);
    expect(c.worklistItem.explanation.rules).toHaveLength(2);
    expect(short.data.customer.openItems.edges).toHaveLength(1);
    expect(long.n).toBe(short.n);
    // token; the head (partner, horizon, live item, run, specialists); one statement for every
    // section (open items, ageing, payments, promises, disputes, contacts, resubmissions, dunning,
    // DSO, open promises) and the facts of credit, key figures and the explanation, read together
    expect(long.n).toBe(3);
  });
});
