import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Database } from '../../packages/server/src/db/database';
import { browserAvailable, openStudio, SCREENSHOTS, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';
import { insertSegment, insertStrategy, query, rule, strategyDocument, when } from '../support/worklist-fixtures';
import path from 'node:path';

/**
 * Issue 17, "truthful activation": the activation dialog names the active collection groups that
 * will run the version (an inactive group naming the strategy is not one of them), or says that
 * none does and links to the organisation's groups; the history reads "v2 activated, v1 retired".
 */
const run = browserAvailable();

describe.skipIf(!run)('studio in Chromium: the activation dialog names the groups that run the version', () => {
  let db: Database;
  let studio: Studio;

  const document = (key: string, name: string) =>
    strategyDocument({ key, name, rules: [rule('Overdue', 10, 'condition', when('overdueAmount', 'greaterThan', 0))] });
  const statuses = async (key: string) =>
    (await query(db, `SELECT v.status FROM strategy_versions v JOIN strategies s ON s.id = v.strategy_id WHERE s.key = $1 ORDER BY v.version`, [key])).map(
      (r) => r.status,
    );

  async function openDialog(page: Page, key: string, version: number) {
    await signIn(page, studio.app.url, studio.token, `/strategies/${key}/versions`);
    await page.getByRole('button', { name: `Activate v${version}` }).click();
    const dialog = page.getByRole('dialog', { name: new RegExp(`Activate v${version}`) });
    await dialog.getByTestId('activate-groups').waitFor();
    return dialog;
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    await insertStrategy(db, 'ACT_RUN', document('ACT_RUN', 'Run by two groups'), 'ACTIVE', 1);
    await insertStrategy(db, 'ACT_RUN', document('ACT_RUN', 'Run by two groups'), 'DRAFT', 2);
    await insertStrategy(db, 'ACT_NONE', document('ACT_NONE', 'Run by nobody'), 'DRAFT', 1);
    await insertSegment(db, 'AS', [
      { key: 'AS_NORTH', strategyKey: 'ACT_RUN' },
      { key: 'AS_SOUTH', strategyKey: 'ACT_RUN' },
      { key: 'AS_OLD', strategyKey: 'ACT_RUN' },
      { key: 'AS_OTHER', strategyKey: null },
    ]);
    await query(db, `UPDATE collection_groups SET active = false WHERE key = 'AS_OLD'`);
    studio = await openStudio(db, { width: 1440 });
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  it('names the active groups running the strategy and what it retires; the history reads in words', async () => {
    const { page } = studio;
    const dialog = await openDialog(page, 'ACT_RUN', 2);
    const groups = dialog.getByTestId('activate-groups');
    await expect(groups.textContent()).resolves.toMatch(/2 collection groups run it; the next worklist run of segment AS scores their partners with it/);
    await expect(groups.locator('li').allTextContents()).resolves.toEqual(['Group AS_NORTH (AS_NORTH, segment AS)', 'Group AS_SOUTH (AS_SOUTH, segment AS)']);
    await expect(dialog.textContent()).resolves.toMatch(/v1 is retired and v2 becomes the live version of Run by two groups/);
    await expect(dialog.textContent()).resolves.not.toMatch(/every partner/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'activation-groups-1440.png') });

    await dialog.getByRole('button', { name: 'Yes, activate v2' }).click();
    await page.locator('.strat-banner.is-ok', { hasText: 'v2 is live, v1 retired. Run by AS_NORTH, AS_SOUTH.' }).waitFor();
    expect(await statuses('ACT_RUN')).toEqual(['RETIRED', 'ACTIVE']);
    const entry = page.locator('.history li[data-action="STRATEGY_VERSION_ACTIVATED"]').first();
    await expect(entry.locator('b').textContent()).resolves.toBe('v2 activated, v1 retired; run by AS_NORTH, AS_SOUTH');
  });

  it('says when no group runs the strategy, links to the groups, and the history never reads "vnull"', async () => {
    const page = await (await studio.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const dialog = await openDialog(page, 'ACT_NONE', 1);
    const groups = dialog.getByTestId('activate-groups');
    await expect(groups.textContent()).resolves.toMatch(/No collection group runs ACT_NONE, so no worklist run will score with it until one does/);
    await expect(groups.getByRole('link', { name: 'Assign it to groups on the Organisation page' }).getAttribute('href')).resolves.toBe('/organisation/groups');
    await expect(dialog.textContent()).resolves.toMatch(/v1 becomes the first live version of Run by nobody/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'activation-no-group-1280.png') });

    await dialog.getByRole('button', { name: 'Yes, activate v1' }).click();
    await page.locator('.strat-banner.is-ok', { hasText: 'v1 is live. No collection group runs it yet.' }).waitFor();
    const entry = page.locator('.history li[data-action="STRATEGY_VERSION_ACTIVATED"]').first();
    await expect(entry.locator('b').textContent()).resolves.toBe('v1 activated, the first live version; no collection group ran it');
    await expect(page.locator('.history').textContent()).resolves.not.toMatch(/vnull|null/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'activation-history-1280.png'), fullPage: true });

    await page.close();
  });
});
