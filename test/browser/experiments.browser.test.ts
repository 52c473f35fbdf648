import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { addDays } from '../../studio/src/lib/dates';
import { DEMO_STRATEGY } from '../../packages/server/src/seed/demo-strategy';
import { seedDemoHistory } from '../../packages/server/src/seed/demo-history';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { createTestToken } from '../support/api';
import { browserAvailable, openStudio, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();
const TODAY = new Date().toISOString().slice(0, 10);
const GROUP = 'CONSUMER_TEAM';
const SEGMENT = 'CONSUMER';

/**
 * The experiments page: a SUPERVISOR starts a 20% challenger on a group (with confirmation),
 * follows its arms, reads the results in words and intervals once live runs have passed their
 * window, and promotes it (with confirmation). Screenshots at 1280 and 1440 px.
 */
describe.skipIf(!run)('studio in Chromium: champion/challenger', () => {
  let db: Database;
  let studio: Studio;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoHistory(db, { partners: 2000, months: 3, asOf: TODAY, seed: 21 });
    await db.dataSource.query(`UPDATE partners SET segment = $1, collection_group_key = $2`, [SEGMENT, GROUP]);
    const [champion] = await db.dataSource.query(`SELECT strategy_id FROM strategy_versions WHERE status = 'ACTIVE'`);
    // The challenger: ageing weighs double.
    const challenger = {
      ...DEMO_STRATEGY,
      rules: DEMO_STRATEGY.rules.map((r) =>
        r.name.startsWith('Oldest item') ? { ...r, event: { ...r.event, params: { ...r.event.params, points: 50 } } } : r,
      ),
    };
    await db.dataSource.query(`INSERT INTO strategy_versions (strategy_id, version, status, document, created_by) VALUES ($1, 2, 'DRAFT', $2, 'test')`, [
      champion.strategy_id,
      JSON.stringify(challenger),
    ]);
    studio = await openStudio(db);
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  it('starts an experiment after confirmation, shows its arms, its results in words and intervals, then promotes it', async () => {
    const { page } = studio;
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, studio.app.url, await createTestToken(db, 'SUPERVISOR'), `/experiments?group=${GROUP}`);
    await page.reload();
    const start = page.getByRole('region', { name: 'Start an experiment' });
    await start.getByRole('combobox').selectOption({ label: `${DEMO_STRATEGY.name} v2 (draft)` });
    await start.getByLabel('Challenger share (%)').fill('20');
    await start.getByRole('button', { name: 'Start…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: `Start testing ${DEMO_STRATEGY.name} v2?` }).waitFor();
    expect(await dialog.innerText()).toContain('20%');
    await studio.screenshot('experiments-start-confirm-1280');
    await dialog.getByRole('button', { name: 'Yes, start the experiment' }).click();

    const running = page.getByRole('region', { name: 'Running experiment' });
    await running.getByRole('heading', { name: `Running: ${DEMO_STRATEGY.key} v2 on 20% of the partners` }).waitFor();
    const [experiment] = await db.dataSource.query(`SELECT id::text AS id, share_bp, outcome FROM strategy_experiments`);
    expect(experiment).toMatchObject({ share_bp: 2000, outcome: null });
    // Before any run: nothing measured yet, said so.
    await page
      .getByRole('region', { name: 'Results' })
      .getByText(/No run's 30-day window has passed yet/)
      .waitFor();

    // Five daily live runs that have passed their 30-day window.
    for (let d = 60; d > 55; d--) await runWorklists(db, { segments: [SEGMENT], asOf: addDays(TODAY, -d), mode: 'LIVE' });
    await page.reload();
    const arms = running.getByRole('table', { name: 'Arms' });
    await arms.locator('tbody tr').nth(1).waitFor();
    const challengerRow = await arms.locator('tbody tr').nth(1).innerText();
    expect(challengerRow).toContain('Challenger');
    const share = Number(/(\d+\.\d)%/.exec(challengerRow)![1]);
    expect(Math.abs(share - 20)).toBeLessThan(3); // 2,000 partners: within about 3 standard errors
    expect(await running.innerText()).toContain(addDays(TODAY, -56));

    const results = page.getByRole('region', { name: 'Results' });
    const sentences = results.locator('.exp-sentences li');
    await sentences.first().waitFor({ timeout: 60_000 });
    expect(await sentences.count()).toBe(6);
    expect(await sentences.first().innerText()).toMatch(
      /^Challenger collected \d+\.\d points (more|less) of the amount to be collected(, 95% interval -?\d+\.\d to -?\d+\.\d)?: (better beyond noise|worse beyond noise|within noise, no clear difference yet|not enough data for an interval yet)\.$/,
    );
    expect(await results.getByRole('table', { name: 'Figures by arm' }).locator('tbody tr').count()).toBe(9);
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await studio.screenshot(`experiments-running-${width}`);
    }
    // The running view with its results (the layout test sees the page before any experiment).
    const axe = await new AxeBuilder({ page }).analyze();
    const serious = axe.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);

    await running.getByRole('button', { name: 'Promote challenger…' }).click();
    await dialog.getByRole('heading', { name: `Promote ${DEMO_STRATEGY.key} v2?` }).waitFor();
    expect(await dialog.innerText()).toContain('audit log');
    await studio.screenshot('experiments-promote-confirm-1440');
    await dialog.getByRole('button', { name: `Yes, promote ${DEMO_STRATEGY.key} v2` }).click();
    const past = page.getByRole('region', { name: 'Past experiments' });
    await past.getByText('promoted').waitFor();
    const [after] = await db.dataSource.query(`SELECT outcome FROM strategy_experiments`);
    expect(after.outcome).toBe('PROMOTED');
    const versions = await db.dataSource.query(`SELECT version, status FROM strategy_versions ORDER BY version`);
    expect(versions).toEqual([
      { version: 1, status: 'RETIRED' },
      { version: 2, status: 'ACTIVE' },
    ]);
    // The page reads the strategies again: v2 is the champion now, v1 (retired) may challenge it.
    await page.getByRole('region', { name: 'Champion' }).getByText('v2').waitFor();
    await studio.screenshot('experiments-promoted-1440');
  }, 240_000);
});
