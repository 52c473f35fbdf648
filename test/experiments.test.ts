import type { StrategyDocument } from '../packages/rules/src/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { DEMO_STRATEGY } from '../packages/server/src/seed/demo-strategy';
import { seedDemoHistory } from '../packages/server/src/seed/demo-history';
import { armOf } from '../packages/server/src/worklists/worklist-arm';
import { revaluatePartner } from '../packages/server/src/worklists/worklist-revaluation.service';
import { runWorklists } from '../packages/server/src/worklists/worklist-run.service';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';

/**
 * Champion/challenger on the generated history (seed/demo-history: four months of simulated
 * daily AR movement) at 10,000 partners, all in one group: 10 daily live runs
 * with a 20% challenger (arms stable, shares on target, each arm scored with its own document,
 * the run's rule list the champion's then the challenger's), the results query, re-valuation
 * keeping the arm, promote (audited) changing the next run's strategy, and the refusals.
 */
const PARTNERS = 10_000;
const DATA_AS_OF = '2026-11-01';
const GROUP = 'CONSUMER_TEAM';
const SEGMENT = 'CONSUMER';
const DAYS = Array.from({ length: 10 }, (_, i) => `2026-09-${String(i + 1).padStart(2, '0')}`);

/** The challenger: ageing weighs more, risk class less, and one rule of its own (names shared with the champion elsewhere). */
const CHALLENGER: StrategyDocument = {
  ...DEMO_STRATEGY,
  rules: [
    ...DEMO_STRATEGY.rules
      .filter((r) => r.name !== 'High risk class')
      .map((r) => (r.name === 'Oldest item over 90 days' ? { ...r, event: { ...r.event, params: { ...r.event.params, points: 40 } } } : r)),
    {
      name: 'Challenger: over 5,000 to collect',
      priority: 1,
      conditions: { all: [{ fact: 'amountToBeCollected', operator: 'greaterThanInclusive', value: 5000 }] },
      event: { type: 'valuation', params: { points: 25, role: 'condition' } },
    },
  ],
};

let db: Database;
let app: RunningApp;
let supervisor: string;
let challengerVersionId: string;
let championVersionId: string;
let experimentId: string;
let experimentKey: string;
/** partner id -> arm, as first seen on a run's list. */
const armSeen = new Map<string, string>();
/** Milliseconds of the experiment's live runs (reported, not asserted: speed lives in benches). */
const runMs: number[] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const q = <T = any>(text: string, values: unknown[] = []): Promise<T[]> => db.dataSource.query<T[]>(text, values);

