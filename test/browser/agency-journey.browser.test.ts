import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { applyAgencyPayment } from '../../packages/server/src/agencies';
import { placeItems } from '../../packages/server/src/agencies/placement.service';
import type { Database } from '../../packages/server/src/db/database';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { createTestToken, gql } from '../support/api';
import { browserAvailable, openStudio, SCREENSHOTS, signIn, type Studio } from '../support/browser';
import { agencyRowFields } from '../support/agency-rows';
import { parseCsv } from '../support/csv';
import { count, openTestDatabase } from '../support/database';
import { insertItems, insertPartners, insertSegment, insertSpecialist, insertStrategy, rule, strategyDocument, when } from '../support/worklist-fixtures';

const run = browserAvailable();

/**
 * Issue 22's acceptance journey: an ADMIN sets up an agency; a supervisor reviews the placement
 * proposal, places two partners, sees them leave the worklist and on the 360 with the agency,
 * imports the agency's payment report (a bad one refused whole, then the good one clears an
 * item) and reads the settlement's commission; the ADMIN closes the ended period.
 *
 * The data, at D = 2026-03-31 (segment RJ, EUR, everything open on the worklist):
 *   P501 Anker Bau GmbH  I1 1,200.00 due 2026-01-05, I2 300.00 due 2026-02-10 (overdue 1,500.00, 85 days)
 *   P502 Birke Handel    I3 2,500.00 due 2025-12-01                          (overdue 2,500.00, 120 days)
 *   P503 Cedar Retail    I4 1,100.00 due 2026-02-20                          (overdue 1,100.00, 39 days)
 *   P504 Dorn KG         I5   200.00 due 2026-02-01                          (overdue 200.00)
 * Placement rules: "Overdue 1,000 or more" 40 points, "Over 90 days overdue" 20 points, minPercent
 * 50 of 60: P502 (60), then P501 and P503 (40 each, by open amount); P504 (0) is not proposed.
 * Placed with NORD (12.5 %) on 2026-04-01: P502 and P501, 4,000.00 in two placements.
 * April's payments on them: NORD reports I3 2,500.00 (clears it) and I1 700.00; the company
 * receives 33.33 on I2 directly (NORD counts direct payments). Commission, each rounded half up:
 * 2,500.00 x 12.5 % = 312.50, 700.00 x 12.5 % = 87.50, 33.33 x 12.5 % = 4.16625 -> 4.17; collected
 * 3,233.33, commission due 404.17.
 */
