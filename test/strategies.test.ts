import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { activeStrategyOf } from '../packages/server/src/worklists/worklist-run.service';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertSegment, insertStrategy, rule, strategyDocument, when } from './support/worklist-fixtures';

const VERSION = 'id version status revision document createdBy activatedAt retiredAt strategy { key name }';
const CREATE = `mutation($input: CreateStrategyInput!) { createStrategy(input: $input) { ${VERSION} } }`;
const UPDATE = `mutation($input: UpdateStrategyDraftInput!) { updateStrategyDraft(input: $input) { ${VERSION} } }`;
const ACTIVATE = `mutation($id: ID!) { activateStrategyVersion(versionId: $id) { version { ${VERSION} } retired { id version status } groups } }`;
const RETIRE = `mutation($id: ID!) { retireStrategyVersion(versionId: $id) { ${VERSION} } }`;
const COPY = `mutation($input: CopyStrategyVersionInput!) { copyStrategyVersion(input: $input) { ${VERSION} } }`;

const v1Doc = () =>
  strategyDocument({
    key: 'COLL',
    name: 'Collections',
    rules: [
      rule('Overdue', 40, 'condition', when('overdueAmount', 'greaterThan', 0)),
      rule('Broken promise', 30, 'condition', when('brokenPromises', 'greaterThanInclusive', 1, { withinDays: 90 })),
      rule('Disputed', 0, 'exit', when('allOverdueDisputedOrBlocked', 'equal', true)),
    ],
  });

