import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Database } from '../../packages/server/src/db/database';
import { createPromises } from '../../packages/server/src/promises/promise.service';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { createTestToken } from '../support/api';
import { browserAvailable, openStudio, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();
const AS_OF = new Date().toISOString().slice(0, 10);
const IN_TEN_DAYS = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);

/**
 * What a person sees of the customer 360 and the My worklist partner panel at 1280 and 1440 px:
 * nothing scrolls or is cut sideways (amounts above all), promise rows stay one line high, the
 * kept-promise figure says what is true while promises are open, and (when axe-core is
 * installed) no serious or critical accessibility violation.
 */
describe.skipIf(!run)('studio in Chromium: the customer 360 and the partner panel at 1280 and 1440 px', () => {
  let db: Database;
  let studio: Studio;
  /** The busiest partner on a live list: most open items, with promises and dunning. */
  let busy: { partner_id: string; specialist_id: string; name: string };
  /** A partner whose only promises are open (none judged yet). */
  let promising: { partner_id: string; specialist_id: string; name: string; promises: number };

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 120, seed: 11, asOf: AS_OF });
    await runWorklists(db, { asOf: AS_OF, mode: 'LIVE' });
    [busy] = await db.dataSource.query(
      `SELECT w.partner_id::text AS partner_id, w.specialist_id::text AS specialist_id, p.name
         FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id JOIN partners p ON p.id = w.partner_id
        WHERE w.specialist_id IS NOT NULL AND EXISTS (SELECT 1 FROM promises q WHERE q.partner_id = w.partner_id)
        ORDER BY (SELECT count(*) FROM open_items i WHERE i.partner_id = w.partner_id AND i.open_amount > 0) DESC, w.partner_id LIMIT 1`,
    );
    // Two promises not yet due, on items not yet due, by a partner that never promised before (the most valued: the promises'
    // points leave it on its specialist's list).
    const [fresh] = await db.dataSource.query(
      `SELECT p.id::text AS partner_id, p.name, w.specialist_id::text AS specialist_id, array_agg(i.id::text ORDER BY i.due_date, i.id) AS items,
              min(i.currency)::text AS currency
         FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id JOIN partners p ON p.id = w.partner_id
         JOIN open_items i ON i.partner_id = p.id AND i.open_amount > 0 AND i.currency = p.currency AND i.due_date > $1::date
        WHERE w.specialist_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM promises q WHERE q.partner_id = p.id)
        GROUP BY p.id, p.name, w.specialist_id, w.valuation HAVING count(*) >= 2 ORDER BY w.valuation DESC, p.id LIMIT 1`,
      [AS_OF],
    );
    for (const itemId of fresh.items.slice(0, 2))
      await createPromises(db, {
        partnerId: fresh.partner_id,
        itemIds: [itemId],
        createdDate: AS_OF,
        promisedDate: IN_TEN_DAYS,
        amount: '1',
        currency: fresh.currency,
      });
    promising = { partner_id: fresh.partner_id, specialist_id: fresh.specialist_id, name: fresh.name, promises: 2 };
    studio = await openStudio(db);
  }, 240_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  for (const width of [1280, 1440]) {
    it(`shows the whole 360 without sideways scrolling or cut amounts (${width} px)`, async () => {
      const { page } = studio;
      await page.setViewportSize({ width, height: 900 });
      await signIn(page, studio.app.url, studio.token, `/customers/${busy.partner_id}`);
      await page.reload();
      await page.getByRole('region', { name: 'Open items', exact: true }).waitFor();
      await page.getByRole('region', { name: 'Promises', exact: true }).waitFor();
      await studio.screenshot(`ux-customer-360-${width}`);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      expect(await cutOff(page, 'main')).toEqual([]);
      // The open items' last columns are on screen, not behind a sideways scroll.
      const dunning = page.getByRole('region', { name: 'Open items', exact: true }).getByRole('columnheader', { name: 'Dunning' });
      expect(await rightEdge(dunning)).toBeLessThanOrEqual(width);
      // A promise row is one line: its actions sit beside each other.
      const heights = await page
        .getByRole('region', { name: 'Promises', exact: true })
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
      expect(heights.length).toBeGreaterThan(0);
      expect(Math.max(...heights)).toBeLessThanOrEqual(44);
      expect(await seriousA11yViolations(page)).toEqual([]);
    });

    it(`says "none due yet" while the only promises are open, in the 360 and the partner panel (${width} px)`, async () => {
      const { page } = studio;
      await page.setViewportSize({ width, height: 900 });
      await signIn(page, studio.app.url, studio.token, `/customers/${promising.partner_id}`);
      await page.reload();
      const figure = page.locator('.figure', { has: page.getByText('Kept promises', { exact: true }) });
      await figure.waitFor();
      await studio.screenshot(`ux-customer-360-promises-open-${width}`);
      expect(await figure.locator('.figure-value').innerText()).toBe('none due yet');
      expect(await figure.locator('.figure-foot').innerText()).toContain(`${promising.promises} open`);
      expect(await cutOff(page, 'main')).toEqual([]);
      // The partner panel of My worklist says the same.
      await signIn(page, studio.app.url, await createTestToken(db, 'SPECIALIST', promising.specialist_id), `/worklists/mine?partner=${promising.partner_id}`);
      await page.reload();
      const facts = page.getByRole('complementary', { name: `Partner ${promising.name}` }).locator('.work-panel-facts');
      await facts.getByText('Kept promises').waitFor();
      expect(await facts.innerText()).toContain(`Kept promises none due yet · ${promising.promises} open`);
    });

    it(`shows My worklist with the partner panel without cut amounts (${width} px)`, async () => {
      const { page } = studio;
      await page.setViewportSize({ width, height: 900 });
      await signIn(page, studio.app.url, await createTestToken(db, 'SPECIALIST', busy.specialist_id), `/worklists/mine?partner=${busy.partner_id}`);
      await page.reload();
      const panel = page.getByRole('complementary', { name: `Partner ${busy.name}` });
      await panel.getByText('Recent activity').waitFor();
      await studio.screenshot(`ux-my-worklist-panel-${width}`);
      await page.getByText('Still to be collected').waitFor();
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      expect(await cutOff(page, 'main')).toEqual([]);
      expect(await rightEdge(panel)).toBeLessThanOrEqual(width);
      expect(await seriousA11yViolations(page)).toEqual([]);
    });
  }
});

