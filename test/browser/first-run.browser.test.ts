import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { browserAvailable, openStudio, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';
import { importUnconfiguredAr } from '../support/unconfigured-ar';

const run = browserAvailable();

describe.skipIf(!run)('studio in Chromium: the first-run guide on the overview', () => {
  const opened: Array<{ db: Database; studio: Studio }> = [];

  async function open(prepare: (db: Database) => Promise<void>): Promise<Studio> {
    const db = await openTestDatabase();
    await prepare(db);
    const studio = await openStudio(db);
    opened.push({ db, studio });
    await signIn(studio.page, studio.app.url.replace('//localhost:', '//127.0.0.1:'), studio.token, '/');
    return studio;
  }

  afterAll(async () => {
    for (const { db, studio } of opened) {
      await studio.close();
      await db.close();
    }
  });

  it('on an imported AR without organisation shows each missing step with its link', async () => {
    const studio = await open(importUnconfiguredAr);
    const { page } = studio;
    const guide = page.getByRole('region', { name: 'Before the first worklist' });
    await guide.waitFor();
    await expect(guide.getByText('0 of 3 steps done.').count()).resolves.toBe(1);

    const step = (id: string) => guide.locator(`.setup-step[data-step="${id}"]`);
    for (const id of ['organisation', 'strategy', 'worklists']) await expect(step(id).getAttribute('data-done')).resolves.toBe('false');
    const organisation = await step('organisation').textContent();
    expect(organisation).toMatch(/Segment Consumer has no collection group\./);
    expect(organisation).toMatch(/Segment Business has no collection group\./);
    await expect(step('strategy').textContent()).resolves.toMatch(/No collection group to run a strategy yet\./);
    await expect(step('worklists').textContent()).resolves.toMatch(/Segment Consumer has no live worklist yet/);
    await expect(step('organisation').getByRole('link').getAttribute('href')).resolves.toBe('/organisation/groups');
    await expect(step('strategy').getByRole('link').getAttribute('href')).resolves.toBe('/strategies');
    await expect(step('worklists').getByRole('link').getAttribute('href')).resolves.toBe('/organisation/groups');

    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await studio.screenshot(`first-run-missing-${width}`);
    }

    await step('organisation').getByRole('link', { name: 'Open groups' }).click();
    await page.waitForURL(/\/organisation\/groups$/);
  });

  it('on the demo, with everything set up, is one line: Ready', async () => {
    const studio = await open(async (db) => {
      await seedDemoAr(db, { partners: 300, seed: 5, asOf: '2026-11-23' });
      await runWorklists(db, { asOf: '2026-11-23', mode: 'LIVE' });
    });
    const { page } = studio;
    const ready = page.getByRole('status', { name: 'Setup' });
    await ready.waitFor();
    await expect(ready.textContent()).resolves.toMatch(/^✓\s*Ready\. Organisation, active strategies and live worklists are set up for \d+ segments\.$/);
    await expect(page.getByRole('region', { name: 'Before the first worklist' }).count()).resolves.toBe(0);
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      await studio.screenshot(`first-run-ready-${width}`);
    }
  });
});
