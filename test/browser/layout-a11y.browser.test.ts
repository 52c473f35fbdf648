import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Database } from '../../packages/server/src/db/database';
import { seedDemoAr } from '../../packages/server/src/seed/seed.service';
import { runWorklists } from '../../packages/server/src/worklists/worklist-run.service';
import { createTestToken } from '../support/api';
import { browserAvailable, openStudio, SCREENSHOTS, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();
const AS_OF = new Date().toISOString().slice(0, 10);
const WIDTHS = [1280, 1440] as const;
/** A date `n` days before AS_OF (backtest key dates lie in the past). */
const daysBefore = (n: number) => new Date(Date.parse(`${AS_OF}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

/** Elements that show an amount of money: none may be cut, by its own box or a clipping ancestor. */
const AMOUNTS = [
  '.money',
  '.money-figure-amount',
  '.figure-value',
  'td.num',
  '.histo-amount',
  '.work-item-amount',
  '.work-aging-amount',
  '.preview-top-amount',
  '.preview-fig-money',
].join(', ');

/** What the pages' URLs need from the seeded database. */
interface Fixture {
  segment: string;
  strategy: string;
  group: string;
  partnerId: string;
  partnerName: string;
}

/** A page of the studio, opened by URL as a role, ready when `ready` shows. */
interface Visit {
  name: string;
  path: (f: Fixture) => string;
  ready: string;
  as?: 'SPECIALIST' | 'SIGNED_OUT';
}

const TABLE_ROWS = 'main table tbody tr';

/** Every route of studio/src/router.tsx, with the views a route's search params open. */
const VISITS: Visit[] = [
  { name: 'overview', path: () => '/', ready: '.figure-value' },
  { name: 'strategies', path: () => '/strategies', ready: '.strat-cards' },
  {
    name: 'strategy-builder',
    path: (f) => `/strategies/${encodeURIComponent(f.strategy)}?segment=${f.segment}&asOf=${AS_OF}`,
    ready: '.strat-preview[aria-busy="false"] .preview-figures',
  },
  {
    name: 'strategy-compare',
    path: (f) => `/strategies/${encodeURIComponent(f.strategy)}/compare?segment=${f.segment}&asOf=${AS_OF}`,
    ready: '[role="tab"][aria-selected="true"]',
  },
  { name: 'strategy-versions', path: (f) => `/strategies/${encodeURIComponent(f.strategy)}/versions`, ready: TABLE_ROWS },
  { name: 'worklists', path: (f) => `/worklists/${encodeURIComponent(f.segment)}`, ready: '.worklist-table tbody tr' },
  { name: 'my-worklist', path: () => '/worklists/mine', ready: TABLE_ROWS, as: 'SPECIALIST' },
  { name: 'my-worklist-partner', path: (f) => `/worklists/mine?partner=${f.partnerId}`, ready: TABLE_ROWS, as: 'SPECIALIST' },
  { name: 'loads', path: () => '/worklists/loads', ready: TABLE_ROWS },
  { name: 'customers', path: () => '/customers', ready: 'main h1' },
  {
    name: 'customers-search',
    path: (f) => `/customers?q=${encodeURIComponent(f.partnerName.split(' ')[0]!)}`,
    ready: '[aria-label="Partners found"][aria-busy="false"] tbody tr',
  },
  { name: 'customer-360', path: (f) => `/customers/${f.partnerId}`, ready: '.work-360 [aria-label="Why"]' },
  { name: 'runs', path: () => '/runs', ready: 'main h1' },
  { name: 'dunning', path: () => '/dunning', ready: 'main h1' },
  { name: 'backtests', path: () => '/backtests', ready: '.backtest-form' },
  {
    name: 'backtests-results',
    path: (f) =>
      `/backtests?strategies=${encodeURIComponent(`${f.strategy}@1`)}&segment=${f.segment}&from=${daysBefore(63)}&to=${daysBefore(35)}&every=14&horizon=30`,
    ready: '.backtest-strategy',
  },
  { name: 'experiments', path: (f) => `/experiments?group=${encodeURIComponent(f.group)}`, ready: '.exp-champion' },
  { name: 'settings', path: () => '/settings', ready: TABLE_ROWS },
  { name: 'organisation', path: () => '/organisation', ready: TABLE_ROWS },
  { name: 'organisation-segments', path: () => '/organisation/segments', ready: TABLE_ROWS },
  { name: 'organisation-profiles', path: () => '/organisation/profiles', ready: TABLE_ROWS },
  { name: 'organisation-groups', path: () => '/organisation/groups', ready: TABLE_ROWS },
  { name: 'organisation-group', path: (f) => `/organisation/groups?group=${encodeURIComponent(f.group)}`, ready: TABLE_ROWS },
  { name: 'organisation-absences', path: () => '/organisation/absences', ready: 'main h1' },
  { name: 'not-found', path: () => '/no/such/page', ready: 'main h1' },
  { name: 'sign-in', path: () => '/', ready: 'main h1', as: 'SIGNED_OUT' },
];

/** For a colour-contrast finding, the colours and ratio axe measured: what the fix has to change. */
function contrastOf(node: { any: { id: string; data?: unknown }[] }): string {
  const data = node.any.find((check) => check.id === 'color-contrast')?.data as
    { fgColor?: string; bgColor?: string; contrastRatio?: number; expectedContrastRatio?: string } | undefined;
  return data?.fgColor ? `: ${data.fgColor} on ${data.bgColor}, ${data.contrastRatio} < ${data.expectedContrastRatio}` : '';
}

interface Found {
  overflow: { scrollWidth: number; clientWidth: number } | null;
  spills: string[];
  cutAmounts: string[];
  cutPlaceholders: string[];
  unreachable: string[];
}

/**
 * Run in the page (the tests' TypeScript has no DOM types, so as source text): sideways
 * scrolling; cards whose content spills past their edge; amounts cut by their own box or a clipping ancestor; placeholders wider than their
 * input; elements showing a pointer that are not (inside) something the keyboard reaches.
 */
const MEASURE = `(amountSelector) => {
  const root = document.documentElement;
  const describe = (el) => {
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls + ' "' + (el.textContent ?? '').trim().slice(0, 40) + '"';
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const isCut = (el) => {
    if (getComputedStyle(el).display !== 'inline' && el.scrollWidth > el.clientWidth + 1) return true;
    const r = el.getBoundingClientRect();
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const c = a.getBoundingClientRect();
      if (r.left < c.left - 1 || r.right > c.right + 1) return true;
    }
    return false;
  };
  const cutAmounts = [...document.querySelectorAll(amountSelector)].filter(visible).filter(isCut).map(describe);

  const canvas = document.createElement('canvas').getContext('2d');
  const cutPlaceholders = [...document.querySelectorAll('input[placeholder]')]
    .filter((input) => visible(input) && input.value === '')
    .filter((input) => {
      const s = getComputedStyle(input);
      canvas.font = s.fontStyle + ' ' + s.fontWeight + ' ' + s.fontSize + ' ' + s.fontFamily;
      const room = input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
      return canvas.measureText(input.placeholder).width > room + 1;
    })
    .map((input) => 'input[placeholder="' + input.placeholder + '"] in ' + describe(input.closest('label') ?? input.parentElement));

  const reachable = 'a[href], button, input, select, textarea, summary, label, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';
  const unreachable = [...document.querySelectorAll('body *')]
    .filter((el) => getComputedStyle(el).cursor === 'pointer' && visible(el) && !el.closest(reachable))
    .filter((el) => !(el.parentElement && getComputedStyle(el.parentElement).cursor === 'pointer'))
    .map(describe);

  const spills = [...document.querySelectorAll('.card')]
    .filter((card) => visible(card) && getComputedStyle(card).overflowX === 'visible' && card.scrollWidth > card.clientWidth + 1)
    .map((card) => describe(card) + ' (' + card.scrollWidth + ' > ' + card.clientWidth + ')');

  return {
    overflow: root.scrollWidth > root.clientWidth ? { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth } : null,
    spills,
    cutAmounts,
    cutPlaceholders,
    unreachable,
  };
}`;

/** Run in the page: the focused element inside main and whether it shows a ring (outline or shadow), or null. */
const FOCUS = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body || !el.closest('main')) return null;
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  return { ring, what: el.tagName.toLowerCase() + ' "' + (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30) + '"' };
})()`;

/**
 * Every page of the studio at 1280 and 1440 px on the seeded demo with live worklists: nothing
 * scrolls sideways, no amount and no placeholder is cut, axe-core finds nothing serious or
 * critical, Tab reaches the page's content with a visible focus ring, and everything that looks
 * clickable can be reached with the keyboard.
 */
describe.skipIf(!run)('studio in Chromium: layout and accessibility of every page', () => {
  let db: Database;
  let studio: Studio;
  let specialistPage: Page;
  let signedOutPage: Page;
  let fixture: Fixture;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 200, seed: 7, asOf: AS_OF });
    await runWorklists(db, { asOf: AS_OF, mode: 'LIVE' });
    studio = await openStudio(db);

    // A group on a live list with its segment and strategy.
    const [group] = await db.dataSource.query(
      `SELECT g.key, g.segment_key, g.strategy_key FROM collection_groups g JOIN collection_segments s ON s.key = g.segment_key
        WHERE s.live_run_id IS NOT NULL AND g.strategy_key IS NOT NULL ORDER BY g.key LIMIT 1`,
    );
    // The partner with the most history among those on a live list, and their specialist.
    const [partner] = await db.dataSource.query(
      `SELECT p.id::text AS id, p.name, w.specialist_id::text AS specialist_id FROM partners p JOIN worklist_items w ON w.partner_id = p.id
         JOIN collection_segments s ON s.live_run_id = w.run_id WHERE w.specialist_id IS NOT NULL
        ORDER BY (SELECT count(*) FROM promises x WHERE x.partner_id = p.id) + (SELECT count(*) FROM payments x WHERE x.partner_id = p.id) DESC, p.id LIMIT 1`,
    );
    expect(group && partner).toBeTruthy();

    fixture = { segment: group.segment_key, strategy: group.strategy_key, group: group.key, partnerId: partner.id, partnerName: partner.name };

    const specialistToken = await createTestToken(db, 'SPECIALIST', partner.specialist_id);
    specialistPage = await (await studio.browser.newContext()).newPage();
    await signIn(specialistPage, studio.app.url, specialistToken, '/worklists/mine');
    signedOutPage = await (await studio.browser.newContext()).newPage();
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  async function open(visit: Visit, width: number): Promise<Page> {
    const page = visit.as === 'SPECIALIST' ? specialistPage : visit.as === 'SIGNED_OUT' ? signedOutPage : studio.page;
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${studio.app.url}${visit.path(fixture)}`);
    await page.locator(visit.ready).first().waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle');
    await page
      .locator('[aria-busy="true"]')
      .first()
      .waitFor({ state: 'detached', timeout: 20_000 })
      .catch(() => undefined);
    return page;
  }

  /** Sideways scrolling, cut amounts and placeholders, clickable things the keyboard cannot reach. */
  function measure(page: Page): Promise<Found> {
    return page.evaluate<Found>(`(${MEASURE})(${JSON.stringify(AMOUNTS)})`);
  }

  /** Tabs from the top of the page until focus is in the page's content; returns what is wrong, if anything. */
  async function tabIntoMain(page: Page): Promise<string | null> {
    await page.evaluate('document.activeElement?.blur(), window.scrollTo(0, 0)');
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate<{ ring: boolean; what: string } | null>(FOCUS);
      if (focus) return focus.ring ? null : `the focused ${focus.what} shows no focus indicator`;
    }
    return 'Tab never reached the main content in 40 presses';
  }

  it.each(VISITS)(
    '$name at 1280 and 1440 px: no sideways scroll, nothing cut, no serious axe violation, reachable by keyboard',
    async (visit) => {
      const problems: string[] = [];
      for (const width of WIDTHS) {
        const where = `${visit.name} @${width}`;
        const page = await open(visit, width);
        await page.screenshot({ path: path.join(SCREENSHOTS, `layout-${visit.name}-${width}.png`), fullPage: true });
        const found = await measure(page);
        if (found.overflow) problems.push(`${where}: scrolls sideways (scrollWidth ${found.overflow.scrollWidth} > clientWidth ${found.overflow.clientWidth})`);
        for (const card of found.spills) problems.push(`${where}: content spills out of its card: ${card}`);
        for (const cut of found.cutAmounts) problems.push(`${where}: amount cut: ${cut}`);
        for (const cut of found.cutPlaceholders) problems.push(`${where}: placeholder cut: ${cut}`);
        for (const el of found.unreachable) problems.push(`${where}: clickable but not reachable by keyboard: ${el}`);
        const axe = await new AxeBuilder({ page }).analyze();
        for (const v of axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
          for (const node of v.nodes) problems.push(`${where}: axe ${v.impact} ${v.id}: ${node.target.join(' ')} (${v.help}${contrastOf(node)})`);
        }
        const focus = await tabIntoMain(page);
        if (focus) problems.push(`${where}: keyboard: ${focus}`);
      }
      expect(problems, problems.join('\n')).toEqual([]);
    },
    120_000,
  );
});
