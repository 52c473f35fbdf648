import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { createTestToken } from '../support/api';
import { browserAvailable, openStudio, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();

describe.skipIf(!run)('studio in Chromium: contact results and dispute root causes as editable lists', () => {
  let db: Database;
  let studio: Studio;

  beforeAll(async () => {
    db = await openTestDatabase();
    await db.dataSource.query(`INSERT INTO dispute_root_causes (code, description, active) VALUES ('PRICE', 'Price differs from the order', true)`);
    studio = await openStudio(db);
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  for (const width of [1280, 1440]) {
    it(`a CONFIGURATOR adds a contact result and a root cause and deactivates a cause (${width} px)`, async () => {
      const { page } = studio;
      await page.setViewportSize({ width, height: 900 });
      await signIn(page, studio.app.url, await createTestToken(db, 'CONFIGURATOR'), '/');
      await page.reload();
      await page.getByRole('link', { name: 'Settings' }).click();
      const results = page.getByRole('region', { name: 'Contact results' });
      const code = `PAID_${width}`;
      await results.getByLabel('New code').fill(code);
      await results.getByLabel('Description of new entry').fill('Customer says it is paid');
      await results.getByLabel('new entry completes the worklist item').check();
      await results.getByRole('button', { name: 'Add' }).click();
      await results.getByText(code, { exact: true }).waitFor();
      const [saved] = await db.dataSource.query(`SELECT description, completes_worklist_item, active FROM contact_results WHERE code = $1`, [code]);
      expect(saved).toEqual({ description: 'Customer says it is paid', completes_worklist_item: true, active: true });

      const causes = page.getByRole('region', { name: 'Dispute root causes' });
      await causes.getByLabel('New code').fill(`LATE_${width}`);
      await causes.getByLabel('Description of new entry').fill('Delivered late');
      await causes.getByRole('button', { name: 'Add' }).click();
      await causes.getByText(`LATE_${width}`, { exact: true }).waitFor();
      // An edit of an existing code: deactivated, its description changed.
      await causes.getByLabel('PRICE active').setChecked(width === 1440);
      await causes.getByLabel('Description of PRICE').fill(`Price differs (${width})`);
      await causes.getByRole('button', { name: 'Save PRICE' }).click();
      await expect
        .poll(async () => (await db.dataSource.query(`SELECT description, active FROM dispute_root_causes WHERE code = 'PRICE'`))[0])
        .toEqual({
          description: `Price differs (${width})`,
          active: width === 1440,
        });
      const [late] = await db.dataSource.query(`SELECT description, active FROM dispute_root_causes WHERE code = $1`, [`LATE_${width}`]);
      expect(late).toEqual({ description: 'Delivered late', active: true });
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await studio.screenshot(`tasks-settings-${width}`);
    });
  }

  it('shows a SUPERVISOR the lists read-only', async () => {
    const { page } = studio;
    await signIn(page, studio.app.url, await createTestToken(db, 'SUPERVISOR'), '/settings');
    await page.reload();
    const causes = page.getByRole('region', { name: 'Dispute root causes' });
    await causes.getByText('LATE_1280', { exact: true }).waitFor();
    expect(await page.locator('main input, main button').count()).toBe(0);
  });
});
