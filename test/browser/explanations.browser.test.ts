/**
 * Issue 17, explanations in words: the customer 360's "Why this priority" and the worklist panel
 * tell every rule as a sentence (the demo strategy's `not` rule as "Not contacted (reached) in the
 * last 30 days", amounts formatted, no engine operator names or raw floats), and neither the Why
 * card, the page nor the "Still to be collected" figure overflows at 1280 and 1440 px.
 * Screenshots explanations-* in test-results/screenshots.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { createApiToken } from '../../packages/server/src/auth/auth.service';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { DEMO_STRATEGY } from '../../packages/server/src/seed/demo-strategy';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { browserAvailable, openStudio, SCREENSHOTS, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();
const AS_OF = new Date().toISOString().slice(0, 10);
const WIDTHS = [1280, 1440];
/** What the explanations used to show: engine operator names and unrounded floats. */
const ENGINE_TERMS = /lessThan|greaterThan|notEqual|doesNotContain|\d\.\d{3,}|\{"/;

interface Overflow {
  /** document.scrollingElement.scrollWidth - innerWidth: > 0 when the page scrolls sideways. */
  page: number;
  /** scrollWidth - clientWidth of the measured element: > 0 when its content is cut or runs out. */
  element: number;
}

/** How far the page and the element matched by `selector` overflow (run in the page). */
async function overflowOf(page: Page, selector: string): Promise<Overflow> {
  return page.evaluate<Overflow>(`(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    if (!el) throw new Error('nothing matches ${selector}');
    return { page: document.scrollingElement.scrollWidth - window.innerWidth, element: el.scrollWidth - el.clientWidth };
  })()`);
}

/** Each rule's json-rules-engine verdict (data-fired) next to what its sentence claims (data-holds of its root). */
async function firedAndClaimed(page: Page, scope: string): Promise<Array<[string | null, string | null]>> {
  return page.evaluate<Array<[string | null, string | null]>>(`[...document.querySelectorAll(${JSON.stringify(`${scope} .rule-words-rule`)})].map((r) => [
    r.getAttribute('data-fired'),
    r.querySelector(':scope > .rule-words-conds > li')?.getAttribute('data-holds') ?? null,
  ])`);
}

describe.skipIf(!run)('studio in Chromium: explanations in words', () => {
  let db: Database;
  let studio: Studio;
  let partner: { id: string; name: string; specialist_id: string };

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 300, seed: 5, asOf: AS_OF });
    await runWorklists(db, { asOf: AS_OF, mode: 'LIVE' });
    // A partner on a live list, with a specialist, overdue, reached once but not in the last 30 days:
    // the demo strategy's rule "Not reached for 30 days" (all: overdue, not: reached within 30) fires.
    [partner] = await db.dataSource.query(
      `SELECT p.id::text AS id, p.name, w.specialist_id::text AS specialist_id
         FROM partners p JOIN worklist_items w ON w.partner_id = p.id JOIN collection_segments s ON s.live_run_id = w.run_id
        WHERE w.specialist_id IS NOT NULL AND w.amount_overdue > 0
          AND EXISTS (SELECT 1 FROM contacts c WHERE c.partner_id = p.id AND c.reached AND c.contact_date < $1::date - 30)
          AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.partner_id = p.id AND c.reached AND c.contact_date >= $1::date - 30 AND c.contact_date <= $1::date)
        ORDER BY w.amount_to_be_collected DESC, p.id LIMIT 1`,
      [AS_OF],
    );
    expect(partner).toBeTruthy();
    studio = await openStudio(db);
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  it.each(WIDTHS)("the 360's Why card tells each rule in words and fits the page at %i px", async (width) => {
    const page = await (await studio.browser.newContext({ viewport: { width, height: 900 }, locale: 'en-US' })).newPage();
    await signIn(page, studio.app.url, studio.token, `/customers/${partner.id}`);
    const why = page.getByRole('region', { name: 'Why' });
    await why.locator('.rule-words-rule').first().waitFor();

    const notRule = why.locator('.rule-words-rule', { hasText: 'Not reached for 30 days' });
    await expect(notRule.getAttribute('data-fired')).resolves.toBe('true');
    const negated = notRule.locator('.rule-words-conds li:not(:has(ul))', { hasText: 'Not contacted (reached) in the last 30 days' });
    await expect(negated.getAttribute('data-holds')).resolves.toBe('true');
    expect(await negated.locator('.rule-words-text').textContent()).toMatch(
      /^Not contacted \(reached\) in the last 30 days: last reached [\d,]+ days ago \(holds\)$/,
    );
    // Every rule, fired and not, has its sentences; the text has no engine terms.
    const verdicts = await firedAndClaimed(page, '.work-explain');
    expect(verdicts).toHaveLength(DEMO_STRATEGY.rules.length);
    for (const [fired, claimed] of verdicts) expect(claimed).toBe(fired);
    const text = (await why.textContent()) ?? '';
    expect(text).not.toMatch(ENGINE_TERMS);
    expect(text.replace(/\u00a0/g, ' ')).toMatch(/Amount to be collected is at least EUR 1,000\.00: EUR [\d,]+\.\d\d/);

    const overflow = await overflowOf(page, '.work-explain');
    expect(overflow.element).toBeLessThanOrEqual(0);
    expect(overflow.page).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, `explanations-360-${width}.png`), fullPage: true });
    await page.context().close();
  });

  it.each(WIDTHS)('the worklist panel folds the same sentences and keeps "Still to be collected" whole at %i px', async (width) => {
    const { token } = await createApiToken(db, { name: `browser-words-${width}`, role: 'SPECIALIST', specialistId: partner.specialist_id });
    const page = await (await studio.browser.newContext({ viewport: { width, height: 900 }, locale: 'en-US' })).newPage();
    await signIn(page, studio.app.url, token, '/worklists/mine');
    await page.getByRole('heading', { name: 'My worklist' }).waitFor();
    await page.locator(`tr.work-row-item[data-partner="${partner.id}"]`).click();
    const panel = page.locator('.work-panel');
    await panel.locator('.work-why summary').click();
    const negated = panel.locator('.work-why .rule-words-conds li:not(:has(ul))', { hasText: 'Not contacted (reached) in the last 30 days' });
    await expect(negated.getAttribute('data-holds')).resolves.toBe('true');
    expect((await panel.locator('.work-why').textContent()) ?? '').not.toMatch(ENGINE_TERMS);
    for (const [fired, claimed] of await firedAndClaimed(page, '.work-why')) expect(claimed).toBe(fired);

    await page.getByTestId('still-to-collect').locator('.money').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, `explanations-worklist-panel-${width}.png`), fullPage: true });
    const figure = await overflowOf(page, '.figure:has([data-testid="still-to-collect"])');
    const label = await overflowOf(page, '.figure:has([data-testid="still-to-collect"]) .figure-label');
    const value = await overflowOf(page, '[data-testid="still-to-collect"]');
    const panelBox = await overflowOf(page, '.work-panel');
    const past = (n: number) => Math.max(0, n);
    // Pixels past the edge, each named so a failure says which.
    expect({
      figure: past(figure.element),
      label: past(label.element),
      value: past(value.element),
      panel: past(panelBox.element),
      page: past(figure.page),
    }).toEqual({
      figure: 0,
      label: 0,
      value: 0,
      panel: 0,
      page: 0,
    });
    await page.context().close();
  });

  it("the strategy preview's opened partner reads the same way", async () => {
    const page = await (await studio.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
    await signIn(page, studio.app.url, studio.token, '/strategies/TELCO_STANDARD');
    await page.locator('.preview-top button.preview-top-line').first().click();
    const words = page.locator('.preview-why-words');
    await words.locator('.rule-words-rule').first().waitFor();
    const verdicts = await firedAndClaimed(page, '.preview-why-words');
    expect(verdicts).toHaveLength(DEMO_STRATEGY.rules.length);
    for (const [fired, claimed] of verdicts) expect(claimed).toBe(fired);
    expect((await words.textContent()) ?? '').not.toMatch(ENGINE_TERMS);
    await words.getByLabel('Fact values').locator('dt', { hasText: 'Days overdue (oldest item)' }).waitFor();
    expect((await overflowOf(page, '.strat-preview')).element).toBeLessThanOrEqual(0);
    await words.locator('.rule-words-rule').nth(6).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'explanations-preview-1440.png') });
    await page.context().close();
  });
});
