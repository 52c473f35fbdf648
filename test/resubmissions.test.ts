import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { markResubmissionDone, scheduleResubmission } from '../packages/server/src/resubmissions/resubmission.service';
import { runWorklist } from '../packages/server/src/worklists/worklist-run.service';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertPartners, insertSegment, insertSpecialist, insertStrategy, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/** Partners 6001 (specialist 61) and 6002 (62) with nothing open: only a due resubmission brings them onto the list. */
const D = '2026-03-01';
let db: Database;
let app: RunningApp;
let runId: string;
let spec61: string;
let spec62: string;
let client: string;

const onList = async (partner: number) =>
  (await query(db, `SELECT valuation, resubmission_date FROM worklist_items WHERE run_id = $1 AND partner_id = $2`, [runId, partner]))[0] ?? null;

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(
    db,
    'RES',
    strategyDocument({ key: 'RES', name: 'Resubmissions', rules: [rule('Resubmission', 5, 'condition', when('resubmissionDue', 'equal', true))] }),
  );
  await insertSegment(db, 'RS', [{ key: 'RS_G', strategyKey: 'RES' }]);
  await insertSpecialist(db, 61, 'RS_G');
  await insertSpecialist(db, 62, 'RS_G');
  await insertPartners(db, [
    { id: 6001, segment: 'RS', specialist: 61 },
    { id: 6002, segment: 'RS', specialist: 62 },
  ]);
  runId = (await runWorklist(db, { segment: 'RS', asOf: D, mode: 'LIVE' })).runId;
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  [spec61, spec62, client] = await Promise.all([
    createTestToken(db, 'SPECIALIST', '61'),
    createTestToken(db, 'SPECIALIST', '62'),
    createTestToken(db, 'CLIENT'),
  ]);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`resubmissions (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('a resubmission dated later keeps the partner off the list until a run on that date; a due one puts it on at once', async () => {
    const later = await scheduleResubmission(db, { partnerId: '6001', resubmissionDate: '2026-03-05', reason: 'call back Thursday' });
    expect(later.revaluation).toMatchObject({ onList: false });
    expect(await onList(6001)).toBeNull();
    const next = await runWorklist(db, { segment: 'RS', asOf: '2026-03-05', mode: 'LIVE' });
    runId = next.runId;
    expect(await onList(6001)).toEqual({ valuation: 5, resubmission_date: '2026-03-05' });
    const due = await scheduleResubmission(db, { partnerId: '6002', resubmissionDate: '2026-03-02', reason: 'documents promised' });
    expect(due.revaluation).toMatchObject({ onList: true, valuation: 5 });
  });

  it('lists due resubmissions (a specialist sees their own partners)', async () => {
    const q = `query($asOf: Date) { dueResubmissions(asOf: $asOf) { partnerId resubmissionDate reason done } }`;
    expect((await gql(app.url, q, { asOf: '2026-03-05' }, client)).data.dueResubmissions.map((r: any) => r.partnerId)).toEqual(['6002', '6001']);
    expect((await gql(app.url, q, { asOf: '2026-03-05' }, spec61)).data.dueResubmissions).toEqual([
      { partnerId: '6001', resubmissionDate: '2026-03-05', reason: 'call back Thursday', done: false },
    ]);
    expect((await gql(app.url, q, { asOf: '2026-03-04' }, spec61)).data.dueResubmissions).toEqual([]);
  });

  it('marking it done takes the partner off the list (re-valuation); only once; only the own specialist; not CLIENT', async () => {
    const [r] = await query(db, `SELECT id::text AS id FROM resubmissions WHERE partner_id = 6001`);
    const m = `mutation($id: ID!) { markResubmissionDone(id: $id) { resubmission { id done doneBy doneAt } worklistItem { valuation } } }`;
    expect((await gql(app.url, m, { id: r!.id }, spec62)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(app.url, m, { id: r!.id }, client)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { data, errors } = await gql(app.url, m, { id: r!.id }, spec61);
    expect(errors).toBeUndefined();
    expect(data.markResubmissionDone).toMatchObject({
      resubmission: { id: r!.id, done: true, doneBy: expect.stringMatching(/^test-specialist-/), doneAt: expect.any(String) },
      worklistItem: null,
    });
    expect(await onList(6001)).toBeNull();
    // The business date it was done on (UTC), what a run at a past key date reads.
    const [stored] = await query(db, `SELECT done_on::text AS done_on FROM resubmissions WHERE id = $1`, [r!.id]);
    expect(stored!.done_on).toBe(new Date().toISOString().slice(0, 10));
    const undone = await query(db, `SELECT done_on FROM resubmissions WHERE NOT done`);
    for (const u of undone) expect(u.done_on).toBeNull();
    const again = await gql(app.url, m, { id: r!.id }, spec61);
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await expect(markResubmissionDone(db, '424242', null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
