import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/server/src/db/database';
import { browserAvailable, openStudio, signIn, type Studio } from '../support/browser';
import { openTestDatabase } from '../support/database';
import { importUnconfiguredAr, UNCONFIGURED_AS_OF } from '../support/unconfigured-ar';
import { insertSpecialist, insertStrategy, query, rule, strategyDocument, when } from '../support/worklist-fixtures';

const run = browserAvailable();
const DOCUMENT = strategyDocument({ key: 'OWN_AR', name: 'Own AR', rules: [rule('Overdue', 100, 'condition', when('maxDaysOverdue', 'greaterThan', 0))] });

/** The strategy editor's live preview on an imported AR without organisation: it says what is missing, until it is not. */
describe.skipIf(!run)('studio in Chromium: the live preview says what the organisation lacks', () => {
  let db: Database;
  let studio: Studio;

  beforeAll(async () => {
    db = await openTestDatabase();
    await importUnconfiguredAr(db);
    await insertStrategy(db, 'OWN_AR', DOCUMENT, 'DRAFT');
    studio = await openStudio(db);
  }, 120_000);

  afterAll(async () => {
    await studio?.close();
    await db?.close();
  });

  async function openPreview(): Promise<void> {
    const base = studio.app.url.replace('//localhost:', '//127.0.0.1:');
    await signIn(studio.page, base, studio.token, `/strategies/OWN_AR?segment=CONSUMER&asOf=${UNCONFIGURED_AS_OF}`);
    await studio.page.locator('.preview-status[data-state="ready"]').waitFor();
  }

  it('lists the missing collection group above the figures, marked as blocking generation', async () => {
    await openPreview();
    const { page } = studio;
    await expect(page.getByTestId('preview-partners').textContent()).resolves.toBe('4');
    const warnings = page.getByRole('list', { name: 'Configuration warnings' }).getByRole('listitem');
    await expect(warnings.count()).resolves.toBe(1);
    await expect(warnings.first().getAttribute('data-code')).resolves.toBe('SEGMENT_WITHOUT_GROUP');
    await expect(warnings.first().locator('.preview-warning-text').textContent()).resolves.toBe(
      'Segment CONSUMER: no collection group works this segment, so nothing will be assigned.',
    );
    await expect(warnings.first().locator('.preview-warning-tag').textContent()).resolves.toBe('blocks generation');
    await studio.page.evaluate('window.scrollTo(0, 0)');
    await studio.screenshot('preview-warnings');
  });

  it('shows a group without specialist as a warning that does not block, and nothing once configured', async () => {
    await query(db, `INSERT INTO collection_groups (key, name, segment_key, strategy_key) VALUES ('CONS_G', 'Consumer', 'CONSUMER', 'OWN_AR')`);
    await query(db, `UPDATE strategy_versions SET status = 'ACTIVE', activated_at = now()`);
    await openPreview();
    const { page } = studio;
    const warning = page.locator('.preview-warnings li');
    await expect(warning.count()).resolves.toBe(1);
    await expect(warning.first().getAttribute('data-code')).resolves.toBe('NO_ACTIVE_SPECIALIST');
    await expect(warning.first().getAttribute('class')).resolves.toBeNull();
    await expect(warning.first().textContent()).resolves.toMatch(/CONS_G has no active specialist, so its items stay unassigned\.$/);
    await studio.page.evaluate('window.scrollTo(0, 0)');
    await studio.screenshot('preview-warning-no-specialist');

    await insertSpecialist(db, 91, 'CONS_G');
    await openPreview();
    await expect(page.locator('.preview-warnings').count()).resolves.toBe(0);
    await expect(page.getByTestId('preview-partners').textContent()).resolves.toBe('4');
  });
});
