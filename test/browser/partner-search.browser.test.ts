import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { browserAvailable, openStudio, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();

/** Customers page: a partner found by part of its name in any case, the search kept in the URL, its 360 opened. */
describe.skipIf(!run)('studio in Chromium: partner search', () => {
  let db: Database;
  let studio: Studio;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 200, seed: 7, asOf: new Date().toISOString().slice(0, 10) });
    await db.dataSource.query(`UPDATE partners SET name = 'Orbit Consulting' WHERE id = (SELECT min(id) FROM partners)`);
    studio = await openStudio(db);
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  it('finds "Orbit Consulting" by "orbit", keeps the search in the URL and opens the 360', async () => {
    const { page } = studio;
    const expected: Array<{ name: string }> = await db.dataSource.query(
      `SELECT name FROM partners WHERE lower(name) LIKE '%orbit%' OR lower(external_id) LIKE '%orbit%' ORDER BY lower(name), id LIMIT 20`,
    );
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByLabel('Find a partner').fill('orbit');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/customers\?q=orbit$/);
    const results = page.getByRole('region', { name: 'Partners found' });
    await results.getByRole('link', { name: 'Orbit Consulting', exact: true }).waitFor();
    expect(await results.locator('tbody tr td:first-child').allTextContents()).toEqual(expected.map((p) => p.name));
    await studio.screenshot('partner-search');

    await page.reload();
    await results.getByRole('link', { name: 'Orbit Consulting', exact: true }).waitFor();
    expect(await page.getByLabel('Find a partner').inputValue()).toBe('orbit');
    await results.getByRole('link', { name: 'Orbit Consulting', exact: true }).click();
    await page.getByRole('heading', { name: 'Orbit Consulting' }).waitFor();

    await page.goto(`${studio.app.url}/customers?q=${encodeURIComponent('no such partner')}`);
    await results.getByText('No partner’s name or external id contains “no such partner”').waitFor();
  });
});
