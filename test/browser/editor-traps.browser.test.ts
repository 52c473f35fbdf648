import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialog } from 'playwright-core';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { browserAvailable, openStudio, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();
const AS_OF = '2026-11-23';
const KEY = 'TRAPS_FRESH';

describe.skipIf(!run)('studio in Chromium: the strategy editor without traps', () => {
  let db: Database;
  let studio: Studio;
  let base: string;

  /** A full-page screenshot from the top (the preview panel is sticky). */
  async function shot(name: string): Promise<void> {
    await studio.page.evaluate('window.scrollTo(0, 0)');
    await studio.page.waitForTimeout(150);
    await studio.screenshot(name);
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 400, seed: 3, asOf: AS_OF });
    await runWorklists(db, { asOf: AS_OF, mode: 'LIVE' });
    studio = await openStudio(db);
    base = studio.app.url.replace('//localhost:', '//127.0.0.1:');
    await signIn(studio.page, base, studio.token, '/strategies');
  });
  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  it("a new strategy's preview lists no partner with nothing to collect", async () => {
    const { page } = studio;
    await page.getByRole('button', { name: 'New strategy', exact: true }).click();
    const form = page.getByRole('form', { name: 'New strategy' });
    await form.getByLabel('Key').fill(KEY);
    await form.getByLabel('Name').fill('Fresh start');
    await form.getByRole('button', { name: /Create/ }).click();
    await page.getByRole('heading', { name: 'Fresh start' }).waitFor();
    await page.locator('.preview-status[data-state="ready"]').waitFor();

    // The preview's own run: every partner it lists has money to collect or a resubmission due.
    const [{ listed, idle }] = await db.dataSource.query(
      `SELECT count(*)::int AS listed,
              count(*) FILTER (WHERE w.amount_to_be_collected <= 0 AND (w.resubmission_date IS NULL OR w.resubmission_date > $1::date))::int AS idle
         FROM worklist_items w WHERE w.run_id = (SELECT max(id) FROM worklist_runs WHERE mode = 'PREVIEW')`,
      [AS_OF],
    );
    expect(listed).toBeGreaterThan(0);
    expect(idle).toBe(0);
    await expect(page.getByTestId('preview-partners').textContent()).resolves.toBe(String(listed));
    expect(Number(await page.getByTestId('preview-excluded').textContent())).toBeGreaterThan(0);
    await expect(page.getByLabel('Rule name').first().inputValue()).resolves.toBe('Nothing to collect');
    await shot('editor-traps-new-strategy');
  });

  it('refuses an invalid band start at the field, and never lets it reach the document', async () => {
    const { page } = studio;
    const p1 = page.getByLabel('Start of P1', { exact: true });
    const bands = page.getByRole('region', { name: 'Priority bands' });

    await p1.fill('150');
    await expect(bands.locator('.field-error').textContent()).resolves.toMatch(/between 0 and 100 %/);
    await expect(p1.getAttribute('aria-invalid')).resolves.toBe('true');
    await shot('editor-traps-band-refused');
    // Not taken: the bar still draws P1 from 60 %, the edit is not an unsaved change.
    await expect(bands.locator('.bands-seg').last().getAttribute('style')).resolves.toMatch(/left: 60%/);
    await expect(page.getByText('Unsaved changes').count()).resolves.toBe(0);

    await p1.fill('-5');
    await expect(bands.locator('.field-error').textContent()).resolves.toMatch(/between 0 and 100 %/);
    await p1.fill('20');
    await expect(bands.locator('.field-error').textContent()).resolves.toBe('Start P1 above P2, which starts at 30 %.');
    await p1.fill('60');
    await expect(bands.locator('.field-error').count()).resolves.toBe(0);
    await page.getByLabel('Start of P3', { exact: true }).fill('5');
    await expect(bands.locator('.field-error').textContent()).resolves.toMatch(/P3 is the lowest band: it starts at 0 %/);
    await page.getByLabel('Start of P3', { exact: true }).fill('0');

    await p1.fill('70');
    await expect(bands.locator('.field-error').count()).resolves.toBe(0);
    await page.getByText('Unsaved changes').waitFor();
    await expect(bands.locator('.bands-seg').last().getAttribute('style')).resolves.toMatch(/left: 70%/);
  });

  it('names what the server refuses in words at its field, not by JSON path', async () => {
    const { page } = studio;
    await page.getByLabel('On the list from').fill('150');
    const settings = page.getByRole('region', { name: 'Settings' });
    await settings.locator('.node-errors').waitFor();
    await expect(settings.locator('.node-errors').textContent()).resolves.toMatch(/Type a percent from 0 to 100/);
    const problems = page.getByRole('alert', { name: 'Problems' });
    await expect(problems.textContent()).resolves.toMatch(/On the list from: Type a percent from 0 to 100/);
    await expect(problems.textContent()).resolves.not.toMatch(/minPercent|priorities\[/);
    await shot('editor-traps-server-error');
    await page.getByLabel('On the list from').fill('0');
    await page.getByText('✓ Valid document').waitFor();
  });

  it('adds a band below the others without renaming any', async () => {
    const { page } = studio;
    const labels = async () =>
      page
        .locator('.bands-row input[aria-label^="Label of"]')
        .evaluateAll((els) => els.map((e) => `${e.getAttribute('aria-label')}=${(e as unknown as { value: string }).value}`));
    await expect(labels()).resolves.toEqual(['Label of P1=High', 'Label of P2=Medium', 'Label of P3=Low']);
    await page.getByRole('button', { name: 'Add band' }).click();
    await expect(labels()).resolves.toEqual(['Label of P1=High', 'Label of P2=Medium', 'Label of P3=Low', 'Label of P4=New band 4']);
    await expect(page.getByLabel('Start of P3', { exact: true }).inputValue()).resolves.toBe('15');
    await expect(page.getByLabel('Start of P4', { exact: true }).inputValue()).resolves.toBe('0');
    await page.getByText('✓ Valid document').waitFor();
    await shot('editor-traps-band-added');
  });

  it('asks before unsaved edits are left by the sidebar or a reload', async () => {
    const { page } = studio;
    await page.getByText('Unsaved changes').waitFor();

    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    const leave = page.getByRole('dialog', { name: 'Leave without saving?' });
    await leave.waitFor();
    await shot('editor-traps-leave');
    await leave.getByRole('button', { name: 'Stay and keep editing' }).click();
    expect(new URL(page.url()).pathname).toBe(`/strategies/${KEY}`);

    // A reload asks the browser's question; dismissed, the page and its edits stay.
    const asked = new Promise<Dialog>((resolve) => page.once('dialog', resolve));
    void page.evaluate('location.reload()');
    const dialog = await asked;
    expect(dialog.type()).toBe('beforeunload');
    await dialog.dismiss();
    await expect(page.getByLabel('Label of P4', { exact: true }).inputValue()).resolves.toBe('New band 4');

    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await leave.getByRole('button', { name: 'Leave without saving' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const [{ bands }] = await db.dataSource.query(
      `SELECT jsonb_array_length(v.document->'priorities') AS bands FROM strategy_versions v JOIN strategies s ON s.id = v.strategy_id WHERE s.key = $1`,
      [KEY],
    );
    expect(bands).toBe(3);
  });

  it('reads at 1280 px without sideways scrolling', async () => {
    const { page } = studio;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/strategies/${KEY}`);
    await page.getByLabel('Start of P1', { exact: true }).fill('150');
    await page.locator('.field-error').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    await shot('editor-traps-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});
