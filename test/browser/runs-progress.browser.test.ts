import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { createTestToken } from '../support/api';
import { browserAvailable, openStudio, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();
const AS_OF = new Date().toISOString().slice(0, 10);

/**
 * The runs page starts a run (startWorklistRun), follows its progress while it is RUNNING and then
 * shows its statistics, with the history of the segment's runs. A test trigger holds the run
 * 1.5 s as it enters scoring and distribution, so that the page's poll (every second) finds it
 * running on any machine.
 */
describe.skipIf(!run)('studio in Chromium: a worklist run with its progress', () => {
  let db: Database;
  let studio: Studio;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 150, seed: 9, asOf: AS_OF });
    await runWorklists(db, { asOf: AS_OF, mode: 'LIVE' });
    await db.dataSource.query(
      `CREATE FUNCTION test_hold_run() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
         IF NEW.progress_phase IN ('scoring', 'distributing') AND NEW.progress_phase IS DISTINCT FROM OLD.progress_phase THEN PERFORM pg_sleep(1.5); END IF;
         RETURN NEW; END $$`,
    );
    await db.dataSource.query(`CREATE TRIGGER test_hold_run BEFORE UPDATE ON worklist_runs FOR EACH ROW EXECUTE FUNCTION test_hold_run()`);
    studio = await openStudio(db);
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  it('a SUPERVISOR starts a run, sees its phase and partners scored while it runs, then its statistics and the history', async () => {
    const { page } = studio;
    await page.setViewportSize({ width: 1280, height: 900 });
    const [seg] = await db.dataSource.query(
      `SELECT s.key, s.live_run_id::text AS live, (SELECT count(*)::int FROM partners p WHERE p.segment = s.key) AS partners
         FROM collection_segments s WHERE s.live_run_id IS NOT NULL ORDER BY s.key LIMIT 1`,
    );
    await signIn(page, studio.app.url, await createTestToken(db, 'SUPERVISOR'), `/runs?segment=${seg.key}`);
    await page.reload();
    const history = page.getByRole('region', { name: 'Run history' });
    await history.getByText(`#${seg.live}`).waitFor();

    await page.getByRole('button', { name: `Generate ${seg.key} worklist` }).click();
    const progress = page.getByRole('region', { name: 'Run progress' });
    await progress.waitFor({ timeout: 30_000 });
    const bar = progress.getByRole('progressbar', { name: 'Partners scored' });
    expect(await bar.getAttribute('aria-valuemax')).toBe(String(seg.partners));
    const status = await progress.getByRole('status').innerText();
    expect(status).toMatch(/Starting|Scoring partners|Dealing the list to specialists|Building the list|Switching the live list|Checking FX rates|Waiting/);
    expect(status).toContain(`of ${seg.partners.toLocaleString('en-US')} partners scored`);
    const [running] = await db.dataSource.query(`SELECT id::text AS id FROM worklist_runs WHERE segment_key = $1 ORDER BY id DESC LIMIT 1`, [seg.key]);
    expect(await progress.getByRole('heading').innerText()).toContain(`Run #${running.id} of ${seg.key}`);
    await studio.screenshot('runs-progress-running-1280');

    const stats = page.getByRole('region', { name: 'Run statistics' });
    await stats.getByText(`The run just generated · #${running.id}`).waitFor({ timeout: 60_000 });
    const [r] = await db.dataSource.query(
      `SELECT status, progress_phase, partners_scored, partners_total, (SELECT count(*)::int FROM worklist_items w WHERE w.run_id = r.id) AS items,
          (SELECT live_run_id::text FROM collection_segments WHERE key = r.segment_key) AS live
         FROM worklist_runs r WHERE r.id = $1`,
      [running.id],
    );
    expect(r).toMatchObject({ status: 'SUCCEEDED', progress_phase: 'done', partners_scored: seg.partners, partners_total: seg.partners, live: running.id });
    // The bands carry the strategy's labels.
    const [doc] = await db.dataSource.query(`SELECT v.document FROM worklist_runs r JOIN strategy_versions v ON v.id = r.strategy_version_id WHERE r.id = $1`, [
      running.id,
    ]);
    const firstBand = await stats.getByRole('table', { name: 'By priority' }).locator('tbody tr').first().locator('td').first().innerText();
    const label = doc.document.priorities.find((p: { priority: number }) => firstBand.startsWith(`P${p.priority}`))?.label;
    expect(label).toBeTruthy();
    expect(firstBand).toContain(label);
    // The history: the new run first, succeeded, above the one it replaced.
    const rows = history.locator('tbody tr');
    await rows.first().getByText(`#${running.id}`).waitFor();
    expect(await rows.first().locator('.work-status').innerText()).toMatch(/succeeded/i);
    expect(await rows.nth(1).innerText()).toContain(`#${seg.live}`);
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await studio.screenshot(`runs-progress-done-${width}`);
    }
  });

  it('shows the progress at 1440 px, Generate disabled while the run goes on', async () => {
    const { page } = studio;
    await page.setViewportSize({ width: 1440, height: 900 });
    const [seg] = await db.dataSource.query(`SELECT key FROM collection_segments WHERE live_run_id IS NOT NULL ORDER BY key LIMIT 1`);
    await signIn(page, studio.app.url, await createTestToken(db, 'SUPERVISOR'), `/runs?segment=${seg.key}`);
    await page.reload();
    await page.getByRole('region', { name: 'Run history' }).locator('tbody tr').first().waitFor();
    await page.getByRole('button', { name: `Generate ${seg.key} worklist` }).click();
    const progress = page.getByRole('region', { name: 'Run progress' });
    await progress.waitFor({ timeout: 30_000 });
    expect(await page.getByRole('button', { name: 'Generating…' }).isDisabled()).toBe(true);
    await studio.screenshot('runs-progress-running-1440');
    await page.getByRole('region', { name: 'Run statistics' }).getByText('The run just generated').waitFor({ timeout: 60_000 });
  });
});
