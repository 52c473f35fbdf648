import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { createTestToken } from '../support/api';
import { browserAvailable, openStudio, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();
const AS_OF = new Date().toISOString().slice(0, 10);

describe.skipIf(!run)('studio in Chromium: payment plans in the customer 360', () => {
  let db: Database;
  let studio: Studio;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 120, seed: 3, asOf: AS_OF });
    await runWorklists(db, { asOf: AS_OF, mode: 'LIVE' });
    studio = await openStudio(db);
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  for (const [n, width] of [1280, 1440].entries()) {
    it(`creates a weekly plan over two items, shows its first installment due, and cancels it (${width} px)`, async () => {
      const { page } = studio;
      await page.setViewportSize({ width, height: 900 });
      // A partner without plans whose two oldest open items share a currency (the 360 lists them first).
      const [p] = await db.dataSource.query(
        `SELECT o.partner_id::text AS id FROM open_items o
          WHERE o.open_amount > 0 AND NOT EXISTS (SELECT 1 FROM payment_plans x WHERE x.partner_id = o.partner_id)
          GROUP BY o.partner_id HAVING count(*) >= 2 AND count(DISTINCT o.currency) = 1
          ORDER BY o.partner_id OFFSET $1 LIMIT 1`,
        [n],
      );
      const items: { id: string; external_id: string; open: string }[] = await db.dataSource.query(
        `SELECT id::text AS id, external_id, open_amount::numeric(19,2)::text AS open FROM open_items WHERE partner_id = $1 AND open_amount > 0 ORDER BY due_date, id LIMIT 2`,
        [p.id],
      );
      await page.goto(`${studio.app.url}/customers/${p.id}`);
      const section = page.getByRole('region', { name: 'Payment plans' });
      await section.getByText('None.').waitFor();
      await section.getByRole('button', { name: 'New plan' }).click();
      const panel = page.getByRole('dialog', { name: 'New payment plan' });
      for (const i of items) await panel.locator('label', { hasText: i.external_id }).getByRole('checkbox').check();
      await panel.getByLabel('Installments').fill('4');
      await panel.getByLabel('Every').selectOption('WEEKLY');
      await panel.getByLabel('First date').fill(AS_OF);
      await studio.screenshot(`tasks-plan-new-${width}`);
      await panel.getByRole('button', { name: 'Create plan' }).click();
      await panel.waitFor({ state: 'detached' });

      const [plan] = await db.dataSource.query(
        `SELECT id::text AS id, external_id, installment_count, frequency, first_date::text AS first_date, principal::numeric(19,2)::text AS principal
           FROM payment_plans WHERE partner_id = $1`,
        [p.id],
      );
      const principal = items.reduce((s, i) => s + Math.round(Number(i.open) * 100), 0) / 100;
      expect(plan).toMatchObject({ installment_count: 4, frequency: 'WEEKLY', first_date: AS_OF, principal: principal.toFixed(2) });
      const dues = await db.dataSource.query(`SELECT due_date::text AS d FROM payment_plan_installments WHERE plan_id = $1 ORDER BY seq`, [plan.id]);
      expect(dues.map((r: { d: string }) => r.d)).toHaveLength(4);

      // Listed with its four installments, the first (today) due.
      const view = section.getByRole('group', { name: `Plan ${plan.external_id}` });
      await view.locator('.work-status.s-active').first().waitFor();
      const rows = view.locator('tbody tr');
      expect(await rows.count()).toBe(4);
      expect(await rows.nth(0).locator('td').nth(1).innerText()).toMatch(new RegExp(`^${AS_OF}\\s*due$`));
      expect(await rows.nth(1).locator('td').nth(1).innerText()).toContain(dues[1].d);
      expect(await view.locator('.tasks-due').count()).toBe(1);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await section.scrollIntoViewIfNeeded();
      await studio.screenshot(`tasks-plan-created-${width}`);

      await view.getByRole('button', { name: `Cancel plan ${plan.external_id}` }).click();
      await view.locator('.tasks-plan-head .work-status.s-cancelled').waitFor();
      const [after] = await db.dataSource.query(`SELECT cancelled, cancelled_date::text AS d FROM payment_plans WHERE id = $1`, [plan.id]);
      expect(after).toEqual({ cancelled: true, d: AS_OF });
      expect(await view.getByRole('button', { name: /^Cancel plan/ }).count()).toBe(0);
    });
  }

  it('shows a CLIENT the plans without New plan or Cancel', async () => {
    const { page } = studio;
    const [p] = await db.dataSource.query(`SELECT partner_id::text AS id FROM payment_plans ORDER BY id LIMIT 1`);
    await signIn(page, studio.app.url, await createTestToken(db, 'CLIENT'), `/customers/${p.id}`);
    await page.reload();
    const section = page.getByRole('region', { name: 'Payment plans' });
    await section.locator('.tasks-plan').first().waitFor();
    expect(await section.getByRole('button').count()).toBe(0);
  });
});
