import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import type { Database } from '../../packages/server/src/db/database';
import { JobEngine, jobKeyOf, queueOf, runCycle, type CycleStepName, type StepHandler } from '../../packages/server/src/jobs';
import { createTestToken } from '../support/api';
import { browserAvailable, openStudio, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();
const NIGHT1 = '2026-12-01';
const NIGHT2 = '2026-12-02';
const NIGHT3 = '2026-12-03';

/**
 * The jobs page on jobs the engine really ran: a night done, a night whose judging died (a dead
 * letter), a job a worker holds (running) and one queued for later. An ADMIN filters by state,
 * retries the dead job, cancels the queued one and edits the cycle's schedule (a bad cron refused
 * at its field, nothing saved); a SUPERVISOR sees it all without the buttons.
 */
describe.skipIf(!run)('studio in Chromium: the jobs page', () => {
  let db: Database;
  let studio: Studio;
  let worker: JobEngine;
  const gates: Array<() => void> = [];
  let judgeWorks = true;

  const ok =
    (step: CycleStepName): StepHandler =>
    async () =>
      `${step.toLowerCase()} ok`;
  const nightHandlers = (): Record<CycleStepName, StepHandler> => ({
    IMPORT: ok('IMPORT'),
    JUDGE: async () => {
      if (!judgeWorks) throw new Error('promises table locked by another session');
      return 'judged';
    },
    DUNNING: ok('DUNNING'),
    WORKLISTS: ok('WORKLISTS'),
    ANALYTICS: ok('ANALYTICS'),
    CORRESPONDENCE: ok('CORRESPONDENCE'),
  });
  /** A worker whose every job waits until the test lets it go: what it takes stays RUNNING. */
  /** Once set, steps are no longer held: a job the worker takes after the last release (the retried judging) runs through. */
  let holding = true;
  const held = (): StepHandler => () => (holding ? new Promise<string>((resolve) => gates.push(() => resolve('released'))) : Promise.resolve('ran'));

  const jobState = async (id: string): Promise<string> => (await db.dataSource.query(`SELECT state::text FROM pgboss.job WHERE id = $1`, [id]))[0]?.state;
  const jobOf = async (step: CycleStepName, cycleDate: string): Promise<string> =>
    (
      await db.dataSource.query(`SELECT id FROM pgboss.job WHERE name = $1 AND data->>'cycleDate' = $2 ORDER BY created_on DESC LIMIT 1`, [
        queueOf(step),
        cycleDate,
      ])
    )[0]?.id;
  const scheduleOf = async (step: string) =>
    (await db.dataSource.query(`SELECT cron, time_zone, enabled, depends_on FROM cycle_steps WHERE step = $1`, [step]))[0];
  const row = (region: Locator, id: string): Locator => region.locator(`tr[data-job="${id}"]`);

  async function shots(name: string): Promise<void> {
    for (const width of [1280, 1440]) {
      await studio.page.setViewportSize({ width, height: 900 });
      await studio.page.waitForTimeout(150);
      await studio.screenshot(`jobs-${name}-${width}`);
    }
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    // Night 1 done; night 2's judging dies (no retry), so what waits for it stays waiting.
    await runCycle(db, NIGHT1, { handlers: nightHandlers(), retryLimit: 0, pollMs: 100 });
    judgeWorks = false;
    await runCycle(db, NIGHT2, { handlers: nightHandlers(), retryLimit: 0, pollMs: 100 });
    const handlers = Object.fromEntries(['IMPORT', 'JUDGE', 'DUNNING', 'WORKLISTS', 'ANALYTICS', 'CORRESPONDENCE'].map((s) => [s, held()]));
    worker = await JobEngine.start(db, { work: true, retryLimit: 0, pollingIntervalSeconds: 0.5, handlers });
    // Night 3: dunning taken by the worker (running); correspondence queued to start in an hour.
    await worker.send('DUNNING', NIGHT3);
    await worker.boss.send(
      queueOf('CORRESPONDENCE'),
      { step: 'CORRESPONDENCE', cycleDate: NIGHT3 },
      { singletonKey: jobKeyOf('CORRESPONDENCE', NIGHT3), startAfter: 3600 },
    );
    const dunning = await jobOf('DUNNING', NIGHT3);
    for (let i = 0; i < 100 && (await jobState(dunning)) !== 'active'; i++) await new Promise((r) => setTimeout(r, 200));
    expect(await jobState(dunning)).toBe('active');
    studio = await openStudio(db);
  }, 240_000);

  afterAll(async () => {
    for (const release of gates) release();
    await worker?.stop();
    await studio?.close();
    await db?.close();
  });

  it('lists queued, running, failed and done jobs with their cycle date, attempts, duration and error, refreshing while one runs', async () => {
    const { page } = studio;
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, studio.app.url, studio.token, '/jobs');
    await page.reload();
    const jobs = page.getByRole('region', { name: 'Jobs' });
    await jobs.locator('tbody tr').first().waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).getAttribute('aria-current')).toBe('page');

    const dead = await jobOf('JUDGE', NIGHT2);
    const running = await jobOf('DUNNING', NIGHT3);
    const queued = await jobOf('CORRESPONDENCE', NIGHT3);
    const done = await jobOf('WORKLISTS', NIGHT1);
    const cells = async (id: string) => (await row(jobs, id).locator('td').allInnerTexts()).map((t) => t.trim());
    expect((await cells(dead)).slice(0, 7)).toEqual([
      `Judging\ncycle-judge`,
      NIGHT2,
      'Failed',
      '1 of 1',
      expect.any(String),
      expect.stringMatching(/ s$/),
      'promises table locked by another session',
    ]);
    expect((await cells(running)).slice(0, 4)).toEqual([`Dunning\ncycle-dunning`, NIGHT3, 'Running', '1 of 1']);
    expect((await cells(running))[5]).toMatch(/ s so far$/);
    expect((await cells(queued)).slice(0, 4)).toEqual([`Correspondence\ncycle-correspondence`, NIGHT3, 'Queued', '0 of 1']);
    expect((await cells(done)).slice(0, 4)).toEqual([`Worklist generation\ncycle-worklists`, NIGHT1, 'Done', '1 of 1']);
    expect((await cells(done))[6]).toBe('');
    // Counts per state in the filter; the page says it refreshes while something runs.
    const [counts] = await db.dataSource.query(
      `SELECT count(*) FILTER (WHERE state = 'completed')::int AS done, count(*) FILTER (WHERE state = 'failed')::int AS failed, count(*)::int AS total FROM pgboss.job`,
    );
    const filter = jobs.getByRole('group', { name: 'Job state' });
    expect(await filter.getByRole('button', { name: `Done (${counts.done})` }).count()).toBe(1);
    expect(await filter.getByRole('button', { name: `Failed (dead letters) (${counts.failed})` }).count()).toBe(1);
    expect(await filter.getByRole('button', { name: `All (${counts.total})` }).count()).toBe(1);
    await jobs.getByRole('status').getByText('Refreshing every 2 s while jobs are queued or running').waitFor();
    // Each row's actions: retry on the dead one, cancel on the queued and the running one, none on a done one.
    expect(await row(jobs, dead).getByRole('button').allInnerTexts()).toEqual(['Retry']);
    expect(await row(jobs, queued).getByRole('button').allInnerTexts()).toEqual(['Cancel']);
    expect(await row(jobs, running).getByRole('button').allInnerTexts()).toEqual(['Cancel']);
    expect(await row(jobs, done).getByRole('button').count()).toBe(0);
    await shots('list');
  }, 120_000);

  it('shows the recent nights per step: done, failed with its reason, waiting behind it', async () => {
    const runs = studio.page.getByRole('region', { name: 'Recent cycle runs' });
    const night2 = runs.locator(`tr[data-cycle-date="${NIGHT2}"]`);
    expect(await night2.locator('td[data-step="IMPORT"] .jobs-state').innerText()).toBe('Done');
    expect(await night2.locator('td[data-step="JUDGE"]').innerText()).toContain('Failed');
    expect(await night2.locator('td[data-step="JUDGE"]').innerText()).toContain('promises table locked by another session');
    expect(await night2.locator('td[data-step="WORKLISTS"] .jobs-state').innerText()).toBe('Waiting');
    const night1 = runs.locator(`tr[data-cycle-date="${NIGHT1}"] .jobs-state`);
    expect(new Set(await night1.allInnerTexts())).toEqual(new Set(['Done']));
    expect(await night1.count()).toBe(6);
  }, 30_000);

  it('filters by state in the URL (a reload keeps it): the dead letters', async () => {
    const { page } = studio;
    const jobs = page.getByRole('region', { name: 'Jobs' });
    await jobs.getByRole('button', { name: /^Failed \(dead letters\)/ }).click();
    await page.waitForURL(/\/jobs\?state=FAILED$/);
    await page.reload();
    await jobs.locator('tbody tr').first().waitFor();
    expect(await jobs.locator('tbody tr').count()).toBe(1);
    expect(await jobs.locator('tbody tr td').nth(2).innerText()).toBe('Failed');
    expect(await jobs.getByRole('button', { name: /^Failed/ }).getAttribute('aria-pressed')).toBe('true');
  }, 60_000);

  it('an ADMIN retries the dead job after confirming: it is queued again, audited, and leaves the dead letters', async () => {
    const { page } = studio;
    const jobs = page.getByRole('region', { name: 'Jobs' });
    const dead = await jobOf('JUDGE', NIGHT2);
    await row(jobs, dead).getByRole('button', { name: 'Retry' }).click();
    const dialog = page.getByRole('dialog', { name: `Retry Judging of ${NIGHT2}?` });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('last error: promises table locked by another session');
    await shots('retry-confirm');
    await dialog.getByRole('button', { name: 'Retry the job' }).click();
    await jobs.getByRole('status').getByText(`Judging of ${NIGHT2} queued for one more attempt.`).waitFor();
    await jobs.getByText(`No failed job.`).waitFor();
    expect(['retry', 'active']).toContain(await jobState(dead));
    const [audit] = await db.dataSource.query(`SELECT action FROM audit_log WHERE entity_type = 'JOB' AND entity_id = $1`, [dead]);
    expect(audit.action).toBe('JOB_RETRIED');
    // In the whole list it shows as retried (waiting for its attempt, or taken by the worker), with one more attempt allowed.
    await jobs.getByRole('button', { name: /^All/ }).click();
    await row(jobs, dead).waitFor();
    expect(await row(jobs, dead).locator('td').nth(2).innerText()).toMatch(/^(Retry|Running)$/);
    expect(await row(jobs, dead).locator('td').nth(3).innerText()).toMatch(/^[12] of 2$/);
  }, 60_000);

  it('an ADMIN cancels the queued job after confirming; a job that finished meanwhile is refused in words; the list follows without a reload', async () => {
    const { page } = studio;
    const jobs = page.getByRole('region', { name: 'Jobs' });
    const queued = await jobOf('CORRESPONDENCE', NIGHT3);
    await row(jobs, queued).getByRole('button', { name: 'Cancel' }).click();
    const dialog = page.getByRole('dialog', { name: `Cancel Correspondence of ${NIGHT3}?` });
    await dialog.getByRole('button', { name: 'Cancel the job' }).click();
    await jobs.getByRole('status').getByText(`Correspondence of ${NIGHT3} cancelled.`).waitFor();
    expect(await jobState(queued)).toBe('cancelled');
    await row(jobs, queued).getByText('Cancelled', { exact: true }).waitFor();
    // The running dunning job finishes while its cancel is being confirmed: the refusal is said in words.
    const running = await jobOf('DUNNING', NIGHT3);
    await row(jobs, running).getByRole('button', { name: 'Cancel' }).click();
    const confirm = page.getByRole('dialog', { name: `Cancel Dunning of ${NIGHT3}?` });
    await confirm.waitFor();
    holding = false;
    for (const release of gates.splice(0)) release();
    for (let i = 0; i < 100 && (await jobState(running)) !== 'completed'; i++) await new Promise((r) => setTimeout(r, 200));
    await confirm.getByRole('button', { name: 'Cancel the job' }).click();
    const refusal = jobs.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.innerText()).toBe(`Could not cancel the job: job ${running} is DONE: it cannot be cancelled`);
    expect(await jobState(running)).toBe('completed');
    // The page, refreshing itself, shows it done.
    await row(jobs, running).getByText('Done', { exact: true }).waitFor({ timeout: 20_000 });
    // The retried judging of night 2 finished too: its step of the cycle is done now.
    const runs = page.getByRole('region', { name: 'Recent cycle runs' });
    await runs.locator(`tr[data-cycle-date="${NIGHT2}"] td[data-step="JUDGE"]`).getByText('Done', { exact: true }).waitFor({ timeout: 20_000 });
  }, 60_000);

  it('an ADMIN edits a step’s cron and zone: saved, audited, shown with its next run, kept after a reload', async () => {
    const { page } = studio;
    const schedule = page.getByRole('region', { name: 'Nightly cycle' });
    const worklists = schedule.locator('tr[data-step="WORKLISTS"]');
    expect(await worklists.locator('td').nth(3).innerText()).toBe('Import, Judging');
    expect(await schedule.locator('tr[data-step="ANALYTICS"] td').nth(3).innerText()).toBe('Import, Judging, Worklist generation');
    await schedule.getByRole('button', { name: 'Edit Worklist generation' }).click();
    const form = schedule.getByRole('form', { name: 'Schedule of Worklist generation' });
    await form.getByLabel('Cron expression').fill('15 3 * * 1-5');
    await form.getByLabel('Time zone').fill('Europe/Berlin');
    await shots('schedule-edit');
    await form.getByRole('button', { name: 'Save' }).click();
    await schedule.getByRole('status').getByText('Worklist generation saved: Monday to Friday at 03:15 (Europe/Berlin).').waitFor();
    expect(await scheduleOf('WORKLISTS')).toEqual({ cron: '15 3 * * 1-5', time_zone: 'Europe/Berlin', enabled: true, depends_on: ['IMPORT', 'JUDGE'] });
    const [audit] = await db.dataSource.query(`SELECT details FROM audit_log WHERE entity_type = 'CYCLE_STEP' AND entity_id = 'WORKLISTS'`);
    expect(audit.details.after).toMatchObject({ cron: '15 3 * * 1-5', timeZone: 'Europe/Berlin' });

    await page.reload();
    await worklists.waitFor();
    expect(await worklists.locator('td').nth(1).innerText()).toBe('Monday to Friday at 03:15\n15 3 * * 1-5 · Europe/Berlin');
    // The next run, in words, in the step's zone: a weekday at 03:15 there, within four days.
    const next = await worklists.locator('td').nth(2).innerText();
    expect(next).toMatch(/^(Mon|Tue|Wed|Thu|Fri), [A-Z][a-z]{2} \d{1,2}, 03:15 GMT\+[12]\nin (\d+ h( \d+ min)?|\d+ min|[2-4] days|under a minute)$/);
  }, 60_000);

  it('refuses an invalid cron with the server’s message at the field; nothing is saved', async () => {
    const { page } = studio;
    const schedule = page.getByRole('region', { name: 'Nightly cycle' });
    const before = await scheduleOf('JUDGE');
    await schedule.getByRole('button', { name: 'Edit Judging' }).click();
    const form = schedule.getByRole('form', { name: 'Schedule of Judging' });
    const cron = form.getByLabel('Cron expression');
    await cron.fill('61 1 * * *');
    await form.getByRole('button', { name: 'Save' }).click();
    const message = form.getByRole('alert');
    await message.waitFor();
    expect(await message.innerText()).toMatch(/^cron is not a valid expression: /);
    expect(await cron.getAttribute('aria-invalid')).toBe('true');
    expect(await cron.getAttribute('aria-describedby')).toBe(await message.getAttribute('id'));
    await shots('schedule-invalid-cron');
    expect(await scheduleOf('JUDGE')).toEqual(before);
    const audits = await db.dataSource.query(`SELECT 1 FROM audit_log WHERE entity_type = 'CYCLE_STEP' AND entity_id = 'JUDGE'`);
    expect(audits).toHaveLength(0);
    await form.getByRole('button', { name: 'Cancel' }).click();
  }, 60_000);

  it('a SUPERVISOR sees the jobs and the schedule without retry, cancel or edit; a CONFIGURATOR has no Jobs entry', async () => {
    const { page } = studio;
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, studio.app.url, await createTestToken(db, 'SUPERVISOR'), '/jobs');
    await page.reload();
    const jobs = page.getByRole('region', { name: 'Jobs' });
    await jobs.locator('tbody tr').first().waitFor();
    expect(await jobs.locator('tbody tr').count()).toBeGreaterThan(5);
    expect(await jobs.getByRole('button', { name: /^(Retry|Cancel)$/ }).count()).toBe(0);
    const schedule = page.getByRole('region', { name: 'Nightly cycle' });
    await schedule.locator('tr[data-step="IMPORT"]').waitFor();
    expect(await schedule.getByRole('button', { name: /^Edit/ }).count()).toBe(0);
    await shots('supervisor');

    await signIn(page, studio.app.url, await createTestToken(db, 'CONFIGURATOR'), '/');
    await page.reload();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Strategies' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Jobs' }).count()).toBe(0);
  }, 60_000);
});
