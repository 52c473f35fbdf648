import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoHistory } from '../../packages/server/src/seed/demo-history';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { createTestToken, gql } from '../support/api';
import { browserAvailable, openStudio, signIn, type Studio } from '../support/browser';
import { parseCsv } from '../support/csv';
import { openTestDatabase } from '../support/database';

/** A full-page screenshot from the top: the sticky sidebar is drawn where the page is scrolled to. */
async function screenshotFromTop(studio: Studio, name: string): Promise<void> {
  await studio.page.evaluate('window.scrollTo(0, 0)');
  await studio.screenshot(name);
}

const run = browserAvailable();
const TODAY = new Date().toISOString().slice(0, 10);
/** Six whole months up to today: the page's default period, given explicitly so the test knows the variables. */
const FROM = (() => {
  const d = new Date(`${TODAY.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 5);
  return d.toISOString().slice(0, 10);
})();

const KPIS = `query ($filter: AnalyticsFilter!, $granularity: AnalyticsGranularity) {
  analyticsKpis(filter: $filter, granularity: $granularity) {
    ageingBuckets series { buckets { start end dsoAverage dsoCountBack add cei ageing { bucket amount } } } } }`;
const SPECIALISTS = `query ($filter: AnalyticsFilter!, $granularity: AnalyticsGranularity) {
  analyticsPromises(filter: $filter, groupBy: SPECIALIST, first: 100) { rows {
    group { key label } made { count } kept { count } partiallyKept { count } broken { count } keptPercent promisedAmount paidAmount } }
  analyticsKpis(filter: $filter, granularity: $granularity, groupBy: SPECIALIST, first: 100) { series { group { key } buckets { start cei } } } }`;
const PROMISES = `query ($filter: AnalyticsFilter!) {
  analyticsPromises(filter: $filter) { rows {
    made { count amount } kept { count amount } partiallyKept { count amount } broken { count amount } open { count amount } cancelled { count amount } } } }`;

/**
 * The analytics page (issue 20) on a generated year of history: KPI tiles with their trend, the
 * KPI series, stacked ageing bars, the promise funnel and the specialist table render with
 * figures; the filters live in the URL; a chart's CSV holds exactly the rows the GraphQL query
 * answers for the same variables (amounts as the API's decimal strings).
 */
describe.skipIf(!run)('studio in Chromium: analytics', () => {
  let db: Database;
  let studio: Studio;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoHistory(db, { partners: 400, months: 7, asOf: TODAY, seed: 11 });
    // Live worklists give partners their specialists, so the specialist table has rows.
    await runWorklists(db, { asOf: TODAY, mode: 'LIVE' });
    studio = await openStudio(db, { width: 1280 });
  }, 300_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  async function api(query: string, variables: Record<string, unknown>): Promise<any> {
    const { data, errors } = await gql(studio.app.url, query, variables, studio.token);
    expect(errors).toBeUndefined();
    return data;
  }

  async function downloadedCsv(page: Page, chart: string): Promise<string[][]> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `CSV of ${chart}` }).click()]);
    return parseCsv(await readFile(await download.path(), 'utf8'));
  }

  it('shows KPI tiles, the KPI series, ageing bars, the promise funnel and specialists with figures', async () => {
    const { page } = studio;
    await page.goto(`${studio.app.url}/analytics?from=${FROM}&to=${TODAY}`);
    await page.getByRole('heading', { name: 'Analytics' }).waitFor();
    expect(await page.getByRole('link', { name: 'Analytics' }).getAttribute('aria-current')).toBe('page');

    const filter = { from: FROM, to: TODAY, currency: 'EUR' };
    const kpis = (await api(KPIS, { filter, granularity: 'MONTH' })).analyticsKpis;
    const buckets = kpis.series[0].buckets;
    expect(buckets.length).toBe(6);
    // The DSO tile: the latest month's value, as the API gives it (the reader's number format, en-US here).
    const dso = page.getByTestId('kpi-dsoAverage');
    await expect.poll(() => dso.textContent(), { timeout: 30_000 }).toMatch(/\d/);
    expect(Number((await dso.textContent())!.replace(/[^\d.-]/g, ''))).toBe(Number(buckets.at(-1).dsoAverage));
    for (const tile of ['DSO', 'ADD', 'CEI']) await expect.poll(() => page.getByLabel(`${tile} tile`).textContent()).toMatch(/vs \d{4}-\d{2}/);

    // Every chart drew marks: lines, stacked bars, bars per unit; on the Promises tab funnel bars, a table row per specialist with a sparkline.
    const card = (name: string) => page.getByRole('region', { name });
    await expect.poll(() => card('KPIs over time').locator('.recharts-line-curve').count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => card('Open items by ageing').locator('.recharts-bar-rectangle path').count()).toBeGreaterThanOrEqual(6);
    await expect.poll(() => card('Open items by unit').locator('tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await screenshotFromTop(studio, 'analytics-1280');

    await page.getByRole('tab', { name: 'Promises' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('tab')).toBe('promises');
    // The address changes before the tabs render it: polled.
    await expect.poll(() => page.getByRole('tab', { name: 'Promises' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => card('Promise funnel').locator('.recharts-bar-rectangle path').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(() => card('Specialists').locator('tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(1);
    expect(await card('Specialists').locator('.analytics-sparkline .recharts-line-curve').count()).toBeGreaterThan(0);
    await expect.poll(() => card('Promises by unit').locator('tbody tr').count()).toBeGreaterThan(0);
    await screenshotFromTop(studio, 'analytics-promises-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshotFromTop(studio, 'analytics-promises-1440');
    await page.getByRole('tab', { name: 'Overview' }).click();
    await expect.poll(() => card('KPIs over time').locator('.recharts-line-curve').count(), { timeout: 30_000 }).toBe(3);
    await screenshotFromTop(studio, 'analytics-1440');
  });

  it('keeps the filters in the URL and exports exactly the GraphQL rows of the same variables as CSV', async () => {
    const { page } = studio;
    await page.getByLabel('Per').selectOption('WEEK');
    await expect.poll(() => new URL(page.url()).searchParams.get('granularity')).toBe('WEEK');
    await page.getByLabel('Segment').selectOption('CONSUMER');
    await expect.poll(() => new URL(page.url()).searchParams.get('segment')).toBe('CONSUMER');
    const search = new URL(page.url()).searchParams;
    expect([search.get('from'), search.get('to')]).toEqual([FROM, TODAY]);

    // A reload of the shared address shows the same view.
    await page.reload();
    await page.getByRole('form', { name: 'Analytics filters' }).waitFor();
    expect(await page.getByLabel('Segment').inputValue()).toBe('CONSUMER');
    expect(await page.getByLabel('Per').inputValue()).toBe('WEEK');
    await expect
      .poll(() => page.getByRole('region', { name: 'Open items by ageing' }).locator('.recharts-bar-rectangle path').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);

    const variables = { filter: { from: FROM, to: TODAY, currency: 'EUR', segment: 'CONSUMER' }, granularity: 'WEEK' };
    const kpis = (await api(KPIS, variables)).analyticsKpis;
    const ageing = await downloadedCsv(page, 'Open items by ageing');
    expect(ageing[0]).toEqual(['start', 'end', ...kpis.ageingBuckets]);
    expect(ageing.slice(1)).toEqual(
      kpis.series[0].buckets.map((b: any) => [
        b.start,
        b.end,
        ...kpis.ageingBuckets.map((n: string) => b.ageing.find((a: any) => a.bucket === n)?.amount ?? '0'),
      ]),
    );
    expect(ageing.length).toBeGreaterThan(20); // weeks of a six-month period
    // Amounts are the API's decimal strings (compared above), not numbers formatted for the chart.
    const amounts = ageing.slice(1).flatMap((r) => r.slice(2));
    expect(amounts.every((a) => /^-?\d+(\.\d+)?$/.test(a))).toBe(true);
    expect(amounts.some((a) => Number(a) > 0)).toBe(true);

    const kpiCsv = await downloadedCsv(page, 'KPIs over time');
    expect(kpiCsv).toEqual([
      ['start', 'end', 'dsoAverage', 'dsoCountBack', 'add', 'cei'],
      ...kpis.series[0].buckets.map((b: any) => [b.start, b.end, b.dsoAverage ?? '', b.dsoCountBack ?? '', b.add ?? '', b.cei ?? '']),
    ]);

    // Another tab keeps every filter of the address.
    await page.getByRole('tab', { name: 'Promises' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('tab')).toBe('promises');
    expect(new URL(page.url()).searchParams.get('segment')).toBe('CONSUMER');
    expect(new URL(page.url()).searchParams.get('granularity')).toBe('WEEK');
    await expect
      .poll(() => page.getByRole('region', { name: 'Promise funnel' }).locator('.recharts-bar-rectangle path').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const promises = (await api(PROMISES, { filter: variables.filter })).analyticsPromises.rows[0];
    const funnel = await downloadedCsv(page, 'Promise funnel');
    expect(funnel).toEqual([
      ['outcome', 'count', 'amount'],
      ...['made', 'kept', 'partiallyKept', 'broken', 'open', 'cancelled'].map((k) => [k, String(promises[k].count), promises[k].amount]),
    ]);
    expect(Number(funnel[1]![1])).toBeGreaterThan(0);

    // The GraphQL button shows the chart's query with the page's variables.
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'GraphQL of Open items by ageing' }).click();
    const shown = await page.getByLabel('Query of Open items by ageing').textContent();
    expect(shown).toContain('analyticsKpis(filter: $filter, granularity: $granularity)');
    expect(JSON.parse(shown!.slice(shown!.indexOf('# variables') + '# variables'.length))).toEqual(variables);
    await screenshotFromTop(studio, 'analytics-filtered-query-1440');
  });

  it('exports the specialist table as the API answers it, and shows a SPECIALIST their own figures only', async () => {
    const { page } = studio;
    const filter = { from: FROM, to: TODAY, currency: 'EUR' };
    await page.goto(`${studio.app.url}/analytics?tab=promises&from=${FROM}&to=${TODAY}`);
    const table = page.getByRole('table', { name: 'Specialists' });
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(1);
    const data = await api(SPECIALISTS, { filter, granularity: 'MONTH' });
    const series = data.analyticsKpis.series;
    const starts: string[] = series[0].buckets.map((b: any) => b.start);
    const ceiOf = (key: string | null, start: string) => series.find((x: any) => x.group.key === key)?.buckets.find((b: any) => b.start === start)?.cei ?? '';
    const csv = await downloadedCsv(page, 'Specialists');
    expect(csv).toEqual([
      [
        'specialistId',
        'specialist',
        'made',
        'kept',
        'partiallyKept',
        'broken',
        'keptPercent',
        'promisedAmount',
        'paidAmount',
        ...starts.map((x) => `cei ${x}`),
      ],
      ...data.analyticsPromises.rows.map((r: any) => [
        r.group.key ?? '',
        r.group.label ?? '',
        String(r.made.count),
        String(r.kept.count),
        String(r.partiallyKept.count),
        String(r.broken.count),
        r.keptPercent ?? '',
        r.promisedAmount,
        r.paidAmount,
        ...starts.map((x) => ceiOf(r.group.key, x)),
      ]),
    ]);

    // A specialist's own figures only (the server's rule); the page works without the lists a specialist may not read.
    const own = data.analyticsPromises.rows.find((r: any) => r.group.key !== null);
    // A fresh page load (the same address with only a new #token would not reload the studio).
    await page.goto('about:blank');
    await signIn(page, studio.app.url, await createTestToken(db, 'SPECIALIST', own.group.key), `/analytics?tab=promises&from=${FROM}&to=${TODAY}`);
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBe(1);
    expect(await table.locator('tbody th').first().textContent()).toBe(own.group.label);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByRole('tab', { name: 'Overview' }).click();
    await expect.poll(() => page.getByTestId('kpi-cei').textContent()).toMatch(/\d/);
    expect(await page.getByRole('alert').count()).toBe(0);
    await screenshotFromTop(studio, 'analytics-specialist-1440');
  });
});
