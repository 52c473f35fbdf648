import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoHistory } from '../../packages/server/src/seed/demo-history';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { browserAvailable, openStudio, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();
const AS_OF = new Date().toISOString().slice(0, 10);

/** The demo a fresh machine gets (a simulated year of history, smaller here): the overview and a customer 360 read it. */
describe.skipIf(!run)('studio in Chromium: the demo with a year of history', () => {
  let db: Database;
  let studio: Studio;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoHistory(db, { partners: 400, months: 12, asOf: AS_OF, seed: 1 });
    await runWorklists(db, { asOf: AS_OF, mode: 'LIVE' });
    studio = await openStudio(db);
  }, 240_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  it('shows the overview ready, with the open items of the simulated year', async () => {
    const { page } = studio;
    const ready = page.getByRole('status', { name: 'Setup' });
    await ready.waitFor();
    await expect(ready.textContent()).resolves.toMatch(/Ready\. Organisation, active strategies and live worklists are set up for 3 segments\./);
    const [{ open }] = await db.dataSource.query(`SELECT count(*)::int AS open FROM open_items WHERE open_amount > 0`);
    await page.getByText(open.toLocaleString('en-US'), { exact: true }).first().waitFor();
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await studio.screenshot(`demo-history-overview-${width}`);
    }
  });

  it("shows a worked customer's year: contacts, promises and payments", async () => {
    const { page } = studio;
    const [partner] = await db.dataSource.query(
      `SELECT p.id::text AS id, p.name FROM partners p
        WHERE EXISTS (SELECT 1 FROM promises r WHERE r.partner_id = p.id) AND EXISTS (SELECT 1 FROM open_items i WHERE i.partner_id = p.id AND i.open_amount > 0)
        ORDER BY p.id LIMIT 1`,
    );
    expect(partner).toBeTruthy();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${studio.app.url}/customers/${partner.id}`);
    await page.getByRole('heading', { name: partner.name }).first().waitFor();
    await studio.screenshot('demo-history-customer-1280');
  });
});