describe.skipIf(!run)('studio in Chromium: debt recovery from the proposal to the settlement', () => {
  let db: Database;
  let studio: Studio;
  let supervisor: string;
  const D = '2026-03-31';

  async function shots(page: Page, name: string, { panel = false } = {}): Promise<void> {
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(150);
      if (panel) await page.screenshot({ path: path.join(SCREENSHOTS, `agency-${name}-${width}.png`) });
      else await studio.screenshot(`agency-${name}-${width}`);
    }
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    const anything = strategyDocument({
      key: 'RJ_WORK',
      name: 'Recovery journey worklist',
      rules: [rule('Anything open', 10, 'condition', when('openAmount', 'greaterThan', 0))],
    });
    const placing = strategyDocument({
      key: 'RJ_PLACE',
      name: 'Hand to an agency',
      minPercent: 50,
      rules: [
        rule('Overdue 1,000 or more', 40, 'condition', when('overdueAmount', 'greaterThanInclusive', 1000)),
        rule('Over 90 days overdue', 20, 'condition', when('maxDaysOverdue', 'greaterThan', 90)),
      ],
    });
    await insertStrategy(db, 'RJ_WORK', anything);
    await insertStrategy(db, 'RJ_PLACE', placing);
    await insertSegment(db, 'RJ', [{ key: 'RJG', strategyKey: 'RJ_WORK' }]);
    await insertSpecialist(db, 51, 'RJG');
    await insertPartners(
      db,
      [501, 502, 503, 504].map((id) => ({ id, segment: 'RJ', group: 'RJG' })),
    );
    for (const [id, name] of [
      [501, 'Anker Bau GmbH'],
      [502, 'Birke Handel'],
      [503, 'Cedar Retail'],
      [504, 'Dorn KG'],
    ] as const)
      await db.dataSource.query(`UPDATE partners SET name = $2 WHERE id = $1`, [id, name]);
    await insertItems(db, [
      { id: 1, partner: 501, due: '2026-01-05', open: 1200 },
      { id: 2, partner: 501, due: '2026-02-10', open: 300 },
      { id: 3, partner: 502, due: '2025-12-01', open: 2500 },
      { id: 4, partner: 503, due: '2026-02-20', open: 1100 },
      { id: 5, partner: 504, due: '2026-02-01', open: 200 },
    ]);
    await runWorklists(db, { asOf: D, mode: 'LIVE' });
    studio = await openStudio(db);
    supervisor = await createTestToken(db, 'SUPERVISOR');
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  it('lets an ADMIN set up the agency like a collection group', async () => {
    const { page, app } = studio;
    await page.goto(`${app.url}/recovery/agencies`);
    await page.getByRole('button', { name: 'New agency' }).click();
    await page.getByLabel('Key').fill('NORD');
    await page.getByLabel('Name').fill('Nordinkasso');
    await page.getByLabel('Contact e-mail').fill('ops@nordinkasso.example');
    await page.getByLabel('Commission (%)').fill('12.5');
    await shots(page, 'agency-form', { panel: true });
    await page.getByRole('button', { name: 'Create' }).click();
    const row = page.locator('tr[data-key="NORD"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('12.50 %');
    await shots(page, 'agencies');
  });

  it('shows the supervisor the proposal: the partners the rules select, with amounts and why', async () => {
    const { page, app } = studio;
    await signIn(page, app.url, supervisor, '/recovery');
    await page.getByRole('combobox', { name: /^Placement rules/ }).selectOption('RJ_PLACE');
    await page.getByLabel('Key date').fill(D);
    await page.getByRole('combobox', { name: /^Segment/ }).selectOption('RJ');
    await page.getByRole('button', { name: 'Propose' }).click();
    await page.getByRole('heading', { name: `3 partners proposed at ${D}` }).waitFor();
    const rows = page.locator('section[aria-label="Proposal"] tbody tr[data-partner]');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-partner')))).toEqual(['P502', 'P501', 'P503']);
    const birke = page.locator('tr[data-partner="P502"]');
    expect(await birke.locator('td').nth(2).textContent()).toBe('P1');
    expect(await birke.locator('td').nth(3).textContent()).toBe('60 (100.00 %)');
    // Open and overdue, exactly as the server sent them (the Money title carries the decimal).
    expect(await birke.locator('td').nth(5).locator('.money').getAttribute('title')).toBe('2500.0000 EUR');
    expect(await birke.locator('.recovery-rules').textContent()).toBe('Overdue 1,000 or more, Over 90 days overdue');
    expect(await page.locator('tr[data-partner="P501"] td').nth(5).locator('.money').getAttribute('title')).toBe('1500.0000 EUR');
    // Some items of a partner can be chosen: Anker Bau's two open items.
    await page.locator('tr[data-partner="P501"]').getByRole('button', { name: 'Items…' }).click();
    const items = page.locator('.recovery-items li');
    await items.first().waitFor();
    expect(await items.locator('.org-key').allTextContents()).toEqual(['I1', 'I2']);
    await shots(page, 'proposal');
    await page.locator('tr[data-partner="P501"]').getByRole('button', { name: 'Items…' }).click();
  });

  it('places two partners with the agency: they leave the proposal and the worklist, and the 360 shows the agency and date', async () => {
    const { page, app } = studio;
    await page.getByLabel('Select Birke Handel').check();
    await page.getByLabel('Select Anker Bau GmbH').check();
    await page.getByRole('combobox', { name: /^Agency/ }).selectOption('NORD');
    await page.getByLabel('Placed on').fill('2026-04-01');
    await page.getByRole('button', { name: 'Place 2 partners' }).click();
    await page.getByText('Placed 2 partners with NORD: Birke Handel, Anker Bau GmbH.').waitFor();
    await page.getByRole('heading', { name: `1 partner proposed at ${D}` }).waitFor();
    await shots(page, 'placed');
    expect(
      await db.dataSource.query(
        `SELECT partner_id::int AS partner, agency_key AS agency, placed_on::text AS "placedOn", status FROM placements ORDER BY partner_id`,
      ),
    ).toEqual([
      { partner: 501, agency: 'NORD', placedOn: '2026-04-01', status: 'PLACED' },
      { partner: 502, agency: 'NORD', placedOn: '2026-04-01', status: 'PLACED' },
    ]);

    await page.goto(`${app.url}/worklists/RJ`);
    await page.getByText(/^All priorities · 2 partners$/).waitFor();
    const listed = await page.locator('.worklist-table tbody').textContent();
    expect(listed).toContain('Cedar Retail');
    expect(listed).toContain('Dorn KG');
    expect(listed).not.toContain('Anker Bau');
    expect(listed).not.toContain('Birke Handel');
    await shots(page, 'worklist');

    await page.goto(`${app.url}/customers/ext:P501`);
    const recovery = page.locator('section[aria-label="Debt recovery"]');
    await recovery.locator('[data-placement="NORD"]').waitFor();
    expect(await recovery.locator('.recovery-block-head').first().textContent()).toMatch(/Placed with NORD since 2026-04-01/);
    expect(await recovery.locator('tbody tr').count()).toBe(2);
    // The open amount leaves the placed items out and says so.
    expect(await page.locator('.figure-held').textContent()).toMatch(/^held .+: 2 placed with an agency$/);
    // So does the ageing: nothing worked in-house, I1 and I2 (1,500.00, over 60 days today, the live run's last bucket) held.
    const ageing = page.locator('section[aria-label="Ageing"]');
    const over60 = ageing.locator('.work-aging-col').last();
    expect(await over60.locator('.work-aging-label').textContent()).toBe('> 60');
    expect(await over60.locator('.work-aging-held .money').getAttribute('title')).toBe('1500.0000 EUR');
    expect(await over60.locator('.work-aging-amount .work-aging-held').textContent()).toMatch(/^\+ EUR.1,500\.00 held$/);
    expect(await over60.locator('.work-aging-bar.is-held').count()).toBe(1);
    expect(await ageing.locator('.work-aging-note').textContent()).toBe(
      'Nothing open for in-house collection: 2 held items are worked by an agency or a legal case.',
    );
    expect(await ageing.getByText(/^Nothing open in/).count()).toBe(0);
    // The open items say which are with the agency.
    expect(await heldTags(page)).toEqual([
      ['I1', 'Agency'],
      ['I2', 'Agency'],
    ]);
    const openItems = page.locator('section[aria-label="Open items"]');
    expect(await openItems.locator('.card-header .muted').textContent()).toBe('2 held: not in the open amount');
    expect(await openItems.locator('thead th').last().textContent()).toBe('Status');
    await shots(page, 'customer');
  });

  it('draws worked and held amounts apart in the ageing bars of a partner with both', async () => {
    const { page, app } = studio;
    // Two items that came after the placement (not placed): I6 250.00 due 2026-11-20, I7 400.00 due 2026-06-01; removed again below.
    await insertItems(db, [
      { id: 6, partner: 501, due: '2026-11-20', open: 250 },
      { id: 7, partner: 501, due: '2026-06-01', open: 400 },
    ]);
    try {
      await page.goto(`${app.url}/customers/ext:P501`);
      const ageing = page.locator('section[aria-label="Ageing"]');
      await ageing.locator('.work-aging-bar.is-held').waitFor();
      const over60 = ageing.locator('.work-aging-col').last();
      // Over 60 days: I7 worked, I1 and I2 held, the held segment on top of the worked one.
      expect(await over60.locator('.work-aging-amount > div:not(.work-aging-held) .money').getAttribute('title')).toBe('400.0000 EUR');
      expect(await over60.locator('.work-aging-held .money').getAttribute('title')).toBe('1500.0000 EUR');
      expect(await over60.locator('.segment-key').textContent()).toBe('1 item + 2 held');
      const [held, worked] = await over60.locator('.work-aging-bar').evaluateAll((bars) => bars.map((b) => b.getBoundingClientRect()));
      expect(held!.bottom).toBeCloseTo(worked!.top, 0);
      expect(held!.height).toBeGreaterThan(worked!.height * 3);
      expect(await ageing.locator('.work-aging-note').count()).toBe(0);
      expect(await heldTags(page)).toEqual([
        ['I1', 'Agency'],
        ['I2', 'Agency'],
        ['I7', ''],
        ['I6', ''],
      ]);
      await shots(page, 'customer-held');
      // The card alone, to read the bars at each width.
      for (const width of [1280, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        await page.waitForTimeout(150);
        await ageing.screenshot({ path: path.join(SCREENSHOTS, `agency-customer-held-ageing-${width}.png`) });
      }
    } finally {
      await db.dataSource.query(`DELETE FROM open_items WHERE id IN (6, 7)`);
    }
  });

  it('imports the agency payment report: a bad one is refused whole with its line, the good one clears an item', async () => {
    const { page, app } = studio;
    await page.goto(`${app.url}/recovery/payments`);
    const header = 'agency,item_id,payment_date,amount,currency\n';
    // Line 3 names Dorn KG's item, which is not placed with NORD: nothing of the report is written.
    await page.getByLabel('Report file').setInputFiles({
      name: 'agency_payments.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}NORD,I3,2026-04-20,2500.00,EUR\nNORD,I5,2026-04-21,50.00,EUR\n`),
    });
    await page.getByRole('button', { name: 'Import report' }).click();
    const refusal = page.locator('.recovery-refusal');
    await refusal.waitFor();
    expect(await refusal.locator('p').textContent()).toBe('Nothing was imported. Line 3, column item_id: item I5 is not placed with agency NORD');
    expect(await refusal.locator('pre').textContent()).toBe('NORD,I5,2026-04-21,50.00,EUR');
    await shots(page, 'report-refused');
    expect(await count(db, 'payments')).toBe(0);

    await page.getByLabel('Report file').setInputFiles({
      name: 'agency_payments.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}NORD,I3,2026-04-20,2500.00,EUR\nNORD,I1,2026-04-25,700.00,EUR\n`),
    });
    await page.getByRole('button', { name: 'Import report' }).click();
    await page.getByText('2 rows: 2 payments applied.').waitFor();
    expect(await page.locator('.recovery-outcome').textContent()).toContain('Cleared: I3.');
    await shots(page, 'report-imported');
    expect(await db.dataSource.query(`SELECT external_id AS item, open_amount::text AS open FROM open_items WHERE id IN (1, 3) ORDER BY id`)).toEqual([
      { item: 'I1', open: '500.0000' },
      { item: 'I3', open: '0.0000' },
    ]);
    // Birke Handel's only item is cleared: its placement is closed; Anker Bau's is still with NORD, 500.00 of I1 open.
    expect((await db.dataSource.query(`SELECT status FROM placements WHERE partner_id = 502`))[0].status).toBe('CLOSED');
    await page.goto(`${app.url}/recovery/placements?status=ALL`);
    const rows = page.locator('section[aria-label="Placements"] tbody tr');
    await rows.first().waitFor();
    expect(
      await rows.evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-partner'),
          tr.querySelectorAll('td')[6]!.textContent,
          tr.querySelectorAll('td')[5]!.querySelector('.money')?.getAttribute('title'),
        ]),
      ),
    ).toEqual([
      // Newest first: Anker Bau was placed after Birke Handel.
      ['P501', 'placed', '800.0000 EUR'],
      ['P502', 'closed', '0.0000 EUR'],
    ]);
    await shots(page, 'placements');
  });

  it('shows the settlement of April: placed, collected and the commission due, as worked out by hand', async () => {
    const { page, app } = studio;
    // The company receives 33.33 on I2 directly (as an AR import would book it).
    await db.dataSource.query(
      `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) VALUES ('DIR-1', 501, 2, '2026-04-28', 33.33, 'EUR')`,
    );
    await db.dataSource.query(`UPDATE open_items SET open_amount = open_amount - 33.33 WHERE id = 2`);
    await page.goto(`${app.url}/recovery/settlement?agency=NORD&month=2026-04`);
    const settlement = page.locator('section[aria-label="Settlement"]');
    await settlement.getByRole('heading', { name: 'NORD · 2026-04-01 to 2026-04-30' }).waitFor();
    const figure = (name: string) => settlement.locator(`[data-figure="${name}"] .money`).getAttribute('title');
    expect(await figure('placed')).toBe('4000.0000 EUR');
    expect(await settlement.locator('[data-figure="placed"]').textContent()).toContain('2 placements');
    expect(await figure('collected')).toBe('3233.3300 EUR');
    expect(await figure('commission')).toBe('404.1700 EUR');
    const lines = await settlement
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.querySelector('.money')?.getAttribute('title') ?? td.textContent)));
    expect(lines).toEqual([
      ['2026-04-20', 'P502', 'I3', 'agency', '2500.0000 EUR', '312.5000 EUR'],
      ['2026-04-25', 'P501', 'I1', 'agency', '700.0000 EUR', '87.5000 EUR'],
      ['2026-04-28', 'P501', 'I2', 'company (direct)', '33.3300 EUR', '4.1700 EUR'],
    ]);
    // A supervisor reads it; closing is the ADMIN's.
    expect(await settlement.getByRole('button', { name: /Close the settlement/ }).count()).toBe(0);
    await shots(page, 'settlement');
  });

  it('offers the ADMIN to close an ended period once, and never a period that has not ended', async () => {
    const { page, app } = studio;
    // The same path with only a #token is no new page load: sign in from another path.
    await signIn(page, app.url, studio.token, '/recovery/agencies');
    await page.locator('tr[data-key="NORD"]').getByRole('button', { name: 'Edit NORD' }).waitFor();
    await page.goto(`${app.url}/recovery/settlement?agency=NORD&month=2026-04`);
    const settlement = page.locator('section[aria-label="Settlement"]');
    await settlement.getByRole('button', { name: 'Close the settlement…' }).click();
    await settlement.getByRole('button', { name: 'Yes, close' }).click();
    await settlement.locator('.org-pill', { hasText: 'Closed' }).waitFor();
    expect(await settlement.getByRole('button', { name: /Close the settlement/ }).count()).toBe(0);
    expect(await db.dataSource.query(`SELECT period_from::text AS "from", period_to::text AS "to" FROM agency_settlements`)).toEqual([
      { from: '2026-04-01', to: '2026-04-30' },
    ]);
    await shots(page, 'settlement-closed');

    const now = new Date();
    const month = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
    await page.goto(`${app.url}/recovery/settlement?agency=NORD&month=${month}`);
    await settlement.getByText('Period not ended').waitFor();
    expect(await settlement.getByRole('button', { name: /Close the settlement/ }).count()).toBe(0);
  });

  it('escalates a partner to a legal case on the 360: opened, moved on, a cost recorded, off the worklist', async () => {
    const { page, app } = studio;
    await page.goto(`${app.url}/customers/ext:P504`);
    const recovery = page.locator('section[aria-label="Debt recovery"]');
    await recovery.getByText('Not placed with a collection agency.').waitFor();
    await recovery.getByRole('button', { name: 'Open a legal case…' }).click();
    await page.getByLabel('Opened on').fill('2026-05-04');
    await page.getByLabel(/Court reference/).fill('AG Hamburg 12 C 345/26');
    await page.getByRole('button', { name: 'Open the case' }).click();
    const legal = recovery.locator('[data-legal-case]');
    await legal.getByText('Legal · prepared').waitFor();
    await legal.getByRole('button', { name: 'Move on…' }).click();
    await page.getByRole('combobox', { name: /^Next state/ }).selectOption('FILED');
    await page.getByLabel('On', { exact: true }).fill('2026-05-11');
    await page.getByRole('button', { name: 'Move to filed' }).click();
    await legal.getByText('Legal · filed').waitFor();
    await legal.getByRole('button', { name: 'Record a cost…' }).click();
    await page.getByLabel('Day').fill('2026-05-11');
    await page.getByLabel(/^What/).fill('court fee');
    await page.getByLabel('Amount').fill('76.50');
    await page.getByRole('button', { name: 'Record the cost' }).click();
    await legal.getByText(/Costs charged: 2026-05-11 court fee/).waitFor();
    expect(await legal.locator('.recovery-note').first().textContent()).toMatch(/^Items: I5/);
    await page.reload();
    await legal.getByText('Legal · filed').waitFor();
    expect(await heldTags(page)).toEqual([['I5', 'Legal']]);
    await shots(page, 'legal');
    expect(
      await db.dataSource.query(
        `SELECT c.status, c.reference, (SELECT sum(amount)::text FROM legal_case_costs k WHERE k.case_id = c.id) AS costs FROM legal_cases c WHERE c.partner_id = 504`,
      ),
    ).toEqual([{ status: 'FILED', reference: 'AG Hamburg 12 C 345/26', costs: '76.5000' }]);
    // Dorn KG's only item is under the case: the live worklist keeps only Cedar Retail.
    await page.goto(`${app.url}/worklists/RJ`);
    await page.getByText(/^All priorities · 1 partner$/).waitFor();
    expect(await page.locator('.worklist-table tbody').textContent()).not.toContain('Dorn KG');
  });

  it('charts recovered vs placed per agency and placement month on /analytics, its CSV exactly the API rows', async () => {
    const { page, app } = studio;
    // A second agency: Cedar Retail (1,100.00) placed with SUED (20 %) on 2026-05-02, which reports 440.00 on 2026-05-20.
    await db.dataSource.query(`INSERT INTO agencies (key, name, commission_percent, count_direct_payments) VALUES ('SUED', 'Südinkasso', 20, false)`);
    await db.dataSource.transaction((m) =>
      placeItems(m, { name: 'test', role: 'SUPERVISOR' }, { partnerId: '503', agency: 'SUED', itemIds: [], placedOn: '2026-05-02' }),
    );
    await db.dataSource.transaction((m) =>
      applyAgencyPayment(m, { agency: 'SUED', itemId: 'I4', paymentDate: '2026-05-20', amount: '440.00', currency: 'EUR' }, 1),
    );
    // From the settlement: the six months up to its month, on the Agencies tab.
    await page.goto(`${app.url}/recovery/settlement?agency=NORD&month=2026-05`);
    await page.getByRole('link', { name: 'Recovery by agency and month' }).click();
    await page.waitForURL(/\/analytics\?tab=agencies&to=2026-05-31$/);
    const chart = page.getByRole('region', { name: 'Recovered vs placed' });
    await chart.locator('.recharts-bar-rectangle').first().waitFor();
    // Two rows, two bars each (placed, recovered), and a recovery rate dot each.
    expect(await chart.locator('.recharts-bar-rectangle').count()).toBe(4);
    expect(await chart.locator('.recharts-scatter-symbol').count()).toBe(2);
    expect(await chart.locator('.recharts-legend-item-text').allTextContents()).toEqual(['Placed (EUR)', 'Recovered (EUR)', 'Recovery rate (%)']);
    const variables = { filter: { from: '2025-12-01', to: '2026-05-31', currency: 'EUR' }, groupBy: null };
    const rows = await agencyRows(variables);
    // By hand: NORD placed 4,000.00 in April and recovered 3,233.33 (80.83 %), first paid 19 and 24 days later; SUED 440.00 of 1,100.00 (40.00 %), 88.00 commission.
    expect(
      rows.map((r: any) => [r.agency, r.placementMonth, r.placedAmount, r.recoveredAmount, r.recoveryRate, r.daysToFirstPayment, r.commissionDue]),
    ).toEqual([
      ['NORD', '2026-04-01', '4000.0000', '3233.3300', '80.83', '21.5', '404.1700'],
      ['SUED', '2026-05-01', '1100.0000', '440.0000', '40.00', '18.0', '88.0000'],
    ]);
    expect(await chart.locator('tbody tr').count()).toBe(rows.length);
    expect(await downloadedCsv(chart)).toEqual(csvOf(rows));
    // The table reads alike row to row: the rate always with two decimals (40.00%, not 40%), the days with one (18.0).
    expect(await columnCells(chart, 'Recovery rate')).toEqual(['80.83%', '40.00%']);
    expect(await columnCells(chart, 'Days to first payment')).toEqual(['21.5', '18.0']);
    expect(await chart.getByRole('columnheader', { name: 'Days to first payment' }).getAttribute('title')).toMatch(
      /^Average days from the placement to its first payment/,
    );
    // The GraphQL shown is the query the chart ran, with the page's variables.
    await chart.getByRole('button', { name: 'GraphQL of Recovered vs placed' }).click();
    const shown = await chart.getByLabel('Query of Recovered vs placed').textContent();
    expect(shown).toContain('analyticsAgencies(filter: $filter, groupBy: $groupBy, first: 100)');
    expect(shown).toContain('"from": "2025-12-01"');
    await chart.getByRole('button', { name: 'GraphQL of Recovered vs placed' }).click();
    await page.evaluate('window.scrollTo(0, 0)');
    await shots(page, 'analytics-agencies');
    // The filter bar's "Group by" adds a column and splits the rows (here one segment); the CSV is still exactly the API's rows.
    await page.getByLabel('Group by').selectOption('SEGMENT');
    await expect.poll(() => new URL(page.url()).searchParams.get('groupBy')).toBe('SEGMENT');
    await chart.getByRole('columnheader', { name: 'Segment' }).waitFor();
    const bySegment = await agencyRows({ ...variables, groupBy: 'SEGMENT' });
    expect(bySegment.map((r: any) => [r.agency, r.group.key])).toEqual([
      ['NORD', 'RJ'],
      ['SUED', 'RJ'],
    ]);
    expect(await columnCells(chart, 'Segment')).toEqual(bySegment.map((r: any) => r.group.label));
    // The group's name on one line at 1280 px, as wide as the table leaves it.
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await columnLines(chart, 'Segment')).toEqual([1, 1]);
    expect(await downloadedCsv(chart)).toEqual(csvOf(bySegment));
    await page.evaluate('window.scrollTo(0, 0)');
    await shots(page, 'analytics-agencies-by-segment');
    // "Per" (week or month) is not offered here: agencies are reported per placement month, so a
    // week in the address (kept from another tab) changes nothing.
    expect(await timeUnit(page).count()).toBe(0);
    await page.goto(`${app.url}/analytics?tab=agencies&to=2026-05-31&groupBy=SEGMENT&granularity=WEEK`);
    await chart.getByRole('columnheader', { name: 'Segment' }).waitFor();
    expect(await columnCells(chart, 'Month')).toEqual(['2026-04', '2026-05']);
    expect(await downloadedCsv(chart)).toEqual(csvOf(bySegment));
    expect(await timeUnit(page).count()).toBe(0);
    // A tab whose figures come per unit offers it, with the address's week.
    await page.getByRole('tab', { name: 'Overview' }).click();
    await timeUnit(page).waitFor();
    expect(await timeUnit(page).inputValue()).toBe('WEEK');
  });

  /** analyticsAgencies' rows over GraphQL, as the Agencies tab asks for them. */
  async function agencyRows(variables: { filter: Record<string, string>; groupBy: string | null }): Promise<any[]> {
    const { data, errors } = await gql(
      studio.app.url,
      `query ($filter: AnalyticsFilter!, $groupBy: AnalyticsGroupBy) { analyticsAgencies(filter: $filter, groupBy: $groupBy, first: 100) { rows {
        agency agencyName placementMonth group { key label } placements placedAmount recoveredAmount recoveryRate daysToFirstPayment commissionDue } } }`,
      variables,
      studio.token,
    );
    expect(errors).toBeUndefined();
    return data.analyticsAgencies.rows;
  }

  /** The agencies CSV the API's rows make: its header, then every row's fields as they are. */
  function csvOf(rows: any[]): string[][] {
    const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    return [
      [
        'agency',
        'agencyName',
        'placementMonth',
        'groupKey',
        'group',
        'placements',
        'placedAmount',
        'recoveredAmount',
        'recoveryRate',
        'daysToFirstPayment',
        'commissionDue',
      ],
      ...rows.map((r) => agencyRowFields(r).map(cell)),
    ];
  }
});