describe(`strategies over GraphQL (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let db: Database;
  let app: RunningApp;
  let configurator: string;
  let admin: string;
  let client: string;
  const ids: Record<string, string> = {};
  const audit = (key: string): Promise<Array<{ action: string; actor_name: string; actor_role: string; details: any }>> =>
    db.dataSource.query(`SELECT action, actor_name, actor_role, details FROM audit_log WHERE entity_type = 'STRATEGY' AND entity_id = $1 ORDER BY id`, [key]);

  beforeAll(async () => {
    db = await openTestDatabase();
    await insertSegment(db, 'SEG', [
      { key: 'TEAM_A', strategyKey: 'COLL' },
      { key: 'TEAM_B', strategyKey: 'COLL' },
    ]);
    await insertSegment(db, 'OTHER_SEG', [{ key: 'TEAM_C', strategyKey: 'OTHER' }]);
    app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
    configurator = await createTestToken(db, 'CONFIGURATOR');
    admin = await createTestToken(db, 'ADMIN');
    client = await createTestToken(db, 'CLIENT');
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('creates a strategy with its first draft and audits it in the same transaction', async () => {
    const { data, errors } = await gql(app.url, CREATE, { input: { key: 'COLL', name: 'Collections', document: v1Doc() } }, configurator);
    expect(errors).toBeUndefined();
    const draft = data.createStrategy;
    expect(draft).toMatchObject({
      version: 1,
      status: 'DRAFT',
      revision: 1,
      document: v1Doc(),
      activatedAt: null,
      strategy: { key: 'COLL', name: 'Collections' },
    });
    expect(draft.createdBy).toMatch(/^test-configurator-/);
    ids.v1 = draft.id;
    const rows = await audit('COLL');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'STRATEGY_CREATED', actor_role: 'CONFIGURATOR', details: { versionId: draft.id, version: 1, rules: 3 } });
    expect(rows[0]!.actor_name).toBe(draft.createdBy);
  });

  it('creates a skeleton draft when no document is given, and refuses a taken key with CONFLICT', async () => {
    const { data, errors } = await gql(app.url, CREATE, { input: { key: 'SKEL', name: 'Skeleton', currency: 'GBP' } }, admin);
    expect(errors).toBeUndefined();
    expect(data.createStrategy.document).toMatchObject({ key: 'SKEL', name: 'Skeleton', currency: 'GBP', rules: [{ name: 'Nothing to collect' }] });
    const again = await gql(app.url, CREATE, { input: { key: 'SKEL', name: 'Again' } }, admin);
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', key: 'SKEL' });
    expect(await db.dataSource.query(`SELECT name FROM strategies WHERE key = 'SKEL'`)).toEqual([{ name: 'Skeleton' }]);
  });

  it('validates every write: BAD_USER_INPUT with the JSON path, and nothing written', async () => {
    const bad = v1Doc();
    (bad.rules[1]!.conditions as any).all[0].value = 'one';
    const result = await gql(app.url, CREATE, { input: { key: 'BAD', name: 'Bad', document: bad } }, configurator);
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.path).toBe('rules[1].conditions.all[0].value');
    expect(result.errors?.[0]?.message).toMatch(/rules\[1\]\.conditions\.all\[0\]\.value/);
    const wrongKey = await gql(app.url, CREATE, { input: { key: 'BAD', name: 'Bad', document: v1Doc() } }, configurator);
    expect(wrongKey.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'key' });
    const badKey = await gql(app.url, CREATE, { input: { key: 'has space', name: 'Bad' } }, configurator);
    expect(badKey.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'key' });
    expect(await db.dataSource.query(`SELECT 1 FROM strategies WHERE key IN ('BAD', 'has space')`)).toEqual([]);
    expect(await audit('BAD')).toEqual([]);
  });

  it('validateStrategy answers the document or every error with its path', async () => {
    const q = `query($d: JSON!) { validateStrategy(document: $d) {
      __typename ... on ValidStrategy { document } ... on InvalidStrategy { errors { path message } } } }`;
    const valid = await gql(app.url, q, { d: v1Doc() }, client);
    expect(valid.data.validateStrategy).toEqual({ __typename: 'ValidStrategy', document: v1Doc() });
    const bad: any = v1Doc();
    bad.rules[0].conditions.all[0].fact = 'overdueAmmount';
    bad.rules[2].name = 'Overdue';
    bad.priorities = [{ priority: 1, label: 'High', minPercent: 50 }];
    bad.rules[1].conditions.all[0].params = { withinDays: -5 };
    const invalid = await gql(app.url, q, { d: bad }, client);
    expect(invalid.data.validateStrategy.__typename).toBe('InvalidStrategy');
    const paths = invalid.data.validateStrategy.errors.map((e: any) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['priorities', 'rules[0].conditions.all[0].fact', 'rules[1].conditions.all[0].params.withinDays', 'rules[2].name']),
    );
    expect(invalid.data.validateStrategy.errors.find((e: any) => e.path === 'rules[0].conditions.all[0].fact').message).toMatch(/overdueAmount/);
    const notObject = await gql(app.url, q, { d: [1, 2] }, client);
    expect(notObject.data.validateStrategy.errors).toEqual([{ path: '', message: 'The strategy must be a JSON object.' }]);
  });

  it('edits a draft with optimistic concurrency: a stale revision is CONFLICT and changes nothing', async () => {
    const doc = v1Doc();
    doc.rules[0]!.event.params.points = 45;
    const first = await gql(app.url, UPDATE, { input: { versionId: ids.v1, revision: 1, document: doc } }, configurator);
    expect(first.errors).toBeUndefined();
    expect(first.data.updateStrategyDraft).toMatchObject({ revision: 2, document: doc });
    const stale = v1Doc();
    stale.rules[0]!.event.params.points = 99;
    const conflict = await gql(app.url, UPDATE, { input: { versionId: ids.v1, revision: 1, document: stale } }, admin);
    expect(conflict.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', expectedRevision: 1, currentRevision: 2 });
    const [row] = await db.dataSource.query(`SELECT revision, document FROM strategy_versions WHERE id = $1`, [ids.v1]);
    expect(row.revision).toBe(2);
    expect(row.document.rules[0].event.params.points).toBe(45);

    // Two edits of the same revision at once: exactly one wins.
    const a = v1Doc();
    a.rules[0]!.event.params.points = 41;
    const b = v1Doc();
    b.rules[0]!.event.params.points = 42;
    const results = await Promise.all([a, b].map((document) => gql(app.url, UPDATE, { input: { versionId: ids.v1, revision: 2, document } }, configurator)));
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    const winner = results.find((r) => !r.errors)!.data.updateStrategyDraft;
    expect(winner.revision).toBe(3);
    const [after] = await db.dataSource.query(`SELECT revision, document FROM strategy_versions WHERE id = $1`, [ids.v1]);
    expect(after.revision).toBe(3);
    expect(after.document.rules[0].event.params.points).toBe(winner.document.rules[0].event.params.points);

    const rows = await audit('COLL');
    expect(rows.map((r) => r.action)).toEqual(['STRATEGY_CREATED', 'STRATEGY_DRAFT_UPDATED', 'STRATEGY_DRAFT_UPDATED']);
    expect(rows[1]!.details).toMatchObject({ versionId: ids.v1, revision: 2, changes: { rulesChanged: [{ name: 'Overdue', changes: ['points'] }] } });

    const invalid = await gql(app.url, UPDATE, { input: { versionId: ids.v1, revision: 3, document: { ...v1Doc(), minPercent: 150 } } }, configurator);
    expect(invalid.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'minPercent' });
    expect((await db.dataSource.query(`SELECT revision FROM strategy_versions WHERE id = $1`, [ids.v1]))[0].revision).toBe(3);
    expect(await audit('COLL')).toHaveLength(3);
  });

  it('activates a version: it goes live for the groups naming the strategy, the previous one is retired', async () => {
    const forbidden = await gql(app.url, ACTIVATE, { id: ids.v1 }, client);
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await expect(activeStrategyOf(db, 'SEG')).rejects.toThrow(/no active version/);

    const first = await gql(app.url, ACTIVATE, { id: ids.v1 }, configurator);
    expect(first.errors).toBeUndefined();
    expect(first.data.activateStrategyVersion).toMatchObject({ version: { id: ids.v1, status: 'ACTIVE' }, retired: null, groups: ['TEAM_A', 'TEAM_B'] });
    expect(first.data.activateStrategyVersion.version.activatedAt).not.toBeNull();
    expect((await activeStrategyOf(db, 'SEG')).versionId).toBe(ids.v1);

    const again = await gql(app.url, ACTIVATE, { id: ids.v1 }, configurator);
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const edit = await gql(app.url, UPDATE, { input: { versionId: ids.v1, revision: 3, document: v1Doc() } }, configurator);
    expect(edit.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', status: 'ACTIVE' });

    // The next version: a copy of the live one, edited, then activated.
    const copy = await gql(app.url, COPY, { input: { versionId: ids.v1 } }, configurator);
    expect(copy.errors).toBeUndefined();
    expect(copy.data.copyStrategyVersion).toMatchObject({ version: 2, status: 'DRAFT', revision: 1, strategy: { key: 'COLL' } });
    ids.v2 = copy.data.copyStrategyVersion.id;
    const doc2: any = copy.data.copyStrategyVersion.document;
    doc2.rules = doc2.rules.filter((r: any) => r.name !== 'Broken promise');
    doc2.rules[0].event.params.points = 60;
    doc2.rules[0].conditions.all[0].params = { minDaysOverdue: 30 };
    doc2.rules.push(rule('No contact', 20, 'condition', { all: [{ not: { fact: 'daysSinceLastContact', operator: 'lessThanInclusive', value: 30 } }] }));
    doc2.priorities = [
      { priority: 1, label: 'High', minPercent: 60 },
      { priority: 2, label: 'Low', minPercent: 0 },
      { priority: 3, label: 'Watch', minPercent: 30 },
    ];
    doc2.currency = 'GBP';
    const edited = await gql(app.url, UPDATE, { input: { versionId: ids.v2, revision: 1, document: doc2 } }, configurator);
    expect(edited.errors).toBeUndefined();

    const second = await gql(app.url, ACTIVATE, { id: ids.v2 }, admin);
    expect(second.errors).toBeUndefined();
    expect(second.data.activateStrategyVersion).toMatchObject({
      version: { id: ids.v2, version: 2, status: 'ACTIVE' },
      retired: { id: ids.v1, version: 1, status: 'RETIRED' },
      groups: ['TEAM_A', 'TEAM_B'],
    });
    const states = await db.dataSource.query(
      `SELECT version, status, retired_at IS NOT NULL AS retired FROM strategy_versions v JOIN strategies s ON s.id = v.strategy_id WHERE s.key = 'COLL' ORDER BY version`,
    );
    expect(states).toEqual([
      { version: 1, status: 'RETIRED', retired: true },
      { version: 2, status: 'ACTIVE', retired: false },
    ]);
    // The groups' runs now take version 2 (the same join the worklist run uses).
    const groups = await db.dataSource.query(
      `SELECT g.key, v.id AS version_id FROM collection_groups g JOIN strategies s ON s.key = g.strategy_key
         JOIN strategy_versions v ON v.strategy_id = s.id AND v.status = 'ACTIVE' ORDER BY g.key`,
    );
    expect(groups.map((g: any) => [g.key, String(g.version_id)])).toEqual([
      ['TEAM_A', ids.v2],
      ['TEAM_B', ids.v2],
    ]);
    expect((await activeStrategyOf(db, 'SEG')).versionId).toBe(ids.v2);

    const rows = await audit('COLL');
    expect(rows.map((r) => r.action)).toEqual([
      'STRATEGY_CREATED',
      'STRATEGY_DRAFT_UPDATED',
      'STRATEGY_DRAFT_UPDATED',
      'STRATEGY_VERSION_ACTIVATED',
      'STRATEGY_VERSION_COPIED',
      'STRATEGY_DRAFT_UPDATED',
      'STRATEGY_VERSION_ACTIVATED',
    ]);
    expect(rows.at(-1)).toMatchObject({
      actor_role: 'ADMIN',
      details: { versionId: ids.v2, version: 2, retiredVersionId: ids.v1, retiredVersion: 1, groups: ['TEAM_A', 'TEAM_B'] },
    });
    expect(rows[4]!.details).toMatchObject({ versionId: ids.v2, copiedFrom: { strategyKey: 'COLL', versionId: ids.v1, version: 1 } });
  });

  it('diffs two versions structurally: rules, points, bands and settings', async () => {
    const { data, errors } = await gql(
      app.url,
      `query($a: ID!, $b: ID!) { strategyDiff(from: $a, to: $b) {
      from { version } to { version } identical
      rulesAdded { name points role } rulesRemoved { name points role }
      rulesChanged { name changes before { points } after { points } } pointsChanged { name before after }
      bandsAdded { priority before { minPercent } after { label minPercent } } bandsRemoved { priority }
      bandsChanged { priority before { label minPercent } after { label minPercent } }
      settingsChanged { field before after } } }`,
      { a: ids.v1, b: ids.v2 },
      client,
    );
    expect(errors).toBeUndefined();
    const diff = data.strategyDiff;
    expect(diff.from.version).toBe(1);
    expect(diff.to.version).toBe(2);
    expect(diff.identical).toBe(false);
    expect(diff.rulesAdded).toEqual([{ name: 'No contact', points: 20, role: 'condition' }]);
    expect(diff.rulesRemoved).toEqual([{ name: 'Broken promise', points: 30, role: 'condition' }]);
    const overdue = diff.rulesChanged.find((r: any) => r.name === 'Overdue');
    expect(overdue.changes).toEqual(['points', 'conditions']);
    expect(overdue.before.points).not.toBe(60);
    expect(overdue.after.points).toBe(60);
    expect(diff.rulesChanged).toHaveLength(1);
    expect(diff.pointsChanged).toEqual([{ name: 'Overdue', before: overdue.before.points, after: 60 }]);
    expect(diff.bandsAdded).toEqual([{ priority: 3, before: null, after: { label: 'Watch', minPercent: 30 } }]);
    expect(diff.bandsRemoved).toEqual([]);
    expect(diff.bandsChanged).toEqual([{ priority: 1, before: { label: 'High', minPercent: 50 }, after: { label: 'High', minPercent: 60 } }]);
    expect(diff.settingsChanged).toEqual([{ field: 'currency', before: 'EUR', after: 'GBP' }]);

    const same = await gql(app.url, `query($a: ID!) { strategyDiff(from: $a, to: $a) { identical rulesChanged { name } } }`, { a: ids.v2 }, client);
    expect(same.data.strategyDiff).toEqual({ identical: true, rulesChanged: [] });
  });

  it('lists a strategy with its versions, live version and groups', async () => {
    const { data, errors } = await gql(
      app.url,
      `{ strategy(key: "COLL") { key name groups activeVersion { version }
      versions { version status } } strategies(first: 2) { edges { cursor node { key } } pageInfo { hasNextPage endCursor } } }`,
      {},
      client,
    );
    expect(errors).toBeUndefined();
    expect(data.strategy).toEqual({
      key: 'COLL',
      name: 'Collections',
      groups: ['TEAM_A', 'TEAM_B'],
      activeVersion: { version: 2 },
      versions: [
        { version: 2, status: 'ACTIVE' },
        { version: 1, status: 'RETIRED' },
      ],
    });
    expect(data.strategies.edges.map((e: any) => e.node.key)).toEqual(['COLL', 'SKEL']);
    expect(data.strategies.pageInfo.hasNextPage).toBe(false);
    const missing = await gql(app.url, `{ strategy(key: "NOPE") { key } }`, {}, client);
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    for (const id of ['999999', 'abc']) {
      const v = await gql(app.url, `query($id: ID!) { strategyVersion(id: $id) { id } }`, { id }, client);
      expect(v.errors?.[0]?.extensions?.code, id).toBe('NOT_FOUND');
    }
  });

  it('refuses to activate an invalid document, with the path', async () => {
    const broken: any = v1Doc();
    broken.key = 'LEGACY';
    broken.rules[0].conditions.all[0].operator = 'contains';
    const versionId = await insertStrategy(db, 'LEGACY', broken, 'DRAFT');
    const result = await gql(app.url, ACTIVATE, { id: versionId }, configurator);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'rules[0].conditions.all[0].operator' });
    expect((await db.dataSource.query(`SELECT status FROM strategy_versions WHERE id = $1`, [versionId]))[0].status).toBe('DRAFT');
    expect(await audit('LEGACY')).toEqual([]);
  });

  it('retires drafts and unused live versions, but not the live version of groups', async () => {
    const live = await gql(app.url, RETIRE, { id: ids.v2 }, configurator);
    expect(live.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', groups: ['TEAM_A', 'TEAM_B'] });
    const copy = await gql(app.url, COPY, { input: { versionId: ids.v2 } }, configurator);
    const draftId = copy.data.copyStrategyVersion.id;
    const retired = await gql(app.url, RETIRE, { id: draftId }, configurator);
    expect(retired.errors).toBeUndefined();
    expect(retired.data.retireStrategyVersion).toMatchObject({ id: draftId, status: 'RETIRED' });
    expect(retired.data.retireStrategyVersion.retiredAt).not.toBeNull();
    const twice = await gql(app.url, RETIRE, { id: draftId }, configurator);
    expect(twice.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    // A retired version can be activated again (a rollback) and then retired when no group runs it.
    const skel = (await db.dataSource.query(`SELECT v.id FROM strategy_versions v JOIN strategies s ON s.id = v.strategy_id WHERE s.key = 'SKEL'`))[0].id;
    expect((await gql(app.url, ACTIVATE, { id: String(skel) }, configurator)).errors).toBeUndefined();
    const unused = await gql(app.url, RETIRE, { id: String(skel) }, configurator);
    expect(unused.data.retireStrategyVersion.status).toBe('RETIRED');
    expect((await gql(app.url, RETIRE, { id: draftId }, client)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await audit('SKEL')).map((r) => r.action)).toEqual(['STRATEGY_CREATED', 'STRATEGY_VERSION_ACTIVATED', 'STRATEGY_VERSION_RETIRED']);
  });

  it('copies a version into a new strategy with its own key', async () => {
    const { data, errors } = await gql(app.url, COPY, { input: { versionId: ids.v2, key: 'COLL_B2B', name: 'Collections B2B' } }, configurator);
    expect(errors).toBeUndefined();
    expect(data.copyStrategyVersion).toMatchObject({ version: 1, status: 'DRAFT', strategy: { key: 'COLL_B2B', name: 'Collections B2B' } });
    expect(data.copyStrategyVersion.document).toMatchObject({ key: 'COLL_B2B', name: 'Collections B2B', currency: 'GBP' });
    expect(data.copyStrategyVersion.document.rules.map((r: any) => r.name)).toEqual(['Overdue', 'Disputed', 'No contact']);
    expect(await audit('COLL_B2B')).toMatchObject([{ action: 'STRATEGY_CREATED', details: { copiedFrom: { strategyKey: 'COLL', versionId: ids.v2 } } }]);
    const taken = await gql(app.url, COPY, { input: { versionId: ids.v2, key: 'SKEL' } }, configurator);
    expect(taken.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('queries the audit log newest first, filtered and paged', async () => {
    const q = `query($after: String) { auditLog(entityType: "STRATEGY", entityId: "COLL", first: 4, after: $after) {
      edges { cursor node { action actorName actorRole entityType entityId at details } } pageInfo { hasNextPage endCursor } } }`;
    const page1 = await gql(app.url, q, {}, admin);
    expect(page1.errors).toBeUndefined();
    expect(page1.data.auditLog.edges.map((e: any) => e.node.action)).toEqual([
      'STRATEGY_VERSION_RETIRED',
      'STRATEGY_VERSION_COPIED',
      'STRATEGY_VERSION_ACTIVATED',
      'STRATEGY_DRAFT_UPDATED',
    ]);
    expect(page1.data.auditLog.pageInfo.hasNextPage).toBe(true);
    const page2 = await gql(app.url, q, { after: page1.data.auditLog.pageInfo.endCursor }, admin);
    expect(page2.data.auditLog.edges.map((e: any) => e.node.action)).toEqual([
      'STRATEGY_VERSION_COPIED',
      'STRATEGY_VERSION_ACTIVATED',
      'STRATEGY_DRAFT_UPDATED',
      'STRATEGY_DRAFT_UPDATED',
    ]);
    const page3 = await gql(app.url, q, { after: page2.data.auditLog.pageInfo.endCursor }, admin);
    expect(page3.data.auditLog.edges.map((e: any) => e.node.action)).toEqual(['STRATEGY_CREATED']);
    expect(page3.data.auditLog.pageInfo.hasNextPage).toBe(false);
    expect(page3.data.auditLog.edges[0].node).toMatchObject({ actorRole: 'CONFIGURATOR', entityType: 'STRATEGY', entityId: 'COLL' });
    expect(new Date(page3.data.auditLog.edges[0].node.at).getTime()).toBeLessThanOrEqual(Date.now());
    const bad = await gql(app.url, `{ auditLog(first: 1000) { edges { cursor } } }`, {}, admin);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'first' });
  });
});
