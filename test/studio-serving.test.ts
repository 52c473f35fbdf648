import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { openTestDatabase } from './support/database';

const INDEX = '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/index-NEW.js"></script></body></html>';
const SCRIPT = 'export const page = 1;\n';

/**
 * The studio's built files over HTTP: files answer as themselves, page paths fall back to the
 * index page, and a file that is not there answers 404 (a chunk of an earlier build must fail as
 * missing, not load the index page as a script).
 */
describe(`the studio's files over HTTP (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let db: Database;
  let app: RunningApp;
  let studioDir: string;
  beforeAll(async () => {
    studioDir = mkdtempSync(path.join(tmpdir(), 'recoup-studio-'));
    mkdirSync(path.join(studioDir, 'assets'));
    writeFileSync(path.join(studioDir, 'index.html'), INDEX);
    writeFileSync(path.join(studioDir, 'assets', 'index-NEW.js'), SCRIPT);
    writeFileSync(path.join(studioDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    db = await openTestDatabase();
    app = await startApp(db, 0, { production: true, studioDir });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    rmSync(studioDir, { recursive: true, force: true });
  });

  const get = async (pathname: string, method = 'GET') => {
    const response = await fetch(`${app.url}${pathname}`, { method });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      cache: response.headers.get('cache-control') ?? '',
      body: await response.text(),
    };
  };

  it('lets a browser keep the hashed chunks for good, and asks it to check the index page each time', async () => {
    expect((await get('/assets/index-NEW.js')).cache).toBe('public, max-age=31536000, immutable');
    expect((await get('/')).cache).toBe('no-cache');
    expect((await get('/index.html')).cache).toBe('no-cache');
    expect((await get('/analytics')).cache).toBe('no-cache');
    expect((await get('/favicon.svg')).cache).toBe('no-cache');
    expect((await get('/assets/AnalyticsPage-OLD.js')).status).toBe(404);
  });

  it('answers a built file as itself', async () => {
    const script = await get('/assets/index-NEW.js');
    expect(script).toMatchObject({ status: 200, body: SCRIPT });
    expect(script.type).toMatch(/javascript/);
    expect((await get('/favicon.svg')).type).toMatch(/^image\/svg\+xml/);
  });

  it.each(['/', '/analytics', '/recovery/agencies', '/customers/ext:C1.2', '/strategies/default/rules'])(
    'answers the page path %s with the index page',
    async (pathname) => {
      expect(await get(pathname)).toMatchObject({ status: 200, body: INDEX, type: expect.stringMatching(/^text\/html/) });
    },
  );

  it.each([
    '/assets/AnalyticsPage-OLD.js', // a chunk of the build before a redeploy
    '/assets/index-OLD.css',
    '/assets/nested/missing.js',
    '/assets/no-extension',
    '/robots.txt',
    '/sw.js',
    '/exports/unknown.csv',
  ])('answers the missing file %s with 404, not the index page', async (pathname) => {
    const answer = await get(pathname);
    expect(answer.status).toBe(404);
    expect(answer.type).not.toMatch(/html/);
    expect(answer.body).not.toContain('<div id="root">');
  });

  it('answers a HEAD of a missing chunk with 404 too', async () => {
    expect((await get('/assets/AnalyticsPage-OLD.js', 'HEAD')).status).toBe(404);
  });

  it('keeps the API paths the API', async () => {
    expect(await get('/health')).toMatchObject({ status: 200, type: expect.stringMatching(/json/) });
  });
});
