import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { createTestToken } from '../support/api';
import { browserAvailable, openStudio, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();
const AS_OF = new Date().toISOString().slice(0, 10);

describe.skipIf(!run)('studio in Chromium: dispute workflow in the customer 360', () => {
  let db: Database;
  let studio: Studio;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 120, seed: 11, asOf: AS_OF });
    await runWorklists(db, { asOf: AS_OF, mode: 'LIVE' });
    await db.dataSource.query(
      `INSERT INTO dispute_root_causes (code, description, active) VALUES ('PRICE', 'Price differs from the order', true), ('OLD', 'Retired cause', false)`,
    );
    studio = await openStudio(db);
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  for (const width of [1280, 1440]) {
    it(`moves an open dispute to RESOLVED with a root cause and notes, offering only the allowed moves (${width} px)`, async () => {
      const { page } = studio;
      await page.setViewportSize({ width, height: 900 });
      // An OPEN or IN_PROCESS dispute among the partner's 20 newest (the 360 lists those).
      const [d] = await db.dataSource.query(
        `SELECT d.id::text AS id, d.partner_id::text AS partner_id, d.external_id, d.status, d.reason FROM disputes d
          WHERE d.status IN ('OPEN', 'IN_PROCESS')
            AND d.id IN (SELECT x.id FROM disputes x WHERE x.partner_id = d.partner_id ORDER BY x.created_date DESC, x.id DESC LIMIT 20)
          ORDER BY d.status, d.id LIMIT 1`,
      );
      expect(d).toBeTruthy();
      await page.goto(`${studio.app.url}/customers/${d.partner_id}`);
      const section = page.getByRole('region', { name: 'Disputes', exact: true });
      await section.waitFor();
      // The row itself opens the panel.
      await section
        .locator('tr', { has: page.getByRole('button', { name: `Work dispute ${d.external_id}` }) })
        .locator('td')
        .first()
        .click();
      const panel = page.getByRole('dialog', { name: `Dispute ${d.external_id}` });
      await panel.waitFor();

      // Exactly the machine's moves (README: OPEN to IN_PROCESS, RESOLVED, REJECTED, CLOSED; IN_PROCESS to OPEN, RESOLVED, REJECTED), besides keeping it.
      const move = panel.getByLabel('Move to');
      const options = await move.locator('option').evaluateAll((os) => os.map((o) => o.getAttribute('value')).filter(Boolean));
      expect(options.sort()).toEqual(d.status === 'OPEN' ? ['CLOSED', 'IN_PROCESS', 'REJECTED', 'RESOLVED'] : ['OPEN', 'REJECTED', 'RESOLVED']);
      // The moves read in words, as the dispute list shows statuses.
      const words = await move.locator('option').evaluateAll((os) => os.map((o) => [o.getAttribute('value'), o.textContent]));
      expect(Object.fromEntries(words)).toMatchObject({
        RESOLVED: 'Resolved',
        REJECTED: 'Rejected',
        ...(d.status === 'OPEN' ? { IN_PROCESS: 'In process' } : { OPEN: 'Open' }),
      });
      // The reason the dispute was opened with is shown apart from the notes, which start empty.
      // (a reason code such as BILLING_ERROR reads in words: "Billing error")
      await panel.getByText(new RegExp(`^${d.reason.replaceAll('_', ' ')}$`, 'i')).waitFor();
      expect(await panel.getByLabel('Notes').inputValue()).toBe('');
      // Only active root causes are offered.
      const causes = await panel
        .getByLabel('Root cause')
        .locator('option')
        .evaluateAll((os) => os.map((o) => o.getAttribute('value')).filter(Boolean));
      expect(causes).toEqual(['PRICE']);

      await move.selectOption('RESOLVED');
      await panel.getByLabel('Resolution').selectOption('CREDIT_MEMO');
      await panel.getByLabel('Root cause').selectOption('PRICE');
      await panel.getByLabel('Notes').fill(`Credit memo agreed on the phone (${width})`);
      await studio.screenshot(`tasks-dispute-panel-${width}`);
      await panel.getByRole('button', { name: 'Save dispute' }).click();
      await panel.waitFor({ state: 'detached' });

      const [after] = await db.dataSource.query(`SELECT status, resolution, root_cause, reason, notes FROM disputes WHERE id = $1`, [d.id]);
      // The notes are the dispute's own; its reason stays what it was opened with.
      expect(after).toEqual({
        status: 'RESOLVED',
        resolution: 'CREDIT_MEMO',
        root_cause: 'PRICE',
        reason: d.reason,
        notes: `Credit memo agreed on the phone (${width})`,
      });
      const [audit] = await db.dataSource.query(
        `SELECT actor_role, details FROM audit_log WHERE entity_type = 'DISPUTE' AND entity_id = $1 AND action = 'UPDATE' ORDER BY id DESC LIMIT 1`,
        [d.id],
      );
      expect(audit).toMatchObject({
        actor_role: 'ADMIN',
        details: { changes: { status: { from: d.status, to: 'RESOLVED' }, notes: { from: null, to: `Credit memo agreed on the phone (${width})` } } },
      });
      // The 360 shows the new status on the row.
      await section
        .locator('tr', { has: page.getByRole('button', { name: `Work dispute ${d.external_id}` }) })
        .locator('.work-status', { hasText: 'Resolved' })
        .waitFor();
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await studio.screenshot(`tasks-dispute-resolved-${width}`);

      // From RESOLVED: reopen or close only.
      await section.getByRole('button', { name: `Work dispute ${d.external_id}` }).click();
      const again = page.getByRole('dialog', { name: `Dispute ${d.external_id}` });
      const moves = await again
        .getByLabel('Move to')
        .locator('option')
        .evaluateAll((os) => os.map((o) => o.getAttribute('value')).filter(Boolean));
      expect(moves.sort()).toEqual(['CLOSED', 'IN_PROCESS']);
      // The notes written are there to read and change; the list row still shows the reason.
      expect(await again.getByLabel('Notes').inputValue()).toBe(`Credit memo agreed on the phone (${width})`);
      await studio.screenshot(`ux-dispute-panel-resolved-${width}`);
      await page.keyboard.press('Escape');
      await again.waitFor({ state: 'detached' });
    });
  }

  it('shows a CLIENT the dispute without controls to change it', async () => {
    const { page } = studio;
    const [d] = await db.dataSource.query(`SELECT id::text AS id, partner_id::text AS partner_id, external_id FROM disputes ORDER BY id LIMIT 1`);
    await signIn(page, studio.app.url, await createTestToken(db, 'CLIENT'), `/customers/${d.partner_id}`);
    await page.reload();
    const section = page.getByRole('region', { name: 'Disputes', exact: true });
    await section.getByRole('button', { name: `Work dispute ${d.external_id}` }).click();
    const panel = page.getByRole('dialog', { name: `Dispute ${d.external_id}` });
    await panel.getByText('Your role reads disputes').waitFor();
    expect(await panel.getByLabel('Move to').count()).toBe(0);
    expect(await panel.getByRole('button', { name: 'Save dispute' }).count()).toBe(0);
  });
});
