import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { createTestToken, gql } from '../support/api';
import { browserAvailable, openStudio, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();
const AS_OF = new Date().toISOString().slice(0, 10);
const plusDays = (n: number) => new Date(Date.parse(AS_OF) + n * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!run)('studio in Chromium: promise cancel and renew, resubmission done, in the customer 360', () => {
  let db: Database;
  let studio: Studio;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 120, seed: 5, asOf: AS_OF });
    await runWorklists(db, { asOf: AS_OF, mode: 'LIVE' });
    studio = await openStudio(db);
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  /** A partner without promises or resubmissions, so the 360's rows are the ones the test makes. */
  async function quietPartner(offset: number): Promise<{ id: string; currency: string }> {
    const [p] = await db.dataSource.query(
      `SELECT p.id::text AS id, p.currency FROM partners p
        WHERE NOT EXISTS (SELECT 1 FROM promises x WHERE x.partner_id = p.id) AND NOT EXISTS (SELECT 1 FROM resubmissions x WHERE x.partner_id = p.id)
        ORDER BY p.id OFFSET $1 LIMIT 1`,
      [offset],
    );
    expect(p).toBeTruthy();
    return p;
  }

  for (const [n, width] of [1280, 1440].entries()) {
    it(`renews an open promise, then cancels the renewal (${width} px)`, async () => {
      const { page } = studio;
      await page.setViewportSize({ width, height: 900 });
      const partner = await quietPartner(n);
      const made = await gql(
        studio.app.url,
        `mutation($input: CreatePromisesInput!) { createPromises(input: $input) { promises { id externalId } } }`,
        { input: { partnerId: partner.id, amount: '120.00', currency: partner.currency, createdDate: AS_OF, promisedDate: plusDays(7) } },
        studio.token,
      );
      expect(made.errors).toBeUndefined();
      const original = made.data.createPromises.promises[0] as { id: string; externalId: string };

      await page.goto(`${studio.app.url}/customers/${partner.id}`);
      const section = page.getByRole('region', { name: 'Promises', exact: true });
      await section.getByRole('button', { name: `Renew promise ${original.externalId}` }).click();
      const renew = page.getByRole('dialog', { name: `Renew promise ${original.externalId}` });
      await renew.getByLabel('New promised date').fill(plusDays(21));
      await renew.getByLabel(/^Amount/).fill('80');
      await studio.screenshot(`tasks-promise-renew-${width}`);
      await renew.getByRole('button', { name: 'Renew promise' }).click();
      await renew.waitFor({ state: 'detached' });

      // The OPEN original is replaced (cancelled) by level 2 for the new date and amount.
      const rows = await db.dataSource.query(
        `SELECT id::text AS id, external_id, level, promised_date::text AS promised_date, amount::numeric(19,2)::text AS amount, cancelled
           FROM promises WHERE partner_id = $1 ORDER BY level`,
        [partner.id],
      );
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({ id: original.id, level: 1, cancelled: true });
      expect(rows[1]).toMatchObject({ level: 2, promised_date: plusDays(21), amount: '80.00', cancelled: false });
      // Two rows in the 360: the cancelled original without actions, the renewal with both.
      await section.locator('tbody tr').nth(1).waitFor();
      expect(await section.locator('.work-status.s-cancelled').count()).toBe(1);
      expect(await section.getByRole('button', { name: `Renew promise ${original.externalId}` }).count()).toBe(0);

      const renewal = rows[1] as { id: string; external_id: string };
      await section.getByRole('button', { name: `Cancel promise ${renewal.external_id}` }).click();
      const cancel = page.getByRole('dialog', { name: `Cancel promise ${renewal.external_id}` });
      await cancel.getByRole('button', { name: 'Cancel promise' }).click();
      await cancel.waitFor({ state: 'detached' });
      const [after] = await db.dataSource.query(`SELECT cancelled, cancelled_date::text AS cancelled_date FROM promises WHERE id = $1`, [renewal.id]);
      expect(after).toEqual({ cancelled: true, cancelled_date: AS_OF });
      await section.locator('.work-status.s-cancelled').nth(1).waitFor();
      expect(await section.getByRole('button', { name: /^(Cancel|Renew) promise/ }).count()).toBe(0);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await studio.screenshot(`tasks-promise-cancelled-${width}`);
    });

    it(`marks a due resubmission done (${width} px)`, async () => {
      const { page } = studio;
      await page.setViewportSize({ width, height: 900 });
      const partner = await quietPartner(n + 2);
      const made = await gql(
        studio.app.url,
        `mutation($input: ResubmissionInput!) { scheduleResubmission(input: $input) { resubmission { id } } }`,
        { input: { partnerId: partner.id, resubmissionDate: AS_OF, reason: 'Call back about the invoice copy' } },
        studio.token,
      );
      expect(made.errors).toBeUndefined();
      const id = made.data.scheduleResubmission.resubmission.id as string;

      await page.goto(`${studio.app.url}/customers/${partner.id}`);
      const section = page.getByRole('region', { name: 'Resubmissions', exact: true });
      await section.locator('.work-status.s-due').waitFor();
      await section.getByRole('button', { name: `Mark resubmission of ${AS_OF} done` }).click();
      await section.locator('.work-status.s-done').waitFor();
      expect(await section.getByRole('button', { name: /^Mark resubmission/ }).count()).toBe(0);
      const [row] = await db.dataSource.query(`SELECT done FROM resubmissions WHERE id = $1`, [id]);
      expect(row.done).toBe(true);
      await studio.screenshot(`tasks-resubmission-done-${width}`);
    });
  }

  it('a SPECIALIST marks a resubmission done from My worklist', async () => {
    const { page } = studio;
    await page.setViewportSize({ width: 1440, height: 900 });
    // A partner on a specialist's live list, without resubmissions so far.
    const [item] = await db.dataSource.query(
      `SELECT w.partner_id::text AS partner_id, w.specialist_id::text AS specialist_id FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id
        WHERE w.specialist_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM resubmissions r WHERE r.partner_id = w.partner_id)
        ORDER BY w.priority, w.partner_id LIMIT 1`,
    );
    const made = await gql(
      studio.app.url,
      `mutation($input: ResubmissionInput!) { scheduleResubmission(input: $input) { resubmission { id } } }`,
      { input: { partnerId: item.partner_id, resubmissionDate: AS_OF, reason: 'Check the remittance advice' } },
      studio.token,
    );
    expect(made.errors).toBeUndefined();
    const id = made.data.scheduleResubmission.resubmission.id as string;
    await signIn(page, studio.app.url, await createTestToken(db, 'SPECIALIST', item.specialist_id), `/worklists/mine?partner=${item.partner_id}`);
    await page.reload();
    const panel = page.locator('.work-panel');
    await panel.getByText('Resubmission: Check the remittance advice').waitFor();
    await panel.getByRole('button', { name: `Mark resubmission of ${AS_OF} done` }).click();
    await expect.poll(async () => (await db.dataSource.query(`SELECT done FROM resubmissions WHERE id = $1`, [id]))[0].done).toBe(true);
    await panel.getByRole('button', { name: `Mark resubmission of ${AS_OF} done` }).waitFor({ state: 'detached' });
    await studio.screenshot('tasks-resubmission-done-my-worklist-1440');
  });

  it('offers a CLIENT no promise or resubmission actions', async () => {
    const { page } = studio;
    const [p] = await db.dataSource.query(`SELECT partner_id::text AS id FROM promises WHERE NOT cancelled ORDER BY id LIMIT 1`);
    await signIn(page, studio.app.url, await createTestToken(db, 'CLIENT'), `/customers/${p.id}`);
    await page.reload();
    await page.getByRole('region', { name: 'Promises', exact: true }).locator('tbody tr').first().waitFor();
    expect(await page.getByRole('button', { name: /^(Cancel|Renew) promise|^Mark resubmission/ }).count()).toBe(0);
  });
});
