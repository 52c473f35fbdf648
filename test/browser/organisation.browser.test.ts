import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createApiToken } from '../../packages/server/src/auth/auth.service';
import type { Database } from '../../packages/server/src/db/database';
import { importAr } from '../../packages/server/src/import';
import { DEMO_STRATEGY } from '../../packages/server/src/seed/demo-strategy';
import { demoArSources } from '../../packages/server/src/seed/seed.service';
import { browserAvailable, openStudio, SCREENSHOTS, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();
const TODAY = new Date().toISOString().slice(0, 10);
const GROUP = 'ORG_TEST_TEAM';
const STRATEGY = 'ORG_TEST';

function day(offset: number): string {
  const d = new Date(`${TODAY}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

/**
 * The organisation page on an AR without any organisation (imported, not seeded with the demo's
 * groups): an ADMIN sets up a group with two specialists, an absence with a substitute and a
 * strategy, generates the worklist and sees the substitute carry the absent specialist's load.
 */
describe.skipIf(!run)('studio in Chromium: the organisation page', () => {
  let db: Database;
  let studio: Studio;
  let base: string;
  let segment: string;

  async function graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${studio.token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data: T; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }

  /**
   * Screenshots of the current view at 1280 and 1440 pixels wide: the whole page, or the window
   * while a side panel is open (it covers the window, not the page below it).
   */
  async function shots(page: Page, name: string, { panel = false } = {}): Promise<void> {
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(150);
      if (panel) await page.screenshot({ path: path.join(SCREENSHOTS, `organisation-${name}-${width}.png`) });
      else await studio.screenshot(`organisation-${name}-${width}`);
    }
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    await importAr(db, demoArSources({ partners: 300, seed: 11, asOf: TODAY }));
    const [largest] = await db.dataSource.query(`SELECT segment FROM partners GROUP BY segment ORDER BY count(*) DESC, segment LIMIT 1`);
    segment = largest.segment;
    studio = await openStudio(db, { width: 1440 });
    // The app listens on 0.0.0.0 but its url says localhost; pin IPv4 so no other listener on ::1 can answer.
    base = studio.app.url.replace('//localhost:', '//127.0.0.1:');
    // A strategy with a live version to give the group (strategies are built on their own page).
    const created = await graphql<{ createStrategy: { id: string } }>(`mutation ($input: CreateStrategyInput!) { createStrategy(input: $input) { id } }`, {
      input: { key: STRATEGY, name: 'Organisation test', document: { ...DEMO_STRATEGY, key: STRATEGY, name: 'Organisation test' } },
    });
    await graphql(`mutation ($id: ID!) { activateStrategyVersion(versionId: $id) { version { id } } }`, { id: created.createStrategy.id });
    await signIn(studio.page, base, studio.token, '/organisation/groups');
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  it('creates a group; a bad key shows the server message at the key field', async () => {
    const { page } = studio;
    await page.getByRole('heading', { name: 'Organisation' }).waitFor();
    await page.getByText('No collection group yet').waitFor();
    await page.getByRole('button', { name: 'New group' }).click();
    const panel = page.getByRole('dialog', { name: 'New collection group' });
    await panel.getByLabel('Key').fill('G'.repeat(41));
    await panel.getByLabel('Name').fill('Organisation test team');
    await panel.getByLabel('Segment').selectOption(segment);
    await panel.getByRole('button', { name: 'Create' }).click();
    const keyError = panel.locator('[data-field="key"] .org-field-error');
    await keyError.waitFor();
    expect(await keyError.textContent()).toMatch(/^key must be a group key of 1-40 characters/);
    await shots(page, 'bad-key', { panel: true });

    await panel.getByLabel('Key').fill(GROUP);
    await panel.getByRole('button', { name: 'Create' }).click();
    await panel.waitFor({ state: 'detached' });
    await page.waitForURL(new RegExp(`group=${GROUP}`));
    await page.locator(`.org-table tr.is-selected[data-key="${GROUP}"]`).waitFor();
    const [group] = await db.dataSource.query(`SELECT segment_key, strategy_key, active, version FROM collection_groups WHERE key = $1`, [GROUP]);
    expect(group).toEqual({ segment_key: segment, strategy_key: null, active: true, version: 1 });
  });

  it('adds two specialists to the group', async () => {
    const { page } = studio;
    for (const [userName, name] of [
      ['ana.weber', 'Ana Weber'],
      ['ben.kraus', 'Ben Kraus'],
    ]) {
      await page.getByRole('button', { name: 'Add specialist' }).click();
      const panel = page.getByRole('dialog', { name: `New specialist in ${GROUP}` });
      await panel.getByLabel('User name').fill(userName!);
      await panel.getByLabel('Name', { exact: true }).fill(name!);
      await panel.getByLabel('E-mail').fill(`${userName}@example.com`);
      await panel.getByRole('button', { name: 'Create' }).click();
      await panel.waitFor({ state: 'detached' });
      await page.locator(`.org-specialists tr[data-user="${userName}"]`).waitFor();
    }
    const rows = await db.dataSource.query(`SELECT user_name, group_key, active FROM specialists ORDER BY user_name`);
    expect(rows).toEqual([
      { user_name: 'ana.weber', group_key: GROUP, active: true },
      { user_name: 'ben.kraus', group_key: GROUP, active: true },
    ]);
  });

  it('records an absence with a substitute; one ending before it starts is refused at the last day', async () => {
    const { page } = studio;
    await page.getByRole('link', { name: 'Absences' }).click();
    await page.getByRole('button', { name: 'Record absence' }).click();
    const panel = page.getByRole('dialog', { name: 'Record an absence' });
    await panel.getByLabel('Group', { exact: true }).selectOption(GROUP);
    await panel.locator('[data-field="userName"] option[value="ana.weber"]').waitFor({ state: 'attached' });
    await panel.getByLabel('Specialist').selectOption('ana.weber');
    // The substitute picker offers the group's other active specialists only.
    expect(await panel.locator('[data-field="substitute"] option').evaluateAll((o) => o.map((x) => x.getAttribute('value')))).toEqual(['', 'ben.kraus']);
    await panel.getByLabel('First day').fill(day(2));
    await panel.getByLabel('Last day').fill(day(1));
    await panel.getByLabel('Substitute').selectOption('ben.kraus');
    await panel.getByRole('button', { name: 'Create' }).click();
    const endError = panel.locator('[data-field="endsOn"] .org-field-error');
    await endError.waitFor();
    expect(await endError.textContent()).toBe(`the absence would end (${day(1)}) before it starts (${day(2)})`);
    await shots(page, 'bad-absence', { panel: true });

    await panel.getByLabel('First day').fill(day(-1));
    await panel.getByLabel('Last day').fill(day(5));
    await panel.getByRole('button', { name: 'Create' }).click();
    await panel.waitFor({ state: 'detached' });
    const row = page.locator('.org-absences tr[data-user="ana.weber"]');
    await row.waitFor();
    expect(await row.locator('[data-substitute]').getAttribute('data-substitute')).toBe('ben.kraus');
    await row.getByText('away today').waitFor();
    const absences = await db.dataSource.query(
      `SELECT s.user_name, a.starts_on::text AS starts_on, a.ends_on::text AS ends_on, sub.user_name AS substitute
         FROM specialist_absences a JOIN specialists s ON s.id = a.specialist_id JOIN specialists sub ON sub.id = a.substitute_id`,
    );
    expect(absences).toEqual([{ user_name: 'ana.weber', starts_on: day(-1), ends_on: day(5), substitute: 'ben.kraus' }]);
    await shots(page, 'absences');
  });

  it('gives the group a strategy, generates the worklist and shows the substitute carrying the load', async () => {
    const { page } = studio;
    await page.getByRole('link', { name: 'Groups' }).click();
    await page.locator(`.org-table tr.is-selected[data-key="${GROUP}"]`).waitFor();
    await page.getByRole('button', { name: 'Edit group' }).click();
    const panel = page.getByRole('dialog', { name: `Edit group ${GROUP}` });
    await panel.getByLabel('Strategy').selectOption(STRATEGY);
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.waitFor({ state: 'detached' });
    await page.locator(`tr[data-key="${GROUP}"]`).getByText(`${STRATEGY} · live v1`).waitFor();

    await page.getByRole('button', { name: `Generate worklist for ${segment}` }).click();
    await page.getByRole('status').filter({ hasText: 'Generated' }).waitFor({ timeout: 60_000 });
    const loads: Array<{ user_name: string; n: number; substitute: number }> = await db.dataSource.query(
      `SELECT s.user_name, count(w.partner_id)::int AS n, count(*) FILTER (WHERE w.specialist_origin = 'SUBSTITUTE')::int AS substitute
         FROM specialists s LEFT JOIN worklist_items w ON w.specialist_id = s.id AND w.run_id = (SELECT live_run_id FROM collection_segments WHERE key = $1)
        GROUP BY s.user_name ORDER BY s.user_name`,
      [segment],
    );
    const ben = loads.find((l) => l.user_name === 'ben.kraus')!;
    expect(loads.find((l) => l.user_name === 'ana.weber')!.n).toBe(0);
    expect(ben.n).toBeGreaterThan(0);
    expect(ben.substitute).toBeGreaterThan(0);

    const openItems = (user: string) => page.locator(`.org-specialists tr[data-user="${user}"] [data-open-items]`).textContent();
    await expect.poll(() => openItems('ben.kraus')).toBe(ben.n.toLocaleString('en-US'));
    expect(await openItems('ana.weber')).toBe('0');
    const anaRow = page.locator('.org-specialists tr[data-user="ana.weber"]');
    await anaRow.getByText('Absent · Ben Kraus stands in').waitFor();
    const benRow = page.locator('.org-specialists tr[data-user="ben.kraus"]');
    await benRow.getByText('Stands in for Ana Weber').waitFor();
    await expect.poll(() => benRow.locator('[data-substitute-items]').textContent()).toBe(`${ben.substitute.toLocaleString('en-US')} as substitute`);
    await shots(page, 'groups');
  });

  it('gives a segment its company codes and bundles it in a profile', async () => {
    const { page } = studio;
    await page.getByRole('link', { name: 'Segments' }).click();
    const row = page.locator(`.org-table tr[data-key="${segment}"]`);
    await row.getByText(GROUP).waitFor();
    const codes: Array<{ code: string }> = await db.dataSource.query(
      `SELECT i.company_code AS code FROM open_items i JOIN partners p ON p.id = i.partner_id WHERE p.segment = $1 GROUP BY 1 ORDER BY 1 LIMIT 2`,
      [segment],
    );
    await page.getByRole('button', { name: `Edit ${segment}` }).click();
    const panel = page.getByRole('dialog', { name: `Edit segment ${segment}` });
    for (const { code } of codes) await panel.locator('[data-field="companyCodes"] label').filter({ hasText: code }).first().locator('input').check();
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.waitFor({ state: 'detached' });
    for (const { code } of codes) await row.locator('.org-tag', { hasText: code }).first().waitFor();
    await shots(page, 'segments');

    await page.getByRole('link', { name: 'Profiles' }).click();
    await page.getByRole('button', { name: 'New profile' }).click();
    const profile = page.getByRole('dialog', { name: 'New profile' });
    await profile.getByLabel('Key').fill('RETAIL');
    await profile.getByLabel('Name').fill('Retail customers');
    await profile.locator('[data-field="segments"] label').filter({ hasText: segment }).locator('input').check();
    await profile.getByRole('button', { name: 'Create' }).click();
    await profile.waitFor({ state: 'detached' });
    await page.locator('.org-table tr[data-key="RETAIL"]').getByText(segment).waitFor();
    const stored = await db.dataSource.query(
      `SELECT (SELECT array_agg(company_code ORDER BY company_code) FROM collection_segment_company_codes WHERE segment_key = $1) AS codes,
              (SELECT array_agg(segment_key) FROM collection_profile_segments WHERE profile_key = 'RETAIL') AS profile`,
      [segment],
    );
    expect(stored).toEqual([{ codes: codes.map((c) => c.code), profile: [segment] }]);
    await shots(page, 'profiles');
  });

  it('refuses to delete a company code still in use and deactivates it instead', async () => {
    const { page } = studio;
    await page.getByRole('link', { name: 'Company codes' }).click();
    const [code] = await db.dataSource.query(`SELECT company_code AS code FROM open_items GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    await page.getByRole('button', { name: `Edit ${code.code}` }).click();
    const panel = page.getByRole('dialog', { name: `Edit company code ${code.code}` });
    await panel.getByRole('button', { name: 'Delete…' }).click();
    await panel.getByRole('button', { name: 'Yes, delete' }).click();
    await panel.getByRole('alert').filter({ hasText: 'is still referred to by' }).waitFor();
    await shots(page, 'company-code-in-use', { panel: true });
    await panel.getByRole('button', { name: 'Deactivate instead' }).click();
    await panel.waitFor({ state: 'detached' });
    await page.locator(`.org-table tr[data-key="${code.code}"]`).getByText('Inactive').waitFor();
    const [stored] = await db.dataSource.query(`SELECT active, version FROM company_codes WHERE code = $1`, [code.code]);
    expect(stored).toEqual({ active: false, version: 2 });
    await shots(page, 'company-codes');
  });

  it('is read only for other roles', async () => {
    const { token } = await createApiToken(db, { name: 'browser-supervisor', role: 'SUPERVISOR' });
    const page = await (await studio.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, base, token, `/organisation/groups?group=${GROUP}`);
    await page.getByText('Read only: changing the organisation takes an ADMIN token.').waitFor();
    await page.locator('.org-specialists tr[data-user="ben.kraus"]').waitFor();
    expect(await page.getByRole('button', { name: 'New group' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add specialist' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Edit/ }).count()).toBe(0);
    // A supervisor still generates worklists.
    await page.getByRole('button', { name: `Generate worklist for ${segment}` }).waitFor();
    await page.close();
  });
});
