import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Database } from '../../packages/server/src/db/database';
import { createApiToken } from '../../packages/server/src/auth/auth.service';
import { saveContactResult } from '../../packages/server/src/contacts/contact.service';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { browserAvailable, openStudio, SCREENSHOTS, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';
import path from 'node:path';

const run = browserAvailable();
const AS_OF = new Date().toISOString().slice(0, 10);

/** Live items of a specialist, in worklist order. */
async function liveItems(
  db: Database,
  specialistId: string,
): Promise<{ partner_id: string; completed_at: Date | null; specialist_id: string; specialist_origin: string }[]> {
  return db.dataSource.query(
    `SELECT w.partner_id::text AS partner_id, w.completed_at, w.specialist_id::text AS specialist_id, w.specialist_origin
       FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id WHERE w.specialist_id = $1`,
    [specialistId],
  );
}

describe.skipIf(!run)('studio in Chromium: specialist worklist and supervisor loads', () => {
  let db: Database;
  let studio: Studio;
  let specialistId: string;
  let specialistPage: Page;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 300, seed: 5, asOf: AS_OF });
    await runWorklists(db, { asOf: AS_OF, mode: 'LIVE' });
    await saveContactResult(db, { code: 'PAY_AGREED', description: 'Payment agreed', completesWorklistItem: true });
    await saveContactResult(db, { code: 'NO_ANSWER', description: 'No answer', completesWorklistItem: false });
    const [top] = await db.dataSource.query(
      `SELECT w.specialist_id::text AS id FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id
        WHERE w.specialist_id IS NOT NULL AND w.amount_to_be_collected > 0 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
    );
    specialistId = top.id;
    studio = await openStudio(db);
    const { token } = await createApiToken(db, { name: 'browser-specialist', role: 'SPECIALIST', specialistId });
    specialistPage = await (await studio.browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(specialistPage, studio.app.url, token, '/worklists/mine');
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  it('a specialist works their list: opens a partner, records a promise and the item completes; a completing contact does the same', async () => {
    const page = specialistPage;
    await page.getByRole('heading', { name: 'My worklist' }).waitFor();
    await page.locator('.work-table tbody tr.work-row-item').first().waitFor();
    const priorities = (await page.locator('.work-table tbody td:first-child .prio').allTextContents()).map((p) => Number(p.slice(1)));
    expect(priorities.length).toBeGreaterThan(0);
    expect(priorities).toEqual([...priorities].sort((a, b) => a - b));
    const own = await liveItems(db, specialistId);
    const shownPartners = await page.locator('.work-table tbody tr.work-row-item').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-partner')));
    expect(shownPartners.every((p) => own.some((o) => o.partner_id === p))).toBe(true);
    // The figures are the whole list's, not the loaded page's.
    const stillToCollect = async () => Number((await page.getByTestId('still-to-collect').textContent())!.replace(/[^0-9.]/g, ''));
    const openAmount = async () =>
      Number(
        (
          await db.dataSource.query(
            `SELECT coalesce(sum(w.amount_to_be_collected), 0)::text AS amount FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id
        WHERE w.specialist_id = $1 AND w.completed_at IS NULL`,
            [specialistId],
          )
        )[0].amount,
      );
    const listed = own.length;
    await expect.poll(async () => Math.abs((await stillToCollect()) - (await openAmount()))).toBeLessThanOrEqual(0.01);
    await expect.poll(() => page.locator('.figure-value').first().textContent()).toBe(listed.toLocaleString('en-US'));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'work-my-worklist.png'), fullPage: true });

    // The first partner with something to collect on two or more overdue items in one currency: the promise covers the
    // oldest only, so something stays to collect and the partner stays on the list (the demo strategy's "Nothing to
    // collect" exit would take a fully promised partner off it).
    const [candidate] = await db.dataSource.query(
      `SELECT w.partner_id::text AS id, min(i.currency)::text AS currency,
              (array_agg(i.open_amount::text ORDER BY i.due_date, i.id))[1] AS oldest
         FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id
         JOIN open_items i ON i.partner_id = w.partner_id AND i.open_amount > 0 AND i.due_date < $2::date
        WHERE w.specialist_id = $1 AND w.amount_to_be_collected > 0 AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.item_id = i.id AND d.status IN ('OPEN', 'IN_PROCESS'))
        GROUP BY w.partner_id, w.priority, w.valuation, w.amount_to_be_collected HAVING count(*) >= 2 AND count(DISTINCT i.currency) = 1
        ORDER BY w.priority, w.valuation DESC, w.amount_to_be_collected DESC, w.partner_id LIMIT 1`,
      [specialistId, AS_OF],
    );
    const row = page.locator(`tr.work-row-item[data-partner="${candidate.id}"]`);
    await row.click();
    const panel = page.locator('.work-panel');
    await panel.waitFor();
    await panel.locator('.work-actions').waitFor();
    const before = await panel.locator('[data-field="toBeCollected"]').textContent();

    // A promise over the overdue items (preselected), split by due date: the oldest item's amount.
    await panel.getByRole('tab', { name: 'Promise' }).click();
    await panel.getByLabel(`Amount (${candidate.currency})`).fill(candidate.oldest);
    await panel.getByRole('button', { name: 'Record promise' }).click();
    await panel.getByRole('status').filter({ hasText: 'recorded' }).waitFor();
    await expect.poll(() => panel.locator('[data-field="toBeCollected"]').textContent()).not.toBe(before);
    await panel.getByRole('status').filter({ hasText: 'The item is done' }).waitFor();
    await row.locator('.work-state.is-done').waitFor();
    await expect.poll(() => page.getByTestId('done-count').textContent()).toBe('1');
    await expect.poll(async () => Math.abs((await stillToCollect()) - (await openAmount()))).toBeLessThanOrEqual(0.01);
    const [{ n: promises }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM promises WHERE partner_id = $1`, [candidate.id]);
    expect(promises).toBeGreaterThan(0);
    const promised = (await liveItems(db, specialistId)).find((i) => i.partner_id === candidate.id);
    expect(promised?.completed_at).not.toBeNull();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'work-promise-recorded.png'), fullPage: true });

    // The next open partner: a contact whose result completes the item.
    const next = (await liveItems(db, specialistId)).find((i) => i.completed_at === null)!;
    const nextRow = page.locator(`tr.work-row-item[data-partner="${next.partner_id}"]`);
    await nextRow.click();
    const [{ name: nextName }] = await db.dataSource.query(`SELECT name FROM partners WHERE id = $1`, [next.partner_id]);
    const nextPanel = page.locator(`.work-panel[aria-label="Partner ${nextName}"]`);
    await nextPanel.locator('.work-actions').waitFor();
    await nextPanel.getByRole('tab', { name: 'Contact' }).click();
    await nextPanel.locator('select[name="result"]').selectOption('PAY_AGREED');
    await nextPanel.getByText('completes the partner').waitFor();
    await nextPanel.getByRole('button', { name: 'Record contact' }).click();
    await nextPanel.getByRole('status').filter({ hasText: 'The item is done' }).waitFor();
    await nextRow.locator('.work-state.is-done').waitFor();
    await expect.poll(() => page.getByTestId('done-count').textContent()).toBe('2');
    const after = (await liveItems(db, specialistId)).find((i) => i.partner_id === next.partner_id);
    expect(after?.completed_at).not.toBeNull();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'work-contact-completed.png'), fullPage: true });
  });

  it('a specialist sees no supervisor view', async () => {
    await expect(specialistPage.getByRole('tab', { name: 'Loads & reassign' }).count()).resolves.toBe(0);
  });

  it('a supervisor sees the loads per specialist and reassigns an item', async () => {
    const { page } = studio;
    await page.getByRole('link', { name: 'Worklists' }).click();
    await page.getByRole('tab', { name: 'Loads & reassign' }).click();
    await page.getByRole('heading', { name: 'Loads' }).waitFor();
    const bars = page.locator('.work-bar-row[data-specialist]:not([data-specialist=""])');
    await bars.first().waitFor();
    expect(await bars.count()).toBeGreaterThan(1);
    await page.locator(`.work-bar-row[data-specialist="${specialistId}"]`).click();
    const first = page.locator('.work-table tbody tr[data-partner]').first();
    await first.waitFor();
    const partnerId = await first.getAttribute('data-partner');
    const select = first.locator('select');
    const target = await select.locator('option').nth(1).getAttribute('value');
    const countOf = async (id: string) =>
      Number((await page.locator(`.work-bar-row[data-specialist="${id}"] .work-bar-count`).textContent())!.replace(/\D/g, ''));
    const targetBefore = await countOf(target!);
    await select.selectOption(target);
    await first.getByRole('button', { name: 'Move' }).click();
    await page.getByRole('status').filter({ hasText: 'moved to' }).waitFor();
    // The bars are the work still to do now: the move shows at once.
    await expect.poll(() => countOf(target!)).toBe(targetBefore + 1);
    const [item] = await db.dataSource.query(
      `SELECT w.specialist_id::text AS specialist_id, w.specialist_origin FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id WHERE w.partner_id = $1`,
      [partnerId],
    );
    expect(item).toEqual({ specialist_id: target, specialist_origin: 'TEMPORARY' });
    await expect.poll(() => page.locator(`.work-table tbody tr[data-partner="${partnerId}"]`).count()).toBe(0);
    await studio.screenshot('work-loads');
  });
});
