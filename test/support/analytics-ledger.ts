/**
 * A small hand-built ledger for the analytics tests: segment ALS (EUR) with groups ALS_G1
 * (specialist 1; partners 1 and 2 fixed to them) and ALS_G2 (specialist 2; partner 3), items,
 * payments and a USD rate. Every figure the tests expect is worked out by hand from this.
 *
 *   A  partner 1, documented 2026-01-05, due 01-20, 1000 EUR; paid 400 on 02-10, 600 on 03-15 (cleared)
 *   B  partner 1, documented 2026-02-10, due 03-12,  500 EUR; open
 *   C  partner 2, documented 2025-12-01, due 12-31,  300 EUR; open (company code 2000)
 *   D  partner 3, documented 2026-03-01, due 03-31,  200 USD; open
 *   E  partner 2, documented 2026-02-20, due 02-25,  250 EUR; paid 250 on 03-05 (cleared)
 *   USD->EUR 0.9 from 2026-01-01, 0.8 from 2026-03-20.
 */
import type { Database } from '../../packages/server/src/db/database';
import { insertPartners, insertSegment, insertSpecialist, query } from './worklist-fixtures';

export const ITEMS = { A: 101, B: 102, C: 103, D: 104, E: 105 } as const;

export async function insertLedger(db: Database): Promise<void> {
  await query(db, `INSERT INTO strategies (key, name) VALUES ('ALS_STRAT', 'Analytics strategy')`);
  await insertSegment(db, 'ALS', [
    { key: 'ALS_G1', strategyKey: 'ALS_STRAT' },
    { key: 'ALS_G2', strategyKey: null },
  ]);
  await query(db, `INSERT INTO company_codes (code, name, currency) VALUES ('1000', 'CC 1000', 'EUR'), ('2000', 'CC 2000', 'EUR')`);
  await insertSpecialist(db, 1, 'ALS_G1');
  await insertSpecialist(db, 2, 'ALS_G2');
  await insertPartners(db, [
    { id: 1, segment: 'ALS', group: 'ALS_G1', specialist: 1 },
    { id: 2, segment: 'ALS', group: 'ALS_G1', specialist: 1 },
    { id: 3, segment: 'ALS', group: 'ALS_G2', specialist: 2, currency: 'USD' },
  ]);
  const items: Array<[number, number, string, string, string, number, number, string]> = [
    [ITEMS.A, 1, '1000', '2026-01-05', '2026-01-20', 1000, 0, 'EUR'],
    [ITEMS.B, 1, '1000', '2026-02-10', '2026-03-12', 500, 500, 'EUR'],
    [ITEMS.C, 2, '2000', '2025-12-01', '2025-12-31', 300, 300, 'EUR'],
    [ITEMS.D, 3, '1000', '2026-03-01', '2026-03-31', 200, 200, 'USD'],
    [ITEMS.E, 2, '1000', '2026-02-20', '2026-02-25', 250, 0, 'EUR'],
  ];
  for (const [id, partner, company, documented, due, amount, open, currency] of items) {
    await query(
      db,
      `INSERT INTO open_items (id, external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency, profit_center)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'PC1')`,
      [id, `I${id}`, partner, company, documented, due, amount, open, currency],
    );
  }
  await insertPayment(db, 1, 1, ITEMS.A, '2026-02-10', 400);
  await insertPayment(db, 2, 1, ITEMS.A, '2026-03-15', 600);
  await insertPayment(db, 3, 2, ITEMS.E, '2026-03-05', 250);
  await query(
    db,
    `INSERT INTO fx_rates (from_currency, to_currency, rate_date, rate) VALUES ('USD', 'EUR', '2026-01-01', 0.9), ('USD', 'EUR', '2026-03-20', 0.8)`,
  );
}

export async function insertPayment(
  db: Database,
  id: number,
  partner: number,
  item: number | null,
  date: string,
  amount: number,
  currency = 'EUR',
): Promise<void> {
  await query(db, `INSERT INTO payments (id, external_id, partner_id, item_id, payment_date, amount, currency) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    id,
    `Y${id}`,
    partner,
    item,
    date,
    amount,
    currency,
  ]);
}