/**
 * The filter bar's time unit ("Per"), the one choice of Month or Week (its label's text holds its
 * options' too, so it is not found by the label's text alone).
 */
const timeUnit = (page: Page) =>
  page.getByRole('form', { name: 'Analytics filters' }).locator('label', { hasText: /^Per/ }).locator('select:has(option[value="WEEK"])');

/** The open items table of the 360: each item with its held badge ('' when none). */
async function heldTags(page: Page): Promise<string[][]> {
  const rows = page.locator('section[aria-label="Open items"] tbody tr');
  await rows.first().waitFor();
  return rows.evaluateAll((trs) => trs.map((tr) => [tr.querySelector('td')!.textContent!, tr.querySelector('.work-held-tag')?.textContent ?? '']));
}

/** How many lines the text of each cell of a column of the chart's table takes. */
async function columnLines(chart: Locator, header: string): Promise<number[]> {
  const at = (await chart.locator('thead th').allTextContents()).indexOf(header);
  expect(at).toBeGreaterThanOrEqual(0);
  return chart.locator(`tbody tr > :nth-child(${at + 1})`).evaluateAll((cells) =>
    cells.map((cell) => {
      const range = cell.ownerDocument.createRange();
      range.selectNodeContents(cell);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    }),
  );
}

/** The CSV the chart's download button gives, parsed. */
async function downloadedCsv(chart: Locator): Promise<string[][]> {
  const [download] = await Promise.all([chart.page().waitForEvent('download'), chart.getByRole('button', { name: 'CSV of Recovered vs placed' }).click()]);
  return parseCsv(await readFile(await download.path(), 'utf8'));
}

/** The texts of a column of the chart's table, found by its header. */
async function columnCells(chart: Locator, header: string): Promise<string[]> {
  const headers = await chart.locator('thead th').allTextContents();
  const at = headers.indexOf(header);
  expect(at, `column ${header} among ${headers.join(', ')}`).toBeGreaterThanOrEqual(0);
  return chart.locator(`tbody tr > :nth-child(${at + 1})`).allTextContents();
}
