import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { browserAvailable, openStudio, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();

describe.skipIf(!run)('studio in Chromium: sign-in and the worklists page', () => {
  let db: Database;
  let studio: Studio;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 400, seed: 3, asOf: '2026-11-23' });
    await runWorklists(db, { asOf: '2026-11-23', mode: 'LIVE' });
    studio = await openStudio(db);
  }, 120_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  it('signs in from the link, leaves the token out of the address bar and shows the overview', async () => {
    const { page } = studio;
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(new URL(page.url()).hash).toBe('');
    await expect(page.locator('.figure-value').first().textContent()).resolves.toMatch(/400/);
    await studio.screenshot('overview');
  });

  it('lists the live worklist of a segment in priority order and filters by priority', async () => {
    const { page } = studio;
    await page.getByRole('link', { name: 'Worklists' }).click();
    await page.locator('.worklist-table tbody tr').first().waitFor();
    const priorities = await page.locator('.worklist-table tbody td:first-child .prio').allTextContents();
    expect(priorities.length).toBeGreaterThan(0);
    const numbers = priorities.map((p) => Number(p.slice(1)));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    await studio.screenshot('worklists');
    // /worklists opens the first segment's list at /worklists/SEGMENT
    await page.waitForURL(/\/worklists\/[^/?]+$/);
    const segment = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    const [{ n }] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id
        WHERE s.key = $1 AND w.priority = 1`,
      [segment],
    );
    await page.locator('.chips .chip.prio-1').click();
    await page.getByText(`Priority 1 · ${n} partners`).waitFor();
    const shown = await page.locator('.worklist-table tbody td:first-child .prio').allTextContents();
    expect(new Set(shown)).toEqual(n ? new Set(['P1']) : new Set());
  });

  it('keeps the segment and the filter in the URL: a reload shows the same list, Back undoes the filter', async () => {
    const { page } = studio;
    expect(new URL(page.url()).searchParams.get('priority')).toBe('1');
    const heading = (await page.locator('.table-card .card-header h2').textContent())!;
    expect(heading).toMatch(/^Priority 1 · /);
    await page.reload();
    await page.getByText(heading).waitFor();
    await page.goBack();
    await page.getByText(/^All priorities · \d+ partners$/).waitFor();
    expect(new URL(page.url()).searchParams.get('priority')).toBeNull();
    await page.goForward();
    await page.getByText(heading).waitFor();
  });

  it('says so for a path it has no page for', async () => {
    const { page, app } = studio;
    await page.goto(`${app.url}/no-such-page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
  });

  it('signs out when the token is refused', async () => {
    const { page, app } = studio;
    const fresh = await page.context().newPage();
    await fresh.goto(`${app.url}/#token=rcp_not-a-token`);
    await fresh.getByText('The API did not accept the token').waitFor();
    await fresh.close();
  });
});
