import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { createTestToken, gql } from '../support/api';
import { browserAvailable, openStudio, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();
const AS_OF = new Date().toISOString().slice(0, 10);

/**
 * The dunning screens: a CONFIGURATOR edits a procedure (a level added, a wrong one refused at its
 * field) and previews a template rendered by the server for a real partner; a SUPERVISOR proposes
 * a run, runs it after a confirmation saying what it writes, and reads the run's notices.
 */
describe.skipIf(!run)('studio in Chromium: dunning procedures, templates and runs', () => {
  let db: Database;
  let studio: Studio;

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
    const procedure = await gql(
      studio.app.url,
      `mutation { saveDunningProcedure(input: { key: "STD", name: "Standard", currency: "EUR", levels: [
        { level: 1, daysOverdue: 1, channel: "LETTER", templateKey: "T1" }, { level: 2, daysOverdue: 15, channel: "LETTER", templateKey: "T1", charge: "2.5" }] }) { key } }`,
      {},
      studio.token,
    );
    expect(procedure.errors).toBeUndefined();
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  const levelsOf = () =>
    db.dataSource.query(
      `SELECT level, days_overdue, charge::text AS charge, channel, template_key FROM dunning_levels WHERE procedure_key = 'STD' ORDER BY level`,
    );

  it('a CONFIGURATOR adds a level to a procedure: a level no later than the one before is refused at its field, then saved', async () => {
    const { page } = studio;
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, studio.app.url, await createTestToken(db, 'CONFIGURATOR'), '/dunning');
    await page.reload();
    await page.getByRole('button', { name: 'Edit procedure STD' }).click();
    const editor = page.getByRole('form', { name: 'Edit procedure STD' });
    await editor.getByRole('button', { name: 'Add level' }).click();
    // Proposed 14 days after level 2; a consultant types 10 instead.
    expect(await editor.getByLabel('Level 3 days overdue').inputValue()).toBe('29');
    await editor.getByLabel('Level 3 days overdue').fill('10');
    await editor.getByLabel('Level 3 charge').fill('-1');
    await editor.getByRole('button', { name: 'Save procedure' }).click();
    await editor.getByText('Level 3 must come later than level 2: more than 15 days overdue').waitFor();
    await editor.getByText('The charge is an amount of 0 or more').waitFor();
    expect(await levelsOf()).toHaveLength(2);
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await studio.screenshot(`dunning-procedure-editor-${width}`);
    }

    await editor.getByLabel('Level 3 days overdue').fill('45');
    await editor.getByLabel('Level 3 charge').fill('5');
    await editor.getByLabel('Level 3 channel').selectOption('EMAIL');
    await editor.getByRole('button', { name: 'Save procedure' }).click();
    await page.getByText('Saved procedure STD.').waitFor();
    expect(await levelsOf()).toEqual([
      { level: 1, days_overdue: 1, charge: '0.0000', channel: 'LETTER', template_key: 'T1' },
      { level: 2, days_overdue: 15, charge: '2.5000', channel: 'LETTER', template_key: 'T1' },
      { level: 3, days_overdue: 45, charge: '5.0000', channel: 'EMAIL', template_key: 'T1' },
    ]);
    expect(await page.getByRole('group', { name: 'Procedure STD' }).locator('tbody tr').count()).toBe(3);
  });

  it("a CONFIGURATOR's template is previewed as the server renders it for a real partner", async () => {
    const { page } = studio;
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, studio.app.url, await createTestToken(db, 'CONFIGURATOR'), '/dunning');
    await page.reload();
    await page.getByRole('button', { name: 'New template' }).click();
    const editor = page.getByRole('form', { name: 'Template editor' });
    await editor.getByLabel('Template key').fill('FINAL');
    await editor.getByLabel('Body').fill('Dear {{partner.name}}, pay {{total}} {{currency}}:{{#each items}} {{item.externalId}}{{/each}}');
    const preview = editor.getByRole('region', { name: 'Rendered preview' });
    await preview.locator('.dunning-body').waitFor();
    const rendered = await preview.locator('.dunning-body').innerText();
    const server = await gql(
      studio.app.url,
      `query($body: String!) { dunningTemplatePreview(body: $body) { partnerId partnerName body } }`,
      { body: 'Dear {{partner.name}}, pay {{total}} {{currency}}:{{#each items}} {{item.externalId}}{{/each}}' },
      studio.token,
    );
    expect(rendered).toBe(server.data.dunningTemplatePreview.body);
    const [partner] = await db.dataSource.query(`SELECT name FROM partners WHERE id = $1`, [server.data.dunningTemplatePreview.partnerId]);
    expect(rendered.startsWith(`Dear ${partner.name}, pay `)).toBe(true);
    await studio.screenshot('dunning-template-preview-1440');
  });

  it('a SUPERVISOR proposes, confirms and runs dunning, then reads the notices of the run', async () => {
    const { page } = studio;
    await page.setViewportSize({ width: 1280, height: 900 });
    const dry = await gql(
      studio.app.url,
      `mutation($asOf: Date) { runDunning(asOf: $asOf, dryRun: true) { partners items notices } }`,
      { asOf: AS_OF },
      studio.token,
    );
    const expected = dry.data.runDunning;
    expect(expected.notices).toBeGreaterThan(0);
    const levelsBefore = new Map<string, number>(
      (await db.dataSource.query(`SELECT id::text AS id, dunning_level FROM open_items`)).map((r: any) => [r.id, Number(r.dunning_level)]),
    );
    await signIn(page, studio.app.url, await createTestToken(db, 'SUPERVISOR'), '/dunning');
    await page.reload();
    await page.getByRole('region', { name: 'Dunning runs' }).getByText('No dunning run yet.').waitFor();
    await page.getByLabel('Key date').fill(AS_OF);
    await page.getByRole('button', { name: 'Propose a run' }).click();
    await page.getByRole('region', { name: 'Proposal' }).waitFor();
    await page.getByRole('button', { name: 'Run dunning' }).click();
    const dialog = page.getByRole('dialog', { name: `Run dunning at ${AS_OF}?` });
    const says = await dialog.innerText();
    expect(says).toContain(`${expected.notices} notice${expected.notices === 1 ? '' : 's'} into the outbox, for ${expected.partners} partner`);
    expect(says).toContain(`the dunning level of ${expected.items} item`);
    await studio.screenshot('dunning-run-confirm-1280');
    // Nothing written before the confirmation.
    expect((await db.dataSource.query(`SELECT count(*)::int AS n FROM dunning_notices`))[0].n).toBe(0);
    await dialog.getByRole('button', { name: /^Run dunning: write/ }).click();

    await page
      .getByRole('status')
      .filter({ hasText: /^Run #\d+ wrote/ })
      .waitFor();
    const [runRow] = await db.dataSource.query(`SELECT id::text AS id, notices, items, partners FROM dunning_runs`);
    expect(runRow).toMatchObject({ notices: expected.notices, items: expected.items, partners: expected.partners });
    const notices = await db.dataSource.query(`SELECT id::text AS id, partner_id::text AS partner_id FROM dunning_notices WHERE run_id = $1 ORDER BY id DESC`, [
      runRow.id,
    ]);
    expect(notices).toHaveLength(expected.notices);
    // Each item of a notice now has the notice's level, one above where it was.
    const raised = await db.dataSource.query(
      `SELECT ni.item_id::text AS id, ni.previous_level, ni.level, i.dunning_level FROM dunning_notice_items ni JOIN open_items i ON i.id = ni.item_id
        JOIN dunning_notices n ON n.id = ni.notice_id WHERE n.run_id = $1`,
      [runRow.id],
    );
    expect(raised).toHaveLength(expected.items);
    for (const r of raised) {
      expect(r.previous_level).toBe(levelsBefore.get(r.id));
      expect(r.dunning_level).toBe(r.level);
      expect(r.level).toBeGreaterThan(r.previous_level);
    }

    const shown = page.getByRole('region', { name: `Notices of run ${runRow.id}` });
    await shown.locator('tbody tr').first().waitFor();
    const rows = shown.locator('tbody tr');
    expect(await rows.count()).toBe(Math.min(25, expected.notices));
    const firstLink = rows.first().getByRole('link');
    const [firstPartner] = await db.dataSource.query(`SELECT name FROM partners WHERE id = $1`, [notices[0].partner_id]);
    expect(await firstLink.innerText()).toBe(firstPartner.name);
    expect(await firstLink.getAttribute('href')).toMatch(new RegExp(`/${notices[0].partner_id}$`));
    await page
      .getByRole('region', { name: 'Dunning runs' })
      .getByRole('button', { name: `#${runRow.id}` })
      .waitFor();
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await studio.screenshot(`dunning-run-notices-${width}`);
    }
    await firstLink.click();
    await page.waitForURL(new RegExp(`/${notices[0].partner_id}$`));
  });
});
