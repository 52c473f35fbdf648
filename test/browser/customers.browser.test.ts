import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { browserAvailable, openStudio, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();
const AS_OF = new Date().toISOString().slice(0, 10);

describe.skipIf(!run)('studio in Chromium: customer 360', () => {
  let db: Database;
  let studio: Studio;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 200, seed: 7, asOf: AS_OF });
    await runWorklists(db, { asOf: AS_OF, mode: 'LIVE' });
    studio = await openStudio(db);
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  it('opens a partner from the worklist and shows its 360 with the item and why', async () => {
    const { page } = studio;
    // The partner with the most history among those on a live list.
    const [partner] = await db.dataSource.query(
      `SELECT p.id::text AS id, p.name, p.external_id FROM partners p JOIN worklist_items w ON w.partner_id = p.id
         JOIN collection_segments s ON s.live_run_id = w.run_id
        ORDER BY (SELECT count(*) FROM promises x WHERE x.partner_id = p.id) + (SELECT count(*) FROM contacts x WHERE x.partner_id = p.id)
               + (SELECT count(*) FROM payments x WHERE x.partner_id = p.id) DESC, p.id LIMIT 1`,
    );
    await page.getByRole('link', { name: 'Worklists' }).click();
    await page.locator('.worklist-table tbody tr').first().waitFor();
    await page.locator('.worklist-table tbody a.work-link').first().click();
    await page.waitForURL(/\/customers\/\d+$/);
    await page.locator('.work-360').waitFor();

    await page.goto(`${studio.app.url}/customers/${partner.id}`);
    await page.getByRole('heading', { name: partner.name }).waitFor();
    await page.getByRole('link', { name: 'Customers' }).and(page.locator('.is-active')).waitFor();
    for (const label of ['Open', 'Credit limit', 'DSO', 'Kept promises']) await page.locator('.figure-label', { hasText: label }).first().waitFor();
    await page.getByRole('region', { name: 'Ageing' }).waitFor();
    expect(await page.locator('.work-aging-col').count()).toBeGreaterThan(1);
    for (const section of ['Open items', 'Promises', 'Payments', 'Disputes', 'Contacts', 'Resubmissions', 'Dunning']) {
      await page.getByRole('region', { name: section, exact: true }).waitFor();
    }
    const why = page.getByRole('region', { name: 'Why' });
    await why.waitFor();
    const [item] = await db.dataSource.query(
      `SELECT w.fired FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id WHERE w.partner_id = $1`,
      [partner.id],
    );
    expect(item).toBeTruthy();
    expect(await why.locator('.work-facts div').count()).toBeGreaterThan(0);
    const [{ n: promises }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM promises WHERE partner_id = $1`, [partner.id]);
    expect(await page.getByRole('region', { name: 'Promises', exact: true }).locator('tbody tr').count()).toBe(Math.min(promises, 20));
    await studio.screenshot('customer-360');

    // By external id from the Customers page's search.
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByLabel('Find a partner').fill(partner.external_id);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('region', { name: 'Partners found' }).getByRole('link', { name: partner.name }).click();
    await page.getByRole('heading', { name: partner.name }).waitFor();
  });
});
