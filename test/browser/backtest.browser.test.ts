import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoHistory } from '../../packages/server/src/seed/demo-history';
import { createTestToken } from '../support/api';
import { browserAvailable, openStudio, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';
import { insertStrategy, rule, strategyDocument, when } from '../support/worklist-fixtures';

const run = browserAvailable();
const TODAY = new Date().toISOString().slice(0, 10);
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * The backtests page (issue 18): a CONFIGURATOR picks the live demo strategy and a draft version,
 * a segment, key dates and a horizon, runs the backtest on a generated history, and reads the
 * chart of collected share per band over the key dates, the figures with the baselines, and the
 * differences worded as whether the draft beats the live strategy beyond noise. The URL holds
 * the backtest, so a reload shows the same results.
 */
describe.skipIf(!run)('studio in Chromium: backtests', () => {
  let db: Database;
  let studio: Studio;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoHistory(db, { partners: 400, months: 5, asOf: TODAY, seed: 5 });
    // A draft second version of the demo strategy: ageing and broken promises.
    const live = (
      await db.dataSource.query(`SELECT v.document FROM strategy_versions v JOIN strategies s ON s.id = v.strategy_id WHERE s.key = 'TELCO_STANDARD'`)
    )[0].document;
    await insertStrategy(
      db,
      'TELCO_STANDARD',
      strategyDocument({
        ...live,
        rules: [
          rule('Nothing overdue', 0, 'exit', when('overdueAmount', 'lessThanInclusive', 0)),
          rule('Overdue', 10, 'condition', when('overdueAmount', 'greaterThan', 0)),
          rule('Over 30 days', 30, 'condition', when('maxDaysOverdue', 'greaterThan', 30)),
          rule('Over 60 days', 30, 'condition', when('maxDaysOverdue', 'greaterThan', 60)),
          rule('Broken promise', 30, 'condition', when('brokenPromises', 'greaterThanInclusive', 1)),
        ],
      }),
      'DRAFT',
      2,
    );
    studio = await openStudio(db);
  }, 300_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  it('runs a backtest of the live strategy and a draft and shows curves, figures and differences worded for a consultant', async () => {
    const { page } = studio;
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, studio.app.url, await createTestToken(db, 'CONFIGURATOR'), '/backtests');
    await page.getByRole('link', { name: 'Backtests' }).waitFor();
    const form = page.getByRole('form', { name: 'Backtest' });
    await form.waitFor();
    // The live version is picked as the reference; the draft is offered.
    const liveBox = form.getByRole('checkbox', { name: /v1 \(live\)/ });
    const draftBox = form.getByRole('checkbox', { name: /v2 \(draft\)/ });
    expect(await liveBox.isChecked()).toBe(true);
    expect(await draftBox.isChecked()).toBe(false);
    await draftBox.check();
    await form.getByText('compared #1').waitFor();
    await studio.screenshot('backtest-form-1280');

    const to = addDays(TODAY, -35);
    await form.getByLabel('Segment').selectOption('CONSUMER');
    await form.getByLabel('First key date').fill(addDays(to, -56));
    await form.getByLabel('Last key date').fill(to);
    await form.getByLabel('Every (days)').fill('14');
    await form.getByLabel('Horizon (days)').fill('30');
    await form.getByRole('button', { name: 'Run backtest' }).click();

    const verdicts = page.getByRole('region', { name: 'Differences between strategies' });
    await verdicts.waitFor({ timeout: 240_000 });
    expect(new URL(page.url()).searchParams.get('strategies')).toBe('TELCO_STANDARD@1,TELCO_STANDARD@2');
    const comparison = await verdicts.innerText();
    expect(comparison).toContain('compared with');
    expect(comparison).toMatch(/Ranking quality \(AUC\): .* (is ahead of|is behind|differs from) .*95% interval/);
    expect(comparison).toMatch(/Better, beyond noise|Worse, beyond noise|Within noise/);

    const cards = page.locator('section.backtest-strategy');
    expect(await cards.count()).toBe(2);
    for (let i = 0; i < 2; i++) {
      const card = cards.nth(i);
      // A line per band plus the whole list, each through the key dates.
      const lines = card.locator('.recharts-line');
      await lines.first().waitFor();
      const bands = await card.locator('tbody th', { hasText: /^Band / }).count();
      expect(bands).toBeGreaterThan(0);
      expect(await lines.count()).toBe(bands + 1);
      expect(await card.locator('.recharts-line-dots').first().locator('circle').count()).toBe(5);
      const rows = await card.locator('tbody th').allInnerTexts();
      expect(rows).toContain('Whole list');
      expect(rows).toContain('Oldest debt first');
      expect(rows).toContain('Largest amount first');
      expect(await card.locator('.backtest-baselines li').count()).toBe(4);
    }
    await studio.screenshot('backtest-results-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
    await studio.screenshot('backtest-results-1440');

    // The URL is the backtest: a reload shows it again.
    await page.reload();
    await page.getByRole('region', { name: 'Differences between strategies' }).waitFor({ timeout: 240_000 });
    expect(await page.locator('section.backtest-strategy').count()).toBe(2);
  }, 600_000);

  it("an ADMIN sets a group's daily capacity in the group form; the backtest takes it as k", async () => {
    const { page } = studio;
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, studio.app.url, studio.token, '/organisation/groups?group=CONSUMER_TEAM');
    await page.getByRole('button', { name: 'Edit CONSUMER_TEAM' }).click();
    const panel = page.getByRole('dialog', { name: 'Edit group CONSUMER_TEAM' });
    const capacity = panel.getByLabel('Daily capacity (partners)');
    expect(await capacity.inputValue()).toBe('');
    await capacity.fill('0');
    await panel.getByRole('button', { name: 'Save' }).click();
    const error = panel.locator('[data-field="dailyCapacity"] .org-field-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/dailyCapacity must be a whole number of partners from 1 to 100000/);
    await capacity.fill('45');
    await studio.screenshot('backtest-group-capacity-form-1280');
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.waitFor({ state: 'detached' });
    await page.locator('.org-table tr[data-key="CONSUMER_TEAM"] td', { hasText: /^45$/ }).waitFor();
    const [group] = await db.dataSource.query(`SELECT daily_capacity FROM collection_groups WHERE key = 'CONSUMER_TEAM'`);
    expect(group.daily_capacity).toBe(45);

    const to = addDays(TODAY, -35);
    await page.goto(`${studio.app.url}/backtests?strategies=TELCO_STANDARD%401&segment=CONSUMER&from=${addDays(to, -14)}&to=${to}&every=14&horizon=30`);
    const scope = page.locator('.backtest-scope');
    await scope.waitFor({ timeout: 240_000 });
    expect(await scope.innerText()).toContain('Capacity k = 45 partners a day (CONSUMER_TEAM: daily capacity 45)');
  }, 600_000);
});
