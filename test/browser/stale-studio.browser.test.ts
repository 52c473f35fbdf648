import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Database } from '../../packages/server/src/db/database';
import { browserAvailable, openStudio, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';

const run = browserAvailable();

/** The Settings page's chunk, whatever the build's hash. */
const SETTINGS_CHUNK = /\/assets\/SettingsPage-[^/]+\.js$/;

/**
 * A tab opened before a redeploy asks for the earlier build's chunks: the request goes to the
 * real server under a hash it does not have (the server answers 404, not the index page).
 */
async function asBeforeARedeploy(page: Page): Promise<void> {
  await page.route(SETTINGS_CHUNK, (route) =>
    route.continue({
      url: route
        .request()
        .url()
        .replace(/SettingsPage-[^/]+\.js$/, 'SettingsPage-0ld8uild.js'),
    }),
  );
}

describe.skipIf(!run)(`a page whose code is gone after a redeploy (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let db: Database;
  let studio: Studio;
  beforeAll(async () => {
    db = await openTestDatabase();
    studio = await openStudio(db);
  }, 120_000);
  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  it('says the page could not be loaded, offers a reload, and the reload brings the page', async () => {
    const { page } = studio;
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await asBeforeARedeploy(page);
    const missing = page.waitForResponse((r) => r.url().includes('SettingsPage-0ld8uild.js'));

    await page.getByRole('link', { name: 'Settings' }).click();

    expect((await missing).status()).toBe(404);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.locator('h2').textContent()).toBe('This page could not be loaded');
    expect(await alert.textContent()).toContain('The studio may have been updated since this tab was opened');
    // In place: the sidebar is still there to go elsewhere.
    expect(await page.locator('.sidebar').isVisible()).toBe(true);
    await studio.screenshot('stale-studio-1440');

    await page.unroute(SETTINGS_CHUNK);
    await alert.getByRole('button', { name: 'Reload' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings');
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('says the same when the tab opens at that page', async () => {
    const { page } = studio;
    await asBeforeARedeploy(page);
    await page.goto(`${studio.app.url}/settings`);
    await expect.poll(() => page.getByRole('alert').locator('h2').textContent()).toBe('This page could not be loaded');
    expect(await page.getByRole('alert').getByRole('button', { name: 'Reload' }).isVisible()).toBe(true);
    await page.unroute(SETTINGS_CHUNK);
  });
});
