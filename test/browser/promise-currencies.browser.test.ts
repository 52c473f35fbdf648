import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Database } from '../../packages/server/src/db/database';
import { runWorklist } from '../../packages/server/src/worklists/worklist-run.service';
import { browserAvailable, openStudio, SCREENSHOTS, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';
import {
  insertItems,
  insertPartners,
  insertSegment,
  insertSpecialist,
  insertStrategy,
  query,
  rule,
  strategyDocument,
  when,
} from '../support/worklist-fixtures';
import path from 'node:path';

/**
 * Issue 17, "correct money and promises", in the 360's promise form: a partner with overdue items
 * in EUR and USD gets one promise per currency, each with its own amount (never a sum across
 * currencies); a zero amount is refused by the API and its message shows at that amount's field.
 */
const run = browserAvailable();
const AS_OF = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.parse(`${AS_OF}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
const PARTNER = '9801';

describe.skipIf(!run)('studio in Chromium: a promise across two currencies', () => {
  let db: Database;
  let studio: Studio;

  const promises = async () =>
    (await query(
      db,
      `SELECT item_id::int AS item, amount::text AS amount, currency::text AS currency FROM promises WHERE partner_id = $1 ORDER BY currency, item_id`,
      [PARTNER],
    )) as Array<{ item: number; amount: string; currency: string }>;

  async function openPromiseForm(page: Page) {
    await signIn(page, studio.app.url, studio.token, `/customers/${PARTNER}`);
    const record = page.locator('.work-actions');
    await record.waitFor();
    await record.getByRole('tab', { name: 'Promise' }).click();
    await record.getByLabel('Amount (USD)').waitFor();
    return record;
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    await query(db, `INSERT INTO company_codes (code, name, promise_tolerance_days) VALUES ('1000', 'Main', 3)`);
    await query(db, `INSERT INTO fx_rates (from_currency, to_currency, rate_date, rate) VALUES ('USD', 'EUR', $1, 0.9)`, [daysAgo(400)]);
    await insertStrategy(
      db,
      'PCUR',
      strategyDocument({ key: 'PCUR', name: 'Currencies', rules: [rule('Overdue', 10, 'condition', when('overdueAmount', 'greaterThan', 0))] }),
    );
    await insertSegment(db, 'PC', [{ key: 'PC_G', strategyKey: 'PCUR' }]);
    await insertSpecialist(db, 981, 'PC_G');
    await insertPartners(db, [{ id: 9801, segment: 'PC' }]);
    await insertItems(db, [
      { id: 98011, partner: 9801, due: daysAgo(60), open: 100.25 },
      { id: 98012, partner: 9801, due: daysAgo(30), open: 200 },
      { id: 98013, partner: 9801, due: daysAgo(45), open: 80, currency: 'USD' },
    ]);
    await runWorklist(db, { segment: 'PC', asOf: AS_OF, mode: 'LIVE' });
    studio = await openStudio(db, { width: 1440 });
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  it('pre-fills one amount per currency, refuses a zero amount at its field, then records one promise per currency', async () => {
    const { page } = studio;
    const record = await openPromiseForm(page);
    // Each currency's amount is its own items' open total; nothing is added across currencies.
    await expect(record.getByLabel('Amount (EUR)').inputValue()).resolves.toBe('300.25');
    await expect(record.getByLabel('Amount (USD)').inputValue()).resolves.toBe('80.00');
    await expect(record.textContent()).resolves.toMatch(/2 currencies: one promise per currency/);
    await expect(record.textContent()).resolves.not.toMatch(/380\.25/);

    // Zero: the API's BAD_USER_INPUT at `amount`, shown under the EUR amount; nothing recorded.
    await record.getByLabel('Amount (EUR)').fill('0');
    await record.getByRole('button', { name: 'Record promises (2 currencies)' }).click();
    const fieldError = record.locator('label', { has: page.getByLabel('Amount (EUR)') }).getByRole('alert');
    await expect(fieldError.textContent()).resolves.toMatch(/amount must be a positive amount/);
    await expect(record.getByLabel('Amount (EUR)').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await promises()).toEqual([]);
    const card = (await record.boundingBox())!;
    const error = (await fieldError.boundingBox())!;
    expect(error.x + error.width).toBeLessThanOrEqual(card.x + card.width);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'promise-zero-refused-1440.png'), fullPage: true });

    // 150.50 EUR over the two EUR items by due date (the oldest filled first), 80 USD on the USD item.
    await record.getByLabel('Amount (EUR)').fill('150.50');
    await record.getByRole('button', { name: 'Record promises (2 currencies)' }).click();
    await page.getByRole('status').filter({ hasText: '2 promises to pay 150.50 EUR and 80.00 USD' }).waitFor();
    expect(await promises()).toEqual([
      { item: 98011, amount: '100.2500', currency: 'EUR' },
      { item: 98012, amount: '50.2500', currency: 'EUR' },
      { item: 98013, amount: '80.0000', currency: 'USD' },
    ]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'promise-currencies-recorded-1440.png'), fullPage: true });
  });

  it('fits the form at 1280 px', async () => {
    const page = await (await studio.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const record = await openPromiseForm(page);
    await expect(record.getByLabel('Amount (EUR)').isVisible()).resolves.toBe(true);
    // Both amounts inside the Record card, not running past its edge.
    const card = (await record.boundingBox())!;
    for (const c of ['EUR', 'USD']) {
      const box = (await record.getByLabel(`Amount (${c})`).boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(card.x);
      expect(box.x + box.width).toBeLessThanOrEqual(card.x + card.width);
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'promise-currencies-1280.png'), fullPage: true });
    await page.close();
  });
});
