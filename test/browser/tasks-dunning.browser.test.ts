import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { createTestToken, gql } from '../support/api';
import { browserAvailable, openStudio, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();
const AS_OF = new Date().toISOString().slice(0, 10);

describe.skipIf(!run)('studio in Chromium: a dunning run proposal', () => {
  let db: Database;
  let studio: Studio;
  let expected: { partners: number; items: number; notices: number; sample: { partnerId: string; body: string }[] };

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 80, seed: 13, asOf: AS_OF });
    studio = await openStudio(db);
    const template = await gql(
      studio.app.url,
      `mutation($body: String!) { saveDunningTemplate(input: { key: "T1", subject: "Reminder {{level}}", body: $body }) { key } }`,
      { body: 'Dear {{partner.name}}, {{total}} {{currency}} is overdue:{{#each items}} {{item.externalId}}{{/each}}' },
      studio.token,
    );
    expect(template.errors).toBeUndefined();
    const levels = [1, 15, 30, 45, 60, 90].map((days, i) => `{ level: ${i + 1}, daysOverdue: ${days}, channel: "LETTER", templateKey: "T1" }`).join(', ');
    const procedure = await gql(
      studio.app.url,
      `mutation { saveDunningProcedure(input: { key: "STD", name: "Standard", currency: "EUR", graceDays: 0, levels: [${levels}] }) { key } }`,
      {},
      studio.token,
    );
    expect(procedure.errors).toBeUndefined();
    const dry = await gql(
      studio.app.url,
      `mutation($asOf: Date) { runDunning(asOf: $asOf, dryRun: true) { partners items notices sample { partnerId body } } }`,
      { asOf: AS_OF },
      studio.token,
    );
    expect(dry.errors).toBeUndefined();
    expected = dry.data.runDunning;
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  for (const width of [1280, 1440]) {
    it(`a SUPERVISOR proposes a run and reads its notices, nothing written (${width} px)`, async () => {
      const { page } = studio;
      await page.setViewportSize({ width, height: 900 });
      expect(expected.notices).toBeGreaterThan(0);
      await signIn(page, studio.app.url, await createTestToken(db, 'SUPERVISOR'), '/');
      await page.reload();
      await page.getByRole('link', { name: 'Dunning' }).click();
      await page.getByLabel('Key date').fill(AS_OF);
      await page.getByRole('button', { name: 'Propose a run' }).click();
      const proposal = page.getByRole('region', { name: 'Proposal' });
      await proposal.waitFor();
      const figure = async (label: string) => Number(await proposal.locator('.dunning-figures div', { hasText: label }).first().locator('dd').innerText());
      expect(await figure('Partners')).toBe(expected.partners);
      expect(await figure('Items')).toBe(expected.items);
      expect(await figure('Notices')).toBe(expected.notices);
      // Each notice as rendered by the server's template, in the server's order.
      const bodies = await proposal.locator('.dunning-body').allInnerTexts();
      expect(bodies).toEqual(expected.sample.map((s) => s.body));
      const [first] = await db.dataSource.query(`SELECT name FROM partners WHERE id = $1`, [expected.sample[0]!.partnerId]);
      expect(bodies[0]).toContain(`Dear ${first.name},`);
      const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM dunning_notices`);
      expect(n).toBe(0);
      // The procedure's six levels, and the template with a notice rendered from it by the proposal.
      const levels = page.getByRole('group', { name: 'Procedure STD' }).locator('tbody tr');
      expect(await levels.count()).toBe(6);
      expect(await levels.nth(2).locator('td').nth(1).innerText()).toBe('30');
      const template = page.getByRole('listitem', { name: 'Template T1' });
      expect(await template.locator('.dunning-source').innerText()).toContain('{{partner.name}}');
      expect(await template.locator('.dunning-preview .dunning-body').innerText()).toBe(expected.sample[0]!.body);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await studio.screenshot(`tasks-dunning-proposal-${width}`);
    });
  }

  it('offers a CONFIGURATOR no proposal (runDunning is for supervisors) but the template editor: an unknown placeholder refused, a template saved', async () => {
    const { page } = studio;
    await signIn(page, studio.app.url, await createTestToken(db, 'CONFIGURATOR'), '/dunning');
    await page.reload();
    await page.getByText('A supervisor proposes and runs dunning.').waitFor();
    expect(await page.getByRole('button', { name: 'Propose a run' }).count()).toBe(0);

    await page.getByRole('button', { name: 'New template' }).click();
    const editor = page.getByRole('form', { name: 'Template editor' });
    await editor.getByLabel('Template key').fill('FINAL');
    await editor.getByLabel('Subject').fill('Final notice {{level}}');
    await editor.getByLabel('Body').fill('Dear {{partner.password}}');
    await editor.getByRole('button', { name: 'Save template' }).click();
    // The preview names the unknown placeholder under the body as it is typed; saving is refused the same.
    const refusal = editor.getByRole('alert').filter({ hasText: 'partner.password' });
    await refusal.first().waitFor();
    expect(await refusal.count()).toBeGreaterThanOrEqual(1);
    expect(await db.dataSource.query(`SELECT key FROM dunning_templates WHERE key = 'FINAL'`)).toEqual([]);

    await editor.getByLabel('Body').fill('Dear {{partner.name}}, pay {{total}} {{currency}} now.');
    await editor.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('listitem', { name: 'Template FINAL' }).waitFor();
    const [saved] = await db.dataSource.query(`SELECT subject, body FROM dunning_templates WHERE key = 'FINAL'`);
    expect(saved).toEqual({ subject: 'Final notice {{level}}', body: 'Dear {{partner.name}}, pay {{total}} {{currency}} now.' });
    await studio.screenshot('tasks-dunning-template-1440');
  });

  it('shows a SUPERVISOR no template editor (saveDunningTemplate is for configurators)', async () => {
    const { page } = studio;
    await signIn(page, studio.app.url, await createTestToken(db, 'SUPERVISOR'), '/dunning');
    await page.reload();
    await page.getByRole('region', { name: 'Templates' }).waitFor();
    expect(await page.getByRole('form', { name: 'Template editor' }).count()).toBe(0);
  });
});