beforeAll(async () => {
  db = await openTestDatabase();
  const seeding = performance.now();
  await seedDemoHistory(db, { partners: PARTNERS, months: 4, asOf: DATA_AS_OF, seed: 18 });
  console.log(`history of ${PARTNERS} partners x 4 months seeded in ${Math.round(performance.now() - seeding)} ms`);
  // One group of 10,000: the share is measured on all of them.
  await q(`UPDATE partners SET segment = $1, collection_group_key = $2`, [SEGMENT, GROUP]);
  const [champion] = await q(`SELECT v.id::text AS id, v.strategy_id::text AS strategy_id FROM strategy_versions v WHERE v.status = 'ACTIVE'`);
  championVersionId = champion.id;
  const [draft] = await q(
    `INSERT INTO strategy_versions (strategy_id, version, status, document, created_by) VALUES ($1, 2, 'DRAFT', $2, 'test') RETURNING id::text AS id`,
    [champion.strategy_id, JSON.stringify(CHALLENGER)],
  );
  challengerVersionId = draft.id;
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  supervisor = await createTestToken(db, 'SUPERVISOR');
}, 300_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const START = `mutation Start($input: StartExperimentInput!) { startExperiment(input: $input) { id key group challengerStrategy challengerVersion sharePercent shareBasisPoints running outcome startedBy } }`;
const input = (over: Record<string, unknown> = {}) => ({
  group: GROUP,
  challengerStrategy: DEMO_STRATEGY.key,
  challengerVersion: 2,
  sharePercent: '20',
  ...over,
});

describe('starting an experiment', () => {
  it('refuses bad arguments naming their path, unknown groups and versions, and other roles; nothing is written', async () => {
    const refusals: Array<[Record<string, unknown>, string, string | undefined]> = [
      [{ sharePercent: '0' }, 'BAD_USER_INPUT', 'input.sharePercent'],
      [{ sharePercent: '50.01' }, 'BAD_USER_INPUT', 'input.sharePercent'],
      [{ sharePercent: '12.345' }, 'BAD_USER_INPUT', 'input.sharePercent'],
      [{ sharePercent: '-5' }, 'BAD_USER_INPUT', 'input.sharePercent'],
      [{ key: 'has space' }, 'BAD_USER_INPUT', 'input.key'],
      [{ key: 'x'.repeat(61) }, 'BAD_USER_INPUT', 'input.key'],
      [{ challengerVersion: 0 }, 'BAD_USER_INPUT', 'input.challengerVersion'],
      [{ challengerVersion: 1 }, 'BAD_USER_INPUT', 'input.challengerVersion'], // the champion itself
      [{ group: "x'; DROP TABLE partners; --" }, 'BAD_USER_INPUT', 'input.group'],
      [{ challengerStrategy: '' }, 'BAD_USER_INPUT', 'input.challengerStrategy'],
      [{ group: 'NO_SUCH_GROUP' }, 'NOT_FOUND', undefined],
      [{ challengerVersion: 99 }, 'NOT_FOUND', undefined],
      [{ challengerStrategy: 'NO_SUCH_STRATEGY' }, 'NOT_FOUND', undefined],
    ];
    for (const [over, code, path] of refusals) {
      const { errors } = await gql(app.url, START, { input: input(over) }, supervisor);
      expect([over, errors?.[0]?.extensions?.code]).toEqual([over, code]);
      if (path) expect([over, errors?.[0]?.extensions?.path]).toEqual([over, path]);
    }
    const [specialist] = await q(`SELECT id::text AS id FROM specialists ORDER BY id LIMIT 1`);
    const specialistToken = await createTestToken(db, 'SPECIALIST', specialist.id);
    expect((await gql(app.url, START, { input: input() }, specialistToken)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await q(`SELECT * FROM strategy_experiments`)).toEqual([]);
  });

  it('starts one experiment per group (CONFLICT for a second) and freezes the challenger draft', async () => {
    const { data, errors } = await gql(app.url, START, { input: input({ sharePercent: '20' }) }, supervisor);
    expect(errors).toBeUndefined();
    const started = data.startExperiment;
    expect(started).toMatchObject({ group: GROUP, challengerVersion: 2, sharePercent: '20.00', shareBasisPoints: 2000, running: true, outcome: null });
    experimentId = started.id;
    experimentKey = started.key;
    expect(experimentKey.startsWith(`${GROUP}-`)).toBe(true);
    const again = await gql(app.url, START, { input: input({ sharePercent: '10' }) }, supervisor);
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const admin = await createTestToken(db, 'ADMIN');
    const edit = await gql(
      app.url,
      `mutation E($input: UpdateStrategyDraftInput!) { updateStrategyDraft(input: $input) { id } }`,
      { input: { versionId: challengerVersionId, revision: 1, document: CHALLENGER } },
      admin,
    );
    expect(edit.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const audit = await q(`SELECT action, details FROM audit_log WHERE entity_type = 'EXPERIMENT'`);
    expect(audit.map((a) => a.action)).toEqual(['EXPERIMENT_STARTED']);
  });
});

describe('ten daily live runs with a 20% challenger', () => {
  it('keeps every partner in its arm on every run, scores each arm with its own document and lists it', async () => {
    const championRules = DEMO_STRATEGY.rules.filter((r) => r.event.params.role === 'condition').length;
    const challengerRules = CHALLENGER.rules.filter((r) => r.event.params.role === 'condition').length;
    for (const [n, asOf] of DAYS.entries()) {
      const [result] = await runWorklists(db, { segments: [SEGMENT], asOf, mode: 'LIVE' });
      runMs.push(result!.milliseconds);
      const [run] = await q(`SELECT experiment_id::text AS experiment_id, jsonb_array_length(rules) AS rules FROM worklist_runs WHERE id = $1`, [
        result!.runId,
      ]);
      expect(run).toEqual({ experiment_id: experimentId, rules: championRules + challengerRules });
      const items = await q<{ partner_id: string; arm: string | null; fired: string; valuation: number; priority: number }>(
        `SELECT partner_id::text AS partner_id, arm, fired::text AS fired, valuation, priority FROM worklist_items WHERE run_id = $1`,
        [result!.runId],
      );
      expect(items.length).toBeGreaterThan(1000);
      for (const item of items) {
        // The SQL split agrees with its JS twin, and a partner never changes arm.
        expect(item.arm).toBe(armOf(experimentKey, item.partner_id, 2000));
        if (!armSeen.has(item.partner_id)) armSeen.set(item.partner_id, item.arm!);
        expect(armSeen.get(item.partner_id)).toBe(item.arm);
        // Each arm's bits sit in its own part of the run's rule list.
        expect(item.fired.length).toBe(championRules + challengerRules);
        const other = item.arm === 'CHALLENGER' ? item.fired.slice(0, championRules) : item.fired.slice(championRules);
        expect(other).toMatch(/^0*$/);
      }
      const [listed] = await q(`SELECT count(*)::int AS n FROM experiment_listings WHERE run_id = $1`, [result!.runId]);
      expect(listed.n).toBe(items.length);
      if (n === 0) await expectArmsScoredByTheirDocuments(asOf, items);
    }
  }, 600_000);

  it('puts 20% of the group in the challenger arm (within 2 points), on the lists too', async () => {
    const { data, errors } = await gql(
      app.url,
      `query X($id: ID!) { experiment(id: $id) { runs latestRunAsOf arms { arm partners share onLatestList } } }`,
      { id: experimentId },
      supervisor,
    );
    expect(errors).toBeUndefined();
    expect(data.experiment.runs).toBe(10);
    expect(data.experiment.latestRunAsOf).toBe(DAYS[9]);
    const [champion, challenger] = data.experiment.arms;
    expect(champion.partners + challenger.partners).toBe(PARTNERS);
    expect(Math.abs(challenger.share - 0.2)).toBeLessThan(0.02);
    // The JS twin over every partner of the group gives the same count.
    const ids = await q<{ id: string }>(`SELECT id::text AS id FROM partners`);
    expect(ids.filter((p) => armOf(experimentKey, p.id, 2000) === 'CHALLENGER').length).toBe(challenger.partners);
    // On the lists each arm's own document decides who qualifies, so the listed share may differ; both arms are listed.
    expect(champion.onLatestList).toBeGreaterThan(0);
    expect(challenger.onLatestList).toBeGreaterThan(0);
    const [latest] = await q(
      `SELECT count(*) FILTER (WHERE arm = 'CHALLENGER')::int AS n FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id`,
    );
    expect(challenger.onLatestList).toBe(latest.n);
  });

  it('re-valuates a challenger partner with the challenger document and keeps its arm', async () => {
    const [item] = await q(
      `SELECT w.partner_id::text AS partner_id, w.valuation, w.fired::text AS fired FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id
        WHERE w.arm = 'CHALLENGER' ORDER BY w.partner_id LIMIT 1`,
    );
    const revaluation = await db.dataSource.transaction((m) => revaluatePartner(m, item.partner_id));
    expect(revaluation?.valuation).toBe(item.valuation);
    const [after] = await q(
      `SELECT w.arm, w.valuation, w.fired::text AS fired FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id WHERE w.partner_id = $1`,
      [item.partner_id],
    );
    expect(after).toEqual({ arm: 'CHALLENGER', valuation: item.valuation, fired: item.fired });
  });

  it("compares the arms' realised outcomes since the start with intervals", async () => {
    const started = performance.now();
    const { data, errors } = await gql(
      app.url,
      `query R($id: ID!) { experimentResults(id: $id, horizonDays: 30) { runs firstAsOf lastAsOf horizonDays confidence
          champion { arm partners toBeCollected collected collectedShare cureRate rollRate promisesBroken captureAtCapacity capacity auc }
          challenger { arm partners toBeCollected collected collectedShare cureRate rollRate promisesBroken captureAtCapacity capacity auc }
          differences { figure difference low high verdict } } }`,
      { id: experimentId },
      supervisor,
    );
    console.log(`experimentResults: ${Math.round(performance.now() - started)} ms`);
    expect(errors).toBeUndefined();
    const r = data.experimentResults;
    expect(r).toMatchObject({ runs: 10, firstAsOf: DAYS[0], lastAsOf: DAYS[9], horizonDays: 30, confidence: 0.95 });
    // Each partner once, from its first listing.
    const [listed] = await q(
      `SELECT count(DISTINCT partner_id) FILTER (WHERE arm = 'CHAMPION')::int AS champion, count(DISTINCT partner_id) FILTER (WHERE arm = 'CHALLENGER')::int AS challenger FROM experiment_listings`,
    );
    expect(r.champion.partners).toBe(listed.champion);
    expect(r.challenger.partners).toBe(listed.challenger);
    const [{ specialists }] = await q(`SELECT count(*)::int AS specialists FROM specialists WHERE group_key = $1 AND active`, [GROUP]);
    expect(r.champion.capacity + r.challenger.capacity).toBe(specialists * 30);
    for (const arm of [r.champion, r.challenger]) {
      expect(Number(arm.toBeCollected)).toBeGreaterThan(0);
      expect(arm.collectedShare).toBeGreaterThanOrEqual(0);
      expect(arm.collectedShare).toBeCloseTo(Number(arm.collected) / Number(arm.toBeCollected), 6);
    }
    expect(r.differences.map((d: any) => d.figure)).toEqual(['collectedShare', 'cureRate', 'rollRate', 'promisesBrokenPerPartner', 'captureAtCapacity', 'auc']);
    // The differences are the arms' own figures (summariseOutcomes) apart.
    const [share, cure, roll, broken] = r.differences;
    expect(share.difference).toBeCloseTo(r.challenger.collectedShare - r.champion.collectedShare, 9);
    expect(cure.difference).toBeCloseTo(r.challenger.cureRate - r.champion.cureRate, 9);
    expect(roll.difference).toBeCloseTo(r.challenger.rollRate - r.champion.rollRate, 9);
    expect(broken.difference).toBeCloseTo(r.challenger.promisesBroken / r.challenger.partners - r.champion.promisesBroken / r.champion.partners, 9);
    for (const d of r.differences) {
      if (d.low === null) continue;
      expect(d.low).toBeLessThanOrEqual(d.high);
      expect(['BETTER', 'WORSE', 'NO_CLEAR_DIFFERENCE']).toContain(d.verdict);
    }
    const bad = await gql(app.url, `query R($id: ID!) { experimentResults(id: $id, horizonDays: 0) { runs } }`, { id: experimentId }, supervisor);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'horizonDays' });
    const unknown = await gql(app.url, `query R($id: ID!) { experimentResults(id: $id) { runs } }`, { id: '999999' }, supervisor);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  }, 120_000);
});

describe('promote', () => {
  it("makes the challenger the group's strategy (audited); the next run scores everyone with it, without arms", async () => {
    const { data, errors } = await gql(
      app.url,
      `mutation P($id: ID!) { promoteExperiment(id: $id) { running outcome endedBy } }`,
      { id: experimentId },
      supervisor,
    );
    expect(errors).toBeUndefined();
    expect(data.promoteExperiment).toMatchObject({ running: false, outcome: 'PROMOTED' });
    const versions = await q(`SELECT id::text AS id, status FROM strategy_versions ORDER BY version`);
    expect(versions).toEqual([
      { id: championVersionId, status: 'RETIRED' },
      { id: challengerVersionId, status: 'ACTIVE' },
    ]);
    const audit = await q(`SELECT action FROM audit_log WHERE action IN ('EXPERIMENT_PROMOTED', 'STRATEGY_VERSION_ACTIVATED') ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['STRATEGY_VERSION_ACTIVATED', 'EXPERIMENT_PROMOTED']);
    const stop = await gql(app.url, `mutation S($id: ID!) { stopExperiment(id: $id) { id } }`, { id: experimentId }, supervisor);
    expect(stop.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const [result] = await runWorklists(db, { segments: [SEGMENT], asOf: '2026-09-11', mode: 'LIVE' });
    console.log(`live runs of ${PARTNERS} partners: median ${median(runMs)} ms with the 20% challenger, ${result!.milliseconds} ms after the promotion`);
    const [run] = await q(`SELECT experiment_id, strategy_version_id::text AS version, rules FROM worklist_runs WHERE id = $1`, [result!.runId]);
    expect(run.experiment_id).toBeNull();
    expect(run.version).toBe(challengerVersionId);
    expect(run.rules.map((r: { name: string }) => r.name)).toEqual(CHALLENGER.rules.filter((r) => r.event.params.role === 'condition').map((r) => r.name));
    const [arms] = await q(`SELECT count(*) FILTER (WHERE arm IS NOT NULL)::int AS armed, count(*)::int AS items FROM worklist_items WHERE run_id = $1`, [
      result!.runId,
    ]);
    expect(arms.items).toBeGreaterThan(1000);
    expect(arms.armed).toBe(0);
    const fired = await gql(
      app.url,
      `{ worklist(filter: { firedRule: "Challenger: over 5,000 to collect" }, first: 1) { totalCount edges { node { arm firedRules { name } } } } }`,
      {},
      supervisor,
    );
    expect(fired.errors).toBeUndefined();
    expect(fired.data.worklist.totalCount).toBeGreaterThan(0);
    expect(fired.data.worklist.edges[0].node.arm).toBeNull();
    expect(fired.data.worklist.edges[0].node.firedRules.map((r: { name: string }) => r.name)).toContain('Challenger: over 5,000 to collect');
  }, 120_000);
});

describe('stop and the list of experiments', () => {
  it('stops a running experiment (audited); the next run splits nobody; experiments pages newest first', async () => {
    // The retired v1 challenges the promoted v2, on a key of our own.
    const started = await gql(app.url, START, { input: input({ challengerVersion: 1, sharePercent: '12.5', key: 'RETRY-1' }) }, supervisor);
    expect(started.errors).toBeUndefined();
    expect(started.data.startExperiment).toMatchObject({ key: 'RETRY-1', sharePercent: '12.50', shareBasisPoints: 1250 });
    const id = started.data.startExperiment.id;
    const { data, errors } = await gql(app.url, `mutation S($id: ID!) { stopExperiment(id: $id) { running outcome endedOn } }`, { id }, supervisor);
    expect(errors).toBeUndefined();
    expect(data.stopExperiment).toMatchObject({ running: false, outcome: 'STOPPED' });
    expect((await q(`SELECT action FROM audit_log WHERE entity_type = 'EXPERIMENT' AND entity_id = $1 ORDER BY id`, [id])).map((a) => a.action)).toEqual([
      'EXPERIMENT_STARTED',
      'EXPERIMENT_STOPPED',
    ]);
    const versions = await q(`SELECT status FROM strategy_versions ORDER BY version`);
    expect(versions.map((v) => v.status)).toEqual(['RETIRED', 'ACTIVE']);
    const [result] = await runWorklists(db, { segments: [SEGMENT], asOf: '2026-09-12', mode: 'LIVE' });
    const [armed] = await q(`SELECT count(*) FILTER (WHERE arm IS NOT NULL)::int AS n FROM worklist_items WHERE run_id = $1`, [result!.runId]);
    expect(armed.n).toBe(0);

    const page1 = await gql(app.url, `{ experiments(first: 1) { edges { node { key outcome } } pageInfo { hasNextPage endCursor } } }`, {}, supervisor);
    expect(page1.data.experiments.edges.map((e: any) => e.node)).toEqual([{ key: 'RETRY-1', outcome: 'STOPPED' }]);
    const page2 = await gql(
      app.url,
      `query P($after: String) { experiments(first: 5, after: $after, group: "${GROUP}") { edges { node { key outcome } } pageInfo { hasNextPage } } }`,
      { after: page1.data.experiments.pageInfo.endCursor },
      supervisor,
    );
    expect(page2.data.experiments.edges.map((e: any) => e.node)).toEqual([{ key: experimentKey, outcome: 'PROMOTED' }]);
    expect(page2.data.experiments.pageInfo.hasNextPage).toBe(false);
    const running = await gql(app.url, `{ experiments(running: true) { edges { node { id } } } }`, {}, supervisor);
    expect(running.data.experiments.edges).toEqual([]);
    const bad = await gql(app.url, `{ experiments(first: 0) { edges { node { id } } } }`, {}, supervisor);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'first' });
    const cursor = await gql(app.url, `{ experiments(after: "nonsense") { edges { node { id } } } }`, {}, supervisor);
    expect(cursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await gql(app.url, `mutation { stopExperiment(id: "123456789") { id } }`, {}, supervisor);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  }, 120_000);
});

/** Each arm's items carry exactly what a preview of the arm's document gives the same partners at the same key date. */
async function expectArmsScoredByTheirDocuments(asOf: string, items: Array<{ partner_id: string; arm: string | null; valuation: number; priority: number }>) {
  for (const [arm, document] of [
    ['CHAMPION', DEMO_STRATEGY],
    ['CHALLENGER', CHALLENGER],
  ] as const) {
    const [preview] = await runWorklists(db, { segments: [SEGMENT], asOf, mode: 'PREVIEW', document });
    const scored = new Map(
      (await q(`SELECT partner_id::text AS partner_id, valuation, priority FROM worklist_items WHERE run_id = $1`, [preview!.runId])).map((r) => [
        r.partner_id,
        `${r.valuation}/${r.priority}`,
      ]),
    );
    const mine = items.filter((i) => i.arm === arm);
    expect(mine.length).toBeGreaterThan(100);
    for (const item of mine) expect([item.partner_id, `${item.valuation}/${item.priority}`]).toEqual([item.partner_id, scored.get(item.partner_id)]);
    // The arm's partners on the preview's list are on the run's list too.
    const inArm = [...scored.keys()].filter((id) => armOf(experimentKey, id, 2000) === arm);
    expect(inArm.length).toBe(mine.length);
  }
}
