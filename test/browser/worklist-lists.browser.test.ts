import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { browserAvailable, openStudio, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();

/** The partner ids of the rows shown, in order (from each row's link to the customer). */
async function shownPartners(page: Page): Promise<string[]> {
  const hrefs = await page.locator('.worklist-table tbody tr a.work-link').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return hrefs.map((h) => decodeURIComponent(h.split('/').pop() ?? ''));
}

async function rowsSettled(page: Page, expected: string[]): Promise<void> {
  await expect.poll(() => shownPartners(page), { timeout: 15_000 }).toEqual(expected);
}

describe.skipIf(!run)('studio in Chromium: a worklist people can work (sort, filter, URL, bulk reassignment)', () => {
  let db: Database;
  let studio: Studio;
  let segment: string;
  let runId: string;

  /** The live run's items as the list would show them, first 50, ordered and filtered in SQL written out here. */
  const expectedRows = async (where: string, orderBy: string, values: unknown[] = []): Promise<string[]> =>
    (
      await db.dataSource.query(`SELECT w.partner_id::text AS id FROM worklist_items w WHERE w.run_id = $1 ${where} ORDER BY ${orderBy} LIMIT 50`, [
        runId,
        ...values,
      ])
    ).map((r: { id: string }) => r.id);

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 400, seed: 5, asOf: '2026-11-23' });
    await runWorklists(db, { asOf: '2026-11-23', mode: 'LIVE' });
    studio = await openStudio(db, { width: 1280, height: 900 });
  }, 120_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  it('sorts by a column header, both ways, with aria-sort and the order in the URL', async () => {
    const { page, app } = studio;
    await page.goto(`${app.url}/worklists`);
    await page.waitForURL(/\/worklists\/[^/?]+$/);
    segment = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    [{ id: runId }] = await db.dataSource.query(`SELECT live_run_id::text AS id FROM collection_segments WHERE key = $1`, [segment]);
    await page.locator('.worklist-table tbody tr').first().waitFor();
    await rowsSettled(page, await expectedRows('', 'w.priority, w.valuation DESC, w.amount_to_be_collected DESC, w.partner_id'));

    const header = page.getByRole('columnheader', { name: /To be collected/ });
    await expect(header.getAttribute('aria-sort')).resolves.toBe('none');
    // Keyboard: the header's button takes focus and Enter sorts.
    await header.getByRole('button').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/order=to-be-collected/);
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    await rowsSettled(page, await expectedRows('', 'w.amount_to_be_collected DESC, w.partner_id'));
    await header.getByRole('button').click();
    await page.waitForURL(/dir=asc/);
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    await rowsSettled(page, await expectedRows('', 'w.amount_to_be_collected, w.partner_id'));

    await page
      .getByRole('columnheader', { name: /Days overdue/ })
      .getByRole('button')
      .click();
    await page.waitForURL((url) => url.searchParams.get('order') === 'days-overdue' && !url.searchParams.has('dir'));
    await rowsSettled(page, await expectedRows('', 'coalesce(w.max_days_overdue, -1000000) DESC, w.partner_id'));
  });

  it('filters by clicking and typing, keeps it all in the URL, and a reload shows the same rows', async () => {
    const { page } = studio;
    const [{ rules }] = await db.dataSource.query(`SELECT rules FROM worklist_runs WHERE id = $1`, [runId]);
    // A rule that fired for some items of the run, picked from the list's own select.
    const counts: Array<{ i: number; n: number }> = await db.dataSource.query(
      `SELECT i::int, count(*)::int AS n FROM worklist_items w, generate_series(1, $2::int) i WHERE w.run_id = $1 AND substring(w.fired FROM i FOR 1) = B'1' GROUP BY i ORDER BY n DESC`,
      [runId, rules.length],
    );
    const rule = rules[counts[0]!.i - 1].name as string;
    await page.getByLabel('Fired rule').selectOption(rule);
    await page.waitForURL((url) => url.searchParams.get('rule') === rule);
    await page.getByLabel('Days overdue from').fill('30');
    await page.getByLabel('Amount to be collected from').fill('100');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((url) => url.searchParams.get('dmin') === '30' && url.searchParams.get('min') === '100');
    const where = `AND substring(w.fired FROM $2::int FOR 1) = B'1' AND w.max_days_overdue >= 30 AND w.amount_to_be_collected >= 100`;
    const expected = await expectedRows(where, 'coalesce(w.max_days_overdue, -1000000) DESC, w.partner_id', [counts[0]!.i]);
    expect(expected.length).toBeGreaterThan(0);
    await rowsSettled(page, expected);
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM worklist_items w WHERE w.run_id = $1 ${where}`, [runId, counts[0]!.i]);
    await page.getByText(new RegExp(`^All priorities · ${n} partners$`)).waitFor();

    // A bad range is said at the field and not applied.
    await page.getByLabel('Days overdue to').fill('10');
    await expect(page.getByRole('alert').filter({ hasText: 'below the fewest' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Apply' }).isDisabled()).resolves.toBe(true);
    await page.getByLabel('Days overdue to').fill('');

    const url = page.url();
    await page.reload();
    await rowsSettled(page, expected);
    expect(page.url()).toBe(url);
    await expect(page.getByLabel('Fired rule').inputValue()).resolves.toBe(rule);
    await expect(page.getByLabel('Days overdue from').inputValue()).resolves.toBe('30');
    await expect.poll(() => page.getByRole('columnheader', { name: /Days overdue/ }).getAttribute('aria-sort')).toBe('descending');
    await studio.screenshot('worklist-lists-filtered-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
    await studio.screenshot('worklist-lists-filtered-1440');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('reassigns 20 selected items to one specialist after a confirmation, audited, and clears the selection', async () => {
    const { page } = studio;
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((url) => !url.searchParams.has('rule') && !url.searchParams.has('dmin'));
    const expected = await expectedRows('', 'coalesce(w.max_days_overdue, -1000000) DESC, w.partner_id');
    await rowsSettled(page, expected);
    const open: string[] = (
      await db.dataSource.query(
        `SELECT partner_id::text AS id FROM worklist_items WHERE run_id = $1 AND completed_at IS NULL AND partner_id = ANY($2::bigint[])`,
        [runId, expected],
      )
    ).map((r: { id: string }) => r.id);
    const picked = expected.filter((id) => open.includes(id)).slice(0, 20);
    expect(picked).toHaveLength(20);
    const rows = page.locator('.worklist-table tbody tr');
    for (const id of picked) await rows.nth(expected.indexOf(id)).getByRole('checkbox').check();
    const bar = page.getByRole('region', { name: 'Reassign selected items' });
    await bar.getByText('Reassign 20 items to').waitFor();
    const [target] = await db.dataSource.query(
      `SELECT s.id::text AS id, s.name FROM specialists s JOIN collection_groups g ON g.key = s.group_key WHERE s.active AND g.segment_key = $1 ORDER BY s.id LIMIT 1`,
      [segment],
    );
    await bar.getByLabel('Specialist to take the items').selectOption(target.id);
    await studio.screenshot('worklist-lists-selection-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
    await studio.screenshot('worklist-lists-selection-1440');
    const auditsBefore = (await db.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'REASSIGN'`))[0].n;
    await bar.getByRole('button', { name: 'Reassign…' }).click();
    await bar.getByText(`Move 20 items to ${target.name} until the next run?`).waitFor();
    await bar.getByRole('button', { name: 'Move 20 items' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Moved 20 items to ${target.name}.` })
      .waitFor();
    await studio.screenshot('worklist-lists-moved-1440');

    const moved = await db.dataSource.query(
      `SELECT partner_id::text AS id FROM worklist_items WHERE run_id = $1 AND specialist_id = $2 AND specialist_origin = 'TEMPORARY' ORDER BY partner_id`,
      [runId, target.id],
    );
    expect(moved.map((r: { id: string }) => r.id)).toEqual([...picked].sort((a, b) => Number(a) - Number(b)));
    const audits = await db.dataSource.query(`SELECT entity_id, details FROM audit_log WHERE action = 'REASSIGN' ORDER BY id`);
    expect(audits.length - auditsBefore).toBe(20);
    expect(
      audits
        .slice(auditsBefore)
        .map((a: { entity_id: string }) => a.entity_id.split(':')[1])
        .sort(),
    ).toEqual([...picked].sort());
    expect(audits.slice(auditsBefore).every((a: { details: { toSpecialistId: string } }) => a.details.toSpecialistId === target.id)).toBe(true);
    // The selection cleared and the list read again: the moved rows show the specialist.
    await expect.poll(() => page.locator('.worklist-table tbody input[type=checkbox]:checked').count()).toBe(0);
    await expect(bar.isVisible()).resolves.toBe(false);
    const firstMoved = rows.nth(expected.indexOf(picked[0]!));
    await expect.poll(() => firstMoved.textContent()).toContain(target.name);
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
