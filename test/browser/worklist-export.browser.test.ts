import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { scanCsv } from '../../packages/server/src/import/csv-reader';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { gql } from '../support/api';
import { browserAvailable, openStudio, SCREENSHOTS, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();

const LIST = `query($segment: String, $filter: WorklistFilter, $orderBy: WorklistOrder, $after: String) {
  worklist(segment: $segment, filter: $filter, orderBy: $orderBy, first: 500, after: $after) {
    edges { node { partnerId partner { externalId } priority amounts { toBeCollected overdue } specialist { name } } }
    pageInfo { hasNextPage endCursor } } }`;

describe.skipIf(!run)('studio in Chromium: exporting the worklist shown as CSV', () => {
  let db: Database;
  let studio: Studio;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 1500, seed: 5, asOf: '2026-11-23' });
    await runWorklists(db, { asOf: '2026-11-23', mode: 'LIVE' });
    studio = await openStudio(db);
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  /** Every page of the worklist query for the variables. */
  async function listed(variables: Record<string, unknown>): Promise<any[]> {
    const nodes: any[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const { data, errors }: { data?: any; errors?: unknown } = await gql(studio.app.url, LIST, { ...variables, after }, studio.token);
      expect(errors).toBeUndefined();
      nodes.push(...data.worklist.edges.map((e: any) => e.node));
      if (!data.worklist.pageInfo.hasNextPage) return nodes;
      after = data.worklist.pageInfo.endCursor;
    }
    throw new Error('paging did not end');
  }

  it('downloads the list as filtered and ordered on the page: its rows are the worklist query’s, every page', async () => {
    const { page, app } = studio;
    // The segment and band with the most partners (the chips offer P1 to P4): more than the 50 rows a page shows.
    const [band] = await db.dataSource.query(
      `SELECT s.key AS segment, w.priority, count(*)::int AS n FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id
        WHERE w.priority <= 4 GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1`,
    );
    const segment: string = band.segment;
    await page.goto(`${app.url}/worklists/${encodeURIComponent(segment)}`);
    await page.locator(`.chips .chip.prio-${band.priority}`).click();
    // Sorted by its column header: amount overdue, highest first.
    await page.getByRole('button', { name: /^Overdue/ }).click();
    await page.waitForURL(/order=overdue/);
    await page.getByText(new RegExp(`^Priority ${band.priority} · [\\d,]+ partners$`)).waitFor();
    await page.locator('.worklist-table tbody tr').first().waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`worklist-${segment}.csv`);
    const text = await readFile(await download.path(), 'utf8');
    const records: string[][] = [];
    await scanCsv([text], (_line, cells) => records.push([...cells]));
    const [header, ...rows] = records;
    const col = (name: string) => header!.indexOf(name);

    const expected = await listed({ segment, filter: { priorities: [band.priority] }, orderBy: 'AMOUNT_OVERDUE' });
    expect(expected.length).toBe(band.n);
    // More than the 50 rows the page shows: the file holds the whole list.
    expect(expected.length).toBeGreaterThan(50);
    expect(
      rows.map((r) => [r[col('partnerId')], r[col('partner.externalId')], r[col('priority')], r[col('amounts.overdue')], r[col('specialist.name')]]),
    ).toEqual(expected.map((n) => [n.partnerId, n.partner.externalId, String(n.priority), n.amounts.overdue, n.specialist?.name ?? '']));
    await page.getByRole('button', { name: 'Export CSV' }).waitFor();
    await studio.screenshot('worklist-export-1440');
    // What a person sees of the page at each width: the figures, the button and the top of the list.
    await page.screenshot({ path: path.join(SCREENSHOTS, 'worklist-export-1440-view.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'worklist-export-1280-view.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('says why when the API refuses the export, and stays on the page', async () => {
    const { page } = studio;
    // A refusal as the API words it (the segment gone meanwhile), served in place of the API's answer.
    await page.route('**/exports/worklist.csv**', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: JSON.stringify({ errors: [{ message: 'Segment X not found', extensions: { code: 'NOT_FOUND' } }] }),
      }),
    );
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'The export was refused: Segment X not found' }).textContent()).resolves.toContain(
      'Segment X not found',
    );
    await page.unroute('**/exports/worklist.csv**');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'worklist-export-refused-1440-view.png') });
  });
});
