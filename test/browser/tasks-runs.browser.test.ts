import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { createTestToken } from '../support/api';
import { browserAvailable, openStudio, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();
const AS_OF = new Date().toISOString().slice(0, 10);

describe.skipIf(!run)('studio in Chromium: generate a segment worklist', () => {
  let db: Database;
  let studio: Studio;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 150, seed: 9, asOf: AS_OF });
    await runWorklists(db, { asOf: AS_OF, mode: 'LIVE' });
    studio = await openStudio(db);
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  for (const width of [1280, 1440]) {
    it(`a SUPERVISOR generates a segment's worklist and sees the new run's statistics (${width} px)`, async () => {
      const { page } = studio;
      await page.setViewportSize({ width, height: 900 });
      const [seg] = await db.dataSource.query(
        `SELECT key, live_run_id::text AS live FROM collection_segments WHERE live_run_id IS NOT NULL ORDER BY key LIMIT 1`,
      );
      await signIn(page, studio.app.url, await createTestToken(db, 'SUPERVISOR'), '/');
      await page.reload();
      await page.getByRole('link', { name: 'Worklist runs' }).click();
      await page.getByLabel('Segment').selectOption(seg.key);
      await page.waitForURL(new RegExp(`/runs\\?segment=${seg.key}$`));
      const stats = page.getByRole('region', { name: 'Run statistics' });
      await stats.getByText(`The live run · #${seg.live}`).waitFor();

      await page.getByRole('button', { name: `Generate ${seg.key} worklist` }).click();
      await stats.getByText('The run just generated').waitFor({ timeout: 60_000 });
      const [after] = await db.dataSource.query(`SELECT live_run_id::text AS live FROM collection_segments WHERE key = $1`, [seg.key]);
      expect(after.live).not.toBe(seg.live);
      const [r] = await db.dataSource.query(
        `SELECT status, (SELECT count(*)::int FROM worklist_items w WHERE w.run_id = r.id) AS items FROM worklist_runs r WHERE r.id = $1`,
        [after.live],
      );
      expect(r.status).toBe('SUCCEEDED');
      // The figures are the new run's: its id, its status, and as many partners on the list as it has items.
      await stats.getByText(`#${after.live}`).waitFor();
      await stats.locator('.work-status.s-succeeded').waitFor();
      // Polled: under load the page may still be between two answers of its run and history queries (CI saw 0 once).
      const onList = stats.locator('.runs-figures div', { hasText: 'On the list' }).locator('dd');
      await expect.poll(async () => Number((await onList.innerText()).replace(/\D/g, '')), { timeout: 15_000 }).toBe(r.items);
      const byPriority = stats.getByRole('table', { name: 'By priority' }).locator('tbody tr td:nth-child(2)');
      await expect
        .poll(async () => (await byPriority.allInnerTexts()).reduce((n, t) => n + Number(t.replace(/\D/g, '')), 0), { timeout: 15_000 })
        .toBe(r.items);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await studio.screenshot(`tasks-runs-generated-${width}`);
    });
  }

  it('shows a CLIENT the live run without Generate', async () => {
    const { page } = studio;
    await signIn(page, studio.app.url, await createTestToken(db, 'CLIENT'), '/runs');
    await page.reload();
    await page.getByRole('region', { name: 'Run statistics' }).waitFor();
    expect(await page.getByRole('button', { name: /^Generate/ }).count()).toBe(0);
  });
});