async function rightEdge(locator: { boundingBox(): Promise<{ x: number; width: number } | null> }): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not on screen');
  return box.x + box.width;
}

/**
 * Elements under `root` a person cannot read whole: boxes that scroll or clip sideways (a table
 * wider than its card, an ellipsis), and amounts outside the box that clips them.
 */
function cutOff(page: Page, root: string): Promise<string[]> {
  return page.evaluate(`(${CUT_OFF})(${JSON.stringify(root)})`);
}

/** Runs in the page (plain JavaScript: the test project has no DOM types). */
const CUT_OFF = `(selector) => {
  const name = (e) => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' "' + (e.textContent ?? '').trim().slice(0, 40) + '"';
  const cut = [];
  for (const base of document.querySelectorAll(selector)) {
    for (const e of [base, ...base.querySelectorAll('*')]) {
      // Form controls scroll their own text; a screen reader's 1 px text is meant to be unseen.
      if (!(e instanceof HTMLElement) || e.matches('input, select, textarea, option') || e.getBoundingClientRect().width <= 1) continue;
      if (getComputedStyle(e).overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1) cut.push(name(e) + ' is ' + e.scrollWidth + ' px wide in ' + e.clientWidth);
      if (!e.matches('.money')) continue;
      const box = e.getBoundingClientRect();
      for (let a = e.parentElement; a; a = a.parentElement) {
        if (getComputedStyle(a).overflowX === 'visible') continue;
        const clip = a.getBoundingClientRect();
        if (box.left < clip.left - 1 || box.right > clip.right + 1) cut.push(name(e) + ' cut by ' + name(a));
        break;
      }
    }
  }
  return cut;
}`;

const require = createRequire(import.meta.url);

/** axe-core's serious and critical violations, when the repository has axe-core (else none checked). */
async function seriousA11yViolations(page: Page): Promise<string[]> {
  let source: string;
  try {
    source = require.resolve('axe-core/axe.min.js');
  } catch {
    return [];
  }
  await page.addScriptTag({ path: source });
  return page.evaluate(`axe.run(document).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ' (' + v.impact + ', ' + v.nodes.length + ' nodes: ' + v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(', ') + ')'))`);
}
