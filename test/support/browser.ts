/**
 * Browser tests: the real studio (built by `pnpm build`, served by the app like `pnpm start`)
 * in headless Chromium driven by playwright-core. Debian's chromium at /usr/bin/chromium (or
 * RECOUP_CHROMIUM); .ci/run installs it and sets RECOUP_REQUIRE_BROWSER=1, so CI fails rather
 * than skips when it is missing. Elsewhere, without a Chromium, the browser tests are skipped
 * with a warning. Screenshots go to test-results/screenshots/ (look at them).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startApp, STUDIO_DIST, type RunningApp } from '../../packages/server/src/app';
import { createApiToken } from '../../packages/server/src/auth/auth.service';
import type { Database } from '../../packages/server/src/db/database';

export const CHROMIUM = process.env.RECOUP_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-results/screenshots');

/** Whether the browser tests can run here; throws when they must (CI) but cannot. */
export function browserAvailable(): boolean {
  const ok = existsSync(CHROMIUM) && existsSync(path.join(STUDIO_DIST, 'index.html'));
  if (!ok && process.env.RECOUP_REQUIRE_BROWSER === '1') {
    throw new Error(`Browser tests required but ${existsSync(CHROMIUM) ? 'the studio is not built (pnpm build)' : `no Chromium at ${CHROMIUM}`}`);
  }
  if (!ok)
    console.warn(`Skipping browser tests: ${existsSync(CHROMIUM) ? 'studio not built (pnpm build)' : `no Chromium at ${CHROMIUM} (apt-get install chromium)`}`);
  return ok;
}

export interface Studio {
  app: RunningApp;
  browser: Browser;
  page: Page;
  /** An ADMIN token; `signIn(page, token)` for others. */
  token: string;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Serves the built studio over `db` on a free port and opens it signed in as ADMIN. */
export async function openStudio(db: Database, options: { width?: number; height?: number } = {}): Promise<Studio> {
  const app = await startApp(db, 0, { production: true });
  const { token } = await createApiToken(db, { name: `browser-${Date.now()}`, role: 'ADMIN' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const context = await browser.newContext({ viewport: { width: options.width ?? 1440, height: options.height ?? 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Printed at close, so that a test that timed out waiting for the page says what the server did.
  const trouble: string[] = [];
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') trouble.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') trouble.push(`console: ${m.text().slice(0, 300)}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 500) trouble.push(`${r.request().method()} ${r.url()}: HTTP ${r.status()}`);
  });
  await signIn(page, app.url, token);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    app,
    browser,
    page,
    token,
    async screenshot(name) {
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      if (trouble.length) console.warn(`requests of the studio that failed, and its console errors:\n  ${trouble.slice(0, 20).join('\n  ')}`);
      await browser.close();
      await app.close();
      if (errors.length) throw new Error(`The studio threw in the browser: ${errors.join('; ')}`);
    },
  };
}

/** Opens the studio at `path` signed in with `token` (the link `npm start` prints). */
export async function signIn(page: Page, baseUrl: string, token: string, at = '/'): Promise<void> {
  await page.goto(`${baseUrl}${at}#token=${encodeURIComponent(token)}`);
}
