import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createApiToken } from '../../packages/server/src/auth/auth.service';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoHistory } from '../../packages/server/src/seed/demo-history';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { createTestToken, gql } from '../support/api';
import { browserAvailable, openStudio, signIn, type Studio } from '../support/browser';
import { parseCsv } from '../support/csv';
import { openTestDatabase } from '../support/database';
import { analyticsParamsOf, comparisonPeriod, groupingFor } from '../../studio/src/pages/Analytics/analyticsParams';

const run = browserAvailable();
const TODAY = new Date().toISOString().slice(0, 10);
/** Last calendar month: an ended period, which a settlement may close. */
const LAST_MONTH = (() => {
  const first = new Date(`${TODAY.slice(0, 7)}-01T00:00:00Z`);
  const last = new Date(first.getTime() - 86_400_000);
  return { from: `${last.toISOString().slice(0, 7)}-01`, to: last.toISOString().slice(0, 10) };
})();
const FROM = (() => {
  const d = new Date(`${TODAY.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 5);
  return d.toISOString().slice(0, 10);
})();
const FILTER = { from: FROM, to: TODAY, currency: 'EUR' };
const PERIOD = `from=${FROM}&to=${TODAY}`;

const CONTACTS = `query ($filter: AnalyticsFilter!, $groupBy: AnalyticsGroupBy) {
  analyticsContacts(filter: $filter, groupBy: $groupBy, first: 100) { rows {
    group { key label } contacts reached reachPercent promisesObtained contactsPerPromise
    byChannel { key contacts reached reachPercent } byResult { key contacts reached reachPercent } } } }`;
const DISPUTES = `query ($filter: AnalyticsFilter!, $granularity: AnalyticsGranularity) {
  analyticsDisputes(filter: $filter, granularity: $granularity) { series {
    byRootCause { key count amount averageDaysToResolve }
    buckets { start end opened openedAmount resolved resolvedAmount averageDaysToResolve openAtEnd disputedAmountAtEnd } } } }`;
const WORKLISTS = `query ($filter: AnalyticsFilter!) {
  analyticsWorklists(filter: $filter, first: 500) { rows { runId asOf segment partners bands { priority partners amountToBeCollected completed reassigned } } } }`;
const COMMISSION = `query ($filter: AnalyticsFilter!, $withinDays: Int) {
  analyticsCommission(filter: $filter, withinDays: $withinDays) { rule total lines { specialist { key label } partners payments amount } } }`;
const SETTLEMENTS = `{ commissionSettlements { from to lines { specialist { key label } partners payments amount } } }`;
const CLOSE = `mutation ($from: Date!, $to: Date!) { closeCommissionSettlement(from: $from, to: $to, currency: "EUR", withinDays: 30) { id } }`;
const KPI = `query ($filter: AnalyticsFilter!) { analyticsKpis(filter: $filter, granularity: MONTH) { series { buckets { start days dsoAverage } } } }`;

/** A value as the CSV writes it: null as the empty cell, numbers as their text. */
const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/**
 * The analytics tabs (issue 20) on a generated history: each tab draws its charts with figures,
 * CSV exports hold exactly the API's rows for the page's variables, the tabs and filters live in
 * the URL, a SPECIALIST gets no group or specialist choice and only their figures, a SUPERVISOR
 * token with groups is offered only those groups, an ADMIN closes and exports a settlement.
 */
describe.skipIf(!run)('studio in Chromium: analytics tabs', () => {
  let db: Database;
  let studio: Studio;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoHistory(db, { partners: 400, months: 7, asOf: TODAY, seed: 11 });
    await runWorklists(db, { asOf: TODAY, mode: 'LIVE' });
    studio = await openStudio(db, { width: 1280 });
  }, 300_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  async function api(query: string, variables: Record<string, unknown>, token = studio.token): Promise<any> {
    const { data, errors } = await gql(studio.app.url, query, variables, token);
    expect(errors).toBeUndefined();
    return data;
  }

  async function downloadedCsv(page: Page, button: string): Promise<string[][]> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
    return parseCsv(await readFile(await download.path(), 'utf8'));
  }

  const card = (name: string) => studio.page.getByRole('region', { name });

  async function shoot(name: string): Promise<void> {
    // From the top: the sticky sidebar is drawn where the page is scrolled to.
    await studio.page.evaluate('window.scrollTo(0, 0)');
    await studio.page.setViewportSize({ width: 1280, height: 900 });
    await studio.screenshot(`${name}-1280`);
    await studio.page.setViewportSize({ width: 1440, height: 900 });
    await studio.screenshot(`${name}-1440`);
  }

  it('compares the KPI tiles like for like: the partial month with the same days of the month before', async () => {
    const { page } = studio;
    await page.goto(`${studio.app.url}/analytics?${PERIOD}`);
    const buckets = (await api(KPI, { filter: FILTER })).analyticsKpis.series[0].buckets;
    const latest = buckets.at(-1);
    const monthDays = new Date(Date.UTC(Number(latest.start.slice(0, 4)), Number(latest.start.slice(5, 7)), 0)).getUTCDate();
    const previousStart = buckets.at(-2).start;
    const previousDays = new Date(Date.UTC(Number(previousStart.slice(0, 4)), Number(previousStart.slice(5, 7)), 0)).getUTCDate();
    const to = latest.days < monthDays ? `${previousStart.slice(0, 8)}${String(Math.min(latest.days, previousDays)).padStart(2, '0')}` : buckets.at(-2).end;
    const compared = (await api(KPI, { filter: { ...FILTER, from: previousStart, to } })).analyticsKpis.series[0].buckets[0];
    const trend = page.getByTestId('kpi-dsoAverage-trend');
    await expect.poll(() => trend.textContent(), { timeout: 30_000 }).toMatch(/vs /);
    const text = (await trend.textContent())!;
    if (latest.days < monthDays) expect(text).toContain(`vs ${previousStart} – ${to.slice(5)} (same ${latest.days} days)`);
    else expect(text).toContain('(whole month)');
    if (latest.dsoAverage !== null && compared.dsoAverage !== null) {
      const delta = Math.round(Number(latest.dsoAverage) * 100 - Number(compared.dsoAverage) * 100) / 100;
      expect(
        Number(
          text
            .replace(/^[^\d-]*/, '')
            .split(' ')[0]!
            .replace(/[^\d.-]/g, ''),
        ),
      ).toBe(Math.abs(delta) === delta ? delta : -Math.abs(delta));
    }
    // The tile names the span it shows (today's month so far).
    expect(await page.getByLabel('DSO tile').textContent()).toContain(
      latest.days < monthDays ? `${latest.days} of ${monthDays} days` : latest.start.slice(0, 7),
    );
  });

  it('draws the contacts tab and exports by channel and by unit exactly as the API answers', async () => {
    const { page } = studio;
    await page.goto(`${studio.app.url}/analytics?tab=contacts&${PERIOD}`);
    const total = (await api(CONTACTS, { filter: FILTER, groupBy: null })).analyticsContacts.rows[0];
    expect(total.contacts).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('contacts-total').textContent(), { timeout: 30_000 }).toBe(total.contacts.toLocaleString('en-US'));
    await expect.poll(() => card('Contacts by channel').locator('.recharts-bar-rectangle path').count()).toBeGreaterThan(0);
    await expect.poll(() => card('Contacts by result').locator('.recharts-bar-rectangle path').count()).toBeGreaterThan(0);
    await expect.poll(() => card('Contacts by unit').locator('tbody tr').count()).toBeGreaterThan(1);

    expect(await downloadedCsv(page, 'CSV of Contacts by channel')).toEqual([
      ['key', 'contacts', 'reached', 'reachPercent'],
      ...total.byChannel.map((b: any) => [cell(b.key), cell(b.contacts), cell(b.reached), cell(b.reachPercent)]),
    ]);
    const bySpecialist = (await api(CONTACTS, { filter: FILTER, groupBy: 'SPECIALIST' })).analyticsContacts.rows;
    expect(await downloadedCsv(page, 'CSV of Contacts by unit')).toEqual([
      ['groupKey', 'group', 'contacts', 'reached', 'reachPercent', 'promisesObtained', 'contactsPerPromise'],
      ...bySpecialist.map((r: any) => [r.group.key, r.group.label, r.contacts, r.reached, r.reachPercent, r.promisesObtained, r.contactsPerPromise].map(cell)),
    ]);
    expect(await page.getByRole('alert').count()).toBe(0);
    await shoot('analytics-contacts');
  });

  it('draws the disputes tab and exports the series and root causes exactly as the API answers', async () => {
    const { page } = studio;
    await page.goto(`${studio.app.url}/analytics?tab=disputes&${PERIOD}`);
    const series = (await api(DISPUTES, { filter: FILTER, granularity: 'MONTH' })).analyticsDisputes.series[0];
    const opened = series.buckets.reduce((n: number, b: any) => n + b.opened, 0);
    expect(opened).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('disputes-opened').textContent(), { timeout: 30_000 }).toBe(opened.toLocaleString('en-US'));
    await expect.poll(() => card('Disputes over time').locator('.recharts-bar-rectangle path').count()).toBeGreaterThan(0);
    expect(await card('Disputes over time').locator('.recharts-line-curve').count()).toBe(1);
    await expect.poll(() => card('Disputes by unit').locator('tbody tr').count()).toBeGreaterThan(0);

    expect(await downloadedCsv(page, 'CSV of Disputes over time')).toEqual([
      ['start', 'end', 'opened', 'openedAmount', 'resolved', 'resolvedAmount', 'averageDaysToResolve', 'openAtEnd', 'disputedAmountAtEnd'],
      ...series.buckets.map((b: any) =>
        [b.start, b.end, b.opened, b.openedAmount, b.resolved, b.resolvedAmount, b.averageDaysToResolve, b.openAtEnd, b.disputedAmountAtEnd].map(cell),
      ),
    ]);
    expect(await downloadedCsv(page, 'CSV of Resolved by root cause')).toEqual([
      ['key', 'count', 'amount', 'averageDaysToResolve'],
      ...series.byRootCause.map((r: any) => [r.key, r.count, r.amount, r.averageDaysToResolve].map(cell)),
    ]);
    expect(await page.getByRole('alert').count()).toBe(0);
    await shoot('analytics-disputes');
  });

  it('draws the worklists tab and exports partners per run and band exactly as the API answers', async () => {
    const { page } = studio;
    await page.goto(`${studio.app.url}/analytics?tab=worklists&${PERIOD}`);
    const rows = (await api(WORKLISTS, { filter: FILTER })).analyticsWorklists.rows;
    expect(rows.length).toBeGreaterThan(0);
    const partners = rows.reduce((n: number, r: any) => n + r.partners, 0);
    await expect.poll(() => page.getByTestId('worklists-partners').textContent(), { timeout: 30_000 }).toBe(partners.toLocaleString('en-US'));
    expect(await page.getByLabel('Partners on the lists tile').textContent()).toContain(`in ${rows.length} live run`);
    await expect.poll(() => card('Partners on the list per run and band').locator('.recharts-bar-rectangle path').count()).toBeGreaterThan(0);
    await expect
      .poll(() => card('Share worked within 1, 3 and 7 days').locator('.recharts-legend-item').allTextContents())
      .toEqual(['Within 1 day', 'Within 3 days', 'Within 7 days']);
    await expect.poll(() => card('Work by unit').locator('tbody tr').count()).toBeGreaterThan(0);

    const sorted = [...rows].sort((a: any, b: any) => a.asOf.localeCompare(b.asOf) || a.segment.localeCompare(b.segment));
    expect(await downloadedCsv(page, 'CSV of Partners on the list per run and band')).toEqual([
      ['runId', 'asOf', 'segment', 'priority', 'partners', 'amountToBeCollected', 'completed', 'reassigned'],
      ...sorted.flatMap((r: any) =>
        r.bands.map((b: any) => [r.runId, r.asOf, r.segment, b.priority, b.partners, b.amountToBeCollected, b.completed, b.reassigned].map(cell)),
      ),
    ]);
    expect(await page.getByRole('alert').count()).toBe(0);
    await shoot('analytics-worklists');
  });

  it('shows what was collected on worked partners with its rule, closes an ended month once and exports it', async () => {
    const { page } = studio;
    await page.goto(`${studio.app.url}/analytics?tab=commission&${PERIOD}&withinDays=30`);
    const report = (await api(COMMISSION, { filter: FILTER, withinDays: 30 })).analyticsCommission;
    expect(report.lines.length).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('commission-rule').textContent(), { timeout: 30_000 }).toBe(`Rule: ${report.rule}`);
    await expect.poll(() => card('Collected on worked partners').locator('tbody tr').count()).toBe(report.lines.length);
    expect(await downloadedCsv(page, 'CSV of Collected on worked partners')).toEqual([
      ['specialistId', 'specialist', 'partners', 'payments', 'amount'],
      ...report.lines.map((l: any) => [l.specialist.key, l.specialist.label, l.partners, l.payments, l.amount].map(cell)),
    ]);
    // Per month (one query): the same lines as the report asked once per calendar month of the period.
    const months = Array.from({ length: 6 }, (_, i) => {
      const start = new Date(`${FROM}T00:00:00Z`);
      start.setUTCMonth(start.getUTCMonth() + i);
      const end = new Date(start);
      end.setUTCMonth(end.getUTCMonth() + 1);
      end.setUTCDate(0);
      const to = end.toISOString().slice(0, 10);
      return { from: start.toISOString().slice(0, 10), to: to > TODAY ? TODAY : to };
    });
    const perMonth = await Promise.all(
      months.map(async (m) => ({ ...m, lines: (await api(COMMISSION, { filter: { ...FILTER, ...m }, withinDays: 30 })).analyticsCommission.lines })),
    );
    expect(perMonth.some((m) => m.lines.length > 0)).toBe(true);
    await expect.poll(() => card('Collected per month').locator('.recharts-bar-rectangle path').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await downloadedCsv(page, 'CSV of Collected per month')).toEqual([
      ['from', 'to', 'specialistId', 'specialist', 'partners', 'payments', 'amount'],
      ...perMonth.flatMap((m) => m.lines.map((l: any) => [m.from, m.to, l.specialist.key, l.specialist.label, l.partners, l.payments, l.amount].map(cell))),
    ]);
    await expect.poll(() => card('Closed settlements').textContent()).toContain('No settlement closed yet');

    // The period runs to today: not offered (the server refuses it too), the last month is one click away.
    const closing = page.getByRole('region', { name: 'Close settlement' });
    await expect.poll(() => closing.getByTestId('settlement-not-ended').textContent()).toContain(`The period runs to ${TODAY}`);
    expect(await closing.getByRole('button', { name: 'Close settlement…' }).count()).toBe(0);
    const unended = await gql(studio.app.url, CLOSE, { from: FROM, to: TODAY }, studio.token);
    expect(unended.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PERIOD_NOT_ENDED' });
    await closing.getByRole('button', { name: /^Show last month/ }).click();
    await expect
      .poll(() => [new URL(page.url()).searchParams.get('from'), new URL(page.url()).searchParams.get('to')])
      .toEqual([LAST_MONTH.from, LAST_MONTH.to]);
    const lastMonth = (await api(COMMISSION, { filter: { ...FILTER, ...LAST_MONTH }, withinDays: 30 })).analyticsCommission;

    await closing.getByRole('button', { name: 'Close settlement…' }).click();
    await closing.getByRole('button', { name: 'Close it' }).click();
    await expect.poll(() => closing.getByRole('status').textContent(), { timeout: 30_000 }).toContain(`Closed ${LAST_MONTH.from} – ${LAST_MONTH.to}`);
    await expect.poll(() => card('Closed settlements').locator('tbody tr').count()).toBe(1);
    const closed = (await api(SETTLEMENTS, {})).commissionSettlements[0];
    expect(closed.lines).toEqual(lastMonth.lines);
    expect(await downloadedCsv(page, `CSV of settlement ${LAST_MONTH.from} – ${LAST_MONTH.to}`)).toEqual([
      ['specialistId', 'specialist', 'partners', 'payments', 'amount'],
      ...closed.lines.map((l: any) => [l.specialist.key, l.specialist.label, l.partners, l.payments, l.amount].map(cell)),
    ]);
    // Closed: no longer offered; the server refuses the same period again (CONFLICT), nothing else is stored.
    await expect.poll(() => closing.getByTestId('settlement-closed').textContent()).toContain(`Closed: settlement ${LAST_MONTH.from} – ${LAST_MONTH.to}`);
    expect(await closing.getByRole('button', { name: 'Close settlement…' }).count()).toBe(0);
    await shoot('analytics-commission');
    expect((await gql(studio.app.url, CLOSE, LAST_MONTH, studio.token)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await api(SETTLEMENTS, {})).commissionSettlements).toHaveLength(1);
  });

  it('keeps the tab, strategy, grouping and commission rule in the URL across a reload', async () => {
    const { page } = studio;
    await page.goto(`${studio.app.url}/analytics?${PERIOD}`);
    const strategies = page.getByLabel('Strategy', { exact: true });
    await expect.poll(() => strategies.locator('option').count(), { timeout: 30_000 }).toBeGreaterThan(1);
    const strategy = (await strategies.locator('option').nth(1).getAttribute('value')) ?? '';
    expect(strategy).not.toBe('');
    await strategies.selectOption(strategy);
    await page.getByLabel('Group by').selectOption('SEGMENT');
    await page.getByRole('tab', { name: 'Contacts' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('tab')).toBe('contacts');
    const search = new URL(page.url()).searchParams;
    expect([search.get('strategy'), search.get('groupBy'), search.get('from'), search.get('to')]).toEqual([strategy, 'SEGMENT', FROM, TODAY]);

    await page.reload();
    await page.getByRole('form', { name: 'Analytics filters' }).waitFor();
    expect(await page.getByLabel('Strategy', { exact: true }).inputValue()).toBe(strategy);
    expect(await page.getByLabel('Group by').inputValue()).toBe('SEGMENT');
    // The address changes before the tabs render it: polled.
    await expect.poll(() => page.getByRole('tab', { name: 'Contacts' }).getAttribute('aria-selected')).toBe('true');
    // The chart's query carries the URL's filters.
    await page.getByRole('button', { name: 'GraphQL of Contacts by unit' }).click();
    const shown = (await page.getByLabel('Query of Contacts by unit').textContent())!;
    expect(JSON.parse(shown.slice(shown.indexOf('# variables') + '# variables'.length))).toEqual({ filter: { ...FILTER, strategy }, groupBy: 'SEGMENT' });
    await expect.poll(() => card('Contacts by unit').locator('thead th').first().textContent(), { timeout: 30_000 }).toBe('Segment');

    await page.getByRole('tab', { name: 'Commission' }).click();
    const within = page.getByLabel('Payments count within (days)');
    await within.fill('21');
    await within.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('withinDays')).toBe('21');
    await page.reload();
    expect(await page.getByLabel('Payments count within (days)').inputValue()).toBe('21');
    expect(new URL(page.url()).searchParams.get('strategy')).toBe(strategy);
  });

  it('gives a SPECIALIST no group or specialist choice and only their own figures, whatever the address says', async () => {
    const { page } = studio;
    const bySpecialist = (await api(CONTACTS, { filter: FILTER, groupBy: 'SPECIALIST' })).analyticsContacts.rows.filter((r: any) => r.group.key !== null);
    expect(bySpecialist.length).toBeGreaterThan(1);
    const [own, other] = bySpecialist;
    await page.goto('about:blank');
    // A shared link naming another specialist and grouping by specialist: both are dropped.
    await signIn(
      page,
      studio.app.url,
      await createTestToken(db, 'SPECIALIST', own.group.key),
      `/analytics?tab=contacts&${PERIOD}&specialist=${other.group.key}&groupBy=GROUP`,
    );
    await page.getByRole('form', { name: 'Analytics filters' }).waitFor();
    await expect.poll(() => page.getByTestId('contacts-total').textContent(), { timeout: 30_000 }).toBe(own.contacts.toLocaleString('en-US'));
    const filters = page.getByRole('form', { name: 'Analytics filters' });
    expect(await filters.getByLabel('Specialist', { exact: true }).count()).toBe(0);
    expect(await filters.getByLabel('Group', { exact: true }).count()).toBe(0);
    const groupings = await filters.getByLabel('Group by').locator('option').allTextContents();
    expect(groupings).not.toContain('Specialist');
    expect(groupings).not.toContain('Collection group');
    const table = card('Contacts by unit').locator('tbody tr');
    await expect.poll(() => table.count()).toBe(1);
    expect(await table.locator('th').textContent()).toBe(own.group.label);
    expect(await page.getByRole('alert').count()).toBe(0);

    await page.getByRole('tab', { name: 'Commission' }).click();
    await page.getByRole('region', { name: 'Collected on worked partners' }).waitFor();
    await expect.poll(() => page.getByTestId('commission-total').textContent(), { timeout: 30_000 }).toMatch(/\d/);
    const lines = card('Collected on worked partners').locator('tbody tr');
    expect(await lines.count()).toBeLessThanOrEqual(1);
    if ((await lines.count()) === 1) expect(await lines.locator('th').textContent()).toBe(own.group.label);
    // Settlements are ADMIN and SUPERVISOR business.
    expect(await page.getByRole('region', { name: 'Closed settlements' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Close settlement' }).count()).toBe(0);
    await shoot('analytics-specialist-commission');
  });

  it('offers a SUPERVISOR with collection groups only those groups', async () => {
    const { page } = studio;
    const groups: Array<{ key: string }> = (await api(`{ collectionGroups { key } }`, {})).collectionGroups;
    expect(groups.length).toBeGreaterThan(1);
    const mine = groups[0]!.key;
    const { token } = await createApiToken(db, { name: 'sup-analytics', role: 'SUPERVISOR', groups: [mine] });
    await page.goto('about:blank');
    await signIn(page, studio.app.url, token, `/analytics?${PERIOD}`);
    const group = page.getByRole('form', { name: 'Analytics filters' }).getByLabel('Group', { exact: true });
    await expect
      .poll(async () => (await group.locator('option').evaluateAll((os) => os.map((o) => o.getAttribute('value') ?? ''))).join(','), { timeout: 30_000 })
      .toBe(`,${mine}`);
    // The specialists offered are those of the group.
    const specialists: Array<{ id: string; group: string | null }> = (await api(`{ specialists { id group } }`, {})).specialists;
    const offered = await page
      .getByLabel('Specialist', { exact: true })
      .locator('option')
      .evaluateAll((os) => os.map((o) => o.getAttribute('value') ?? '').filter(Boolean));
    expect(offered.sort()).toEqual(
      specialists
        .filter((s) => s.group === mine)
        .map((s) => s.id)
        .sort(),
    );
    // Settlements: a SUPERVISOR reads them and closes their groups' one.
    await page.getByRole('tab', { name: 'Commission' }).click();
    await page.getByRole('region', { name: 'Closed settlements' }).waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Close settlement' }).textContent()).toContain(`your groups’ (${mine})`);
  });
});

/** The page's URL state and tile comparison, without a browser. */
describe('analytics URL and like-for-like comparison', () => {
  it('reads every filter of the address and drops what is malformed or not the role’s', () => {
    const search = new URLSearchParams(
      'tab=disputes&from=2026-01-01&to=2026-03-31&currency=usd&segment=B2B&strategy=S1&group=G1&specialist=7&groupBy=SPECIALIST&granularity=WEEK&withinDays=21',
    );
    expect(analyticsParamsOf(search)).toEqual({
      tab: 'disputes',
      filter: { from: '2026-01-01', to: '2026-03-31', currency: 'USD', companyCode: undefined, segment: 'B2B', strategy: 'S1', group: 'G1', specialist: '7' },
      granularity: 'WEEK',
      groupBy: 'SPECIALIST',
      withinDays: 21,
    });
    const specialist = analyticsParamsOf(search, { specialist: true });
    expect([specialist.filter.group, specialist.filter.specialist, specialist.groupBy]).toEqual([undefined, undefined, null]);
    const odd = analyticsParamsOf(new URLSearchParams('tab=nope&groupBy=NOPE&withinDays=999&to=2026-03-31'));
    expect([odd.tab, odd.groupBy, odd.withinDays, odd.filter.from]).toEqual(['overview', null, 14, '2025-10-01']);
    expect(analyticsParamsOf(new URLSearchParams('withinDays=0')).withinDays).toBe(0);
    expect(analyticsParamsOf(new URLSearchParams('groupBy=CURRENCY')).groupBy).toBe('CURRENCY');
  });

  it('compares a month cut short with the same days of the month before, a whole one with the whole month before', () => {
    expect(comparisonPeriod({ start: '2026-12-01', days: 6 }, 'MONTH')).toEqual({
      from: '2026-11-01',
      to: '2026-11-06',
      label: '2026-11-01 – 11-06 (same 6 days)',
    });
    // 30 days of March against February's 28: at most the whole previous month.
    expect(comparisonPeriod({ start: '2026-03-01', days: 30 }, 'MONTH')).toEqual({
      from: '2026-02-01',
      to: '2026-02-28',
      label: '2026-02-01 – 02-28 (same 30 days)',
    });
    expect(comparisonPeriod({ start: '2026-03-01', days: 31 }, 'MONTH')).toEqual({ from: '2026-02-01', to: '2026-02-28', label: '2026-02 (whole month)' });
    expect(comparisonPeriod({ start: '2026-11-30', days: 3 }, 'WEEK')).toEqual({
      from: '2026-11-23',
      to: '2026-11-25',
      label: '2026-11-23 – 11-25 (same 3 days)',
    });
    expect(comparisonPeriod({ start: '2026-11-30', days: 7 }, 'WEEK')?.label).toBe('2026-11-23 (whole week)');
  });

  it('groups a report by the chosen grouping only where the report offers it', () => {
    expect(groupingFor('SEGMENT', ['SEGMENT', 'GROUP'], 'GROUP')).toEqual({ groupBy: 'SEGMENT', note: null });
    expect(groupingFor(null, ['SEGMENT'], 'SEGMENT')).toEqual({ groupBy: 'SEGMENT', note: null });
    expect(groupingFor('LEVEL', ['SEGMENT'], 'SEGMENT')).toEqual({ groupBy: 'SEGMENT', note: 'this report cannot be grouped by promise level' });
  });
});
