import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Before the services: it loads reflect-metadata (as the app's entry points do), which the type-graphql types the services reach need.
import { count, openTestDatabase } from './support/database';
import type { Database } from '../packages/server/src/db/database';
import {
  deliverEmails,
  mailTransport,
  runDunning,
  saveAddress,
  saveProcedure,
  saveTemplate,
  setExclusion,
} from '../packages/server/src/dunning/dunning.service';
import { parseTemplate, renderTemplate } from '../packages/server/src/dunning/dunning-template';
import { runWorklist } from '../packages/server/src/worklists/worklist-run.service';
import { insertItems, insertPartners, insertSegment, insertSpecialist, insertStrategy, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * A dunning run at D = 2026-03-01 under procedure STD (grace 5 days, EUR charges):
 *   level 1  -3 days  reminder   SMS    charge 0
 *   level 2   1 day   dunning    EMAIL  charge 5     (reached at 1 + 5 grace = 6 days)
 *   level 3  30 days  dunning    LETTER charge 10    (35 with grace)
 *   level 4  60 days  legal      LETTER charge 50    (65 with grace)
 * Partner 7001 (e-mail, phone): I1 due 03-03 (-2 days, level 0) -> 1 (reminder by SMS);
 *   I2 due 02-26 (3 days, level 0): not reached within the grace days -> nothing (and no reminder: overdue);
 *   I3 due 02-19 (10 days, level 0) -> 2 (skipping the reminder); I4 due 01-20 (40 days, level 2) -> 3;
 *   I5 due 12-01 (90 days, level 3) -> 4 (legal); I6 due 02-01 (28 days) blocked on the item -> nothing;
 *   I7 due 02-01 disputed -> nothing; I8 due 02-10 (19 days, level 0, GBP) -> 2 (its own notice, in GBP).
 * Partner 7002 (no address): J1 due 12-01 (90 days, level 3) excluded from legal dunning -> stays 3;
 *   J2 due 02-15 (14 days, level 0) -> 2, by LETTER (no e-mail address).
 * Partner 7003 blocked as a whole: K1 due 02-01 -> nothing.
 */
const D = '2026-03-01';
let db: Database;
let runId: string;

const levelOf = async (item: number) => Number((await query(db, `SELECT dunning_level FROM open_items WHERE id = $1`, [item]))[0]!.dunning_level);

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(
    db,
    'DUN',
    strategyDocument({
      key: 'DUN',
      name: 'Dunning',
      rules: [
        rule('Overdue', 10, 'condition', when('overdueAmount', 'greaterThan', 0)),
        rule('Dunned to level 3', 20, 'condition', when('maxDunningLevel', 'greaterThanInclusive', 3)),
        rule('Legal', 40, 'condition', when('maxDunningLevel', 'greaterThanInclusive', 4)),
      ],
    }),
  );
  await insertSegment(db, 'DS', [{ key: 'DS_G', strategyKey: 'DUN' }]);
  await insertSpecialist(db, 71, 'DS_G');
  await insertPartners(db, [
    { id: 7001, segment: 'DS' },
    { id: 7002, segment: 'DS' },
    { id: 7003, segment: 'DS' },
  ]);
  await query(db, `UPDATE partners SET name = 'Acme Ltd' WHERE id = 7001`);
  await insertItems(db, [
    { id: 1, partner: 7001, due: '2026-03-03', open: 100 },
    { id: 2, partner: 7001, due: '2026-02-26', open: 200 },
    { id: 3, partner: 7001, due: '2026-02-19', open: 300 },
    { id: 4, partner: 7001, due: '2026-01-20', open: 400, dunning: 2 },
    { id: 5, partner: 7001, due: '2025-12-01', open: 500, dunning: 3 },
    { id: 6, partner: 7001, due: '2026-02-01', open: 600, block: true },
    { id: 7, partner: 7001, due: '2026-02-01', open: 700 },
    { id: 8, partner: 7001, due: '2026-02-10', open: 80, currency: 'GBP' },
    { id: 21, partner: 7002, due: '2025-12-01', open: 900, dunning: 3 },
    { id: 22, partner: 7002, due: '2026-02-15', open: 1000.5 },
    { id: 31, partner: 7003, due: '2026-02-01', open: 50 },
  ]);
  await query(db, `INSERT INTO fx_rates (from_currency, to_currency, rate_date, rate) VALUES ('GBP', 'EUR', '2026-01-01', 1.2)`);
  await query(
    db,
    `INSERT INTO disputes (external_id, partner_id, item_id, created_date, disputed_amount, currency, status) VALUES ('DX', 7001, 7, '2026-02-20', 700, 'EUR', 'OPEN')`,
  );
  await saveTemplate(db, {
    key: 'REMINDER',
    body: 'Dear {{partner.name}}, {{itemCount}} item(s) fall due soon: {{#each items}}[{{item.externalId}} due {{item.dueDate}} {{item.openAmount}} {{item.currency}}]{{/each}}',
  });
  await saveTemplate(db, {
    key: 'DUNNING',
    subject: 'Level {{level}} notice for {{partner.externalId}}',
    body: 'Dear {{partner.name}},\n{{#each items}}- {{item.externalId}}: {{item.openAmount}} {{item.currency}}, {{item.daysOverdue}} days overdue\n{{/each}}Total {{total}} {{currency}}; charge {{charge}} {{chargeCurrency}}.',
  });
  await saveProcedure(db, {
    key: 'STD',
    name: 'Standard',
    graceDays: 5,
    currency: 'EUR',
    levels: [
      { level: 1, daysOverdue: -3, channel: 'SMS', templateKey: 'REMINDER' },
      { level: 2, daysOverdue: 1, charge: '5', channel: 'EMAIL', templateKey: 'DUNNING' },
      { level: 3, daysOverdue: 30, charge: '10', channel: 'LETTER', templateKey: 'DUNNING' },
      { level: 4, daysOverdue: 60, charge: '50', channel: 'LETTER', templateKey: 'DUNNING', legal: true },
    ],
  });
  await saveAddress(db, { partnerId: '7001', email: 'ap@acme.example', phone: '+49 1' });
  await setExclusion(db, { partnerId: '7002', itemId: '21', kind: 'LEGAL', excluded: true, reason: 'in court already' });
  await setExclusion(db, { partnerId: '7003', kind: 'BLOCK', excluded: true, reason: 'insolvency' });
  runId = (await runWorklist(db, { segment: 'DS', asOf: D, mode: 'LIVE' })).runId;
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe(`dunning (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('a dry run proposes and renders the notices but writes nothing', async () => {
    const before = await Promise.all(['dunning_runs', 'dunning_notices', 'dunning_notice_items'].map((t) => count(db, t)));
    const levels = await query(db, `SELECT id, dunning_level FROM open_items ORDER BY id`);
    const result = await runDunning(db, { asOf: D, dryRun: true });
    expect(result).toMatchObject({ runId: null, dryRun: true, partners: 2, notices: 6, items: 6, revaluated: 0 });
    expect(result.sample).toHaveLength(6);
    expect(result.sample.find((n) => n.partnerId === '7001' && n.level === 1)).toMatchObject({ channel: 'SMS', recipient: '+49 1', itemIds: ['1'] });
    expect(await Promise.all(['dunning_runs', 'dunning_notices', 'dunning_notice_items'].map((t) => count(db, t)))).toEqual(before);
    expect(await query(db, `SELECT id, dunning_level FROM open_items ORDER BY id`)).toEqual(levels);
    expect(before).toEqual([0, 0, 0]);
    expect(await count(db, 'dunning_level_changes')).toBe(0);
  });

  it('runs end to end: notices per partner, level and currency rendered into the outbox, levels raised, partners re-valuated', async () => {
    const [before] = await query(db, `SELECT valuation, max_dunning_level FROM worklist_items WHERE run_id = $1 AND partner_id = 7001`, [runId]);
    expect(before).toMatchObject({ valuation: 30, max_dunning_level: 3 });
    const result = await runDunning(db, { asOf: D, createdBy: 'test' });
    expect(result).toMatchObject({ dryRun: false, partners: 2, notices: 6, items: 6, revaluated: 2 });
    expect(result.byLevel).toEqual([
      { level: 1, notices: 1, items: 1 },
      { level: 2, notices: 3, items: 3 },
      { level: 3, notices: 1, items: 1 },
      { level: 4, notices: 1, items: 1 },
    ]);

    // levels: reminder, grace, skipped reminder, one level per run, legal, blocked, disputed, legal exclusion, partner block
    expect(await Promise.all([1, 2, 3, 4, 5, 6, 7, 8, 21, 22, 31].map(levelOf))).toEqual([1, 0, 2, 3, 4, 0, 0, 2, 3, 2, 0]);

    const notices = await query(
      db,
      `SELECT partner_id::int AS partner, level, channel, recipient, currency::text AS currency, total_amount::text AS total,
        charge::text AS charge, subject, body, status,
        ARRAY(SELECT item_id::int FROM dunning_notice_items i WHERE i.notice_id = n.id ORDER BY item_id) AS items
      FROM dunning_notices n WHERE run_id = $1 ORDER BY partner_id, level, currency`,
      [result.runId],
    );
    expect(notices.map((n) => [n.partner, n.level, n.channel, n.recipient, n.currency, n.total, n.charge, n.items, n.status])).toEqual([
      [7001, 1, 'SMS', '+49 1', 'EUR', '100.0000', '0.0000', [1], 'PENDING'],
      [7001, 2, 'EMAIL', 'ap@acme.example', 'EUR', '300.0000', '5.0000', [3], 'PENDING'],
      [7001, 2, 'EMAIL', 'ap@acme.example', 'GBP', '80.0000', '5.0000', [8], 'PENDING'],
      [7001, 3, 'LETTER', null, 'EUR', '400.0000', '10.0000', [4], 'PENDING'],
      [7001, 4, 'LETTER', null, 'EUR', '500.0000', '50.0000', [5], 'PENDING'],
      [7002, 2, 'LETTER', null, 'EUR', '1000.5000', '5.0000', [22], 'PENDING'],
    ]);
    expect(notices[0]!.body).toBe('Dear Acme Ltd, 1 item(s) fall due soon: [I1 due 2026-03-03 100.00 EUR]');
    expect(notices[0]!.subject).toBeNull();
    expect(notices[1]!.subject).toBe('Level 2 notice for P7001');
    expect(notices[1]!.body).toBe('Dear Acme Ltd,\n- I3: 300.00 EUR, 10 days overdue\nTotal 300.00 EUR; charge 5.00 EUR.');
    expect(notices[5]!.body).toContain('- I22: 1000.50 EUR, 14 days overdue');
    const items = await query(db, `SELECT item_id::int AS item, previous_level, level, days_overdue FROM dunning_notice_items ORDER BY item_id`);
    expect(items).toContainEqual({ item: 4, previous_level: 2, level: 3, days_overdue: 40 });
    expect(await query(db, `SELECT partners, notices, items, finished_at IS NOT NULL AS finished FROM dunning_runs WHERE id = $1`, [result.runId])).toEqual([
      { partners: 2, notices: 6, items: 6, finished: true },
    ]);

    // the live worklist item of 7001 re-valuated: max dunning level 4 fires "Legal"
    const [after] = await query(
      db,
      `SELECT valuation, max_dunning_level, revaluated_at IS NOT NULL AS revaluated FROM worklist_items WHERE run_id = $1 AND partner_id = 7001`,
      [runId],
    );
    expect(after).toEqual({ valuation: 70, max_dunning_level: 4, revaluated: true });
  });

  it('a second run on the same date raises nothing more (one level per run, next levels not reached yet)', async () => {
    const result = await runDunning(db, { asOf: D });
    expect(result).toMatchObject({ notices: 0, items: 0 });
    expect(await levelOf(3)).toBe(2);
  });

  it('lifting the legal exclusion lets the item reach legal dunning; an item block keeps it (and re-valuates)', async () => {
    await setExclusion(db, { partnerId: '7002', itemId: '21', kind: 'LEGAL', excluded: false });
    await setExclusion(db, { partnerId: '7002', itemId: '22', kind: 'BLOCK', excluded: true });
    expect((await query(db, `SELECT dunning_block FROM open_items WHERE id = 22`))[0]!.dunning_block).toBe(true);
    // At 04-30: I1 1->2 and I2 0->2 (one notice), I3 2->3 and I8 2->3 (EUR and GBP notices), I4 3->4, J1 3->4; J2 blocked now.
    const result = await runDunning(db, { asOf: '2026-04-30' });
    expect(result.byLevel).toEqual([
      { level: 2, notices: 1, items: 2 },
      { level: 3, notices: 2, items: 2 },
      { level: 4, notices: 2, items: 2 },
    ]);
    expect(await Promise.all([1, 2, 3, 4, 5, 8, 21, 22].map(levelOf))).toEqual([2, 2, 3, 4, 4, 3, 4, 2]);
    const [beta] = await query(db, `SELECT max_dunning_level FROM worklist_items WHERE run_id = $1 AND partner_id = 7002`, [runId]);
    expect(beta).toEqual({ max_dunning_level: 4 });
  });

  it("dates every level a run raised an item to with the run's date (the item's level history)", async () => {
    const history = await query(
      db,
      `SELECT item_id::int AS item, dunned_on::text AS day, partner_id::int AS partner, level FROM dunning_level_changes ORDER BY item_id, dunned_on`,
    );
    expect(history.map((h) => [h.item, h.day, h.partner, h.level])).toEqual([
      [1, D, 7001, 1],
      [1, '2026-04-30', 7001, 2],
      [2, '2026-04-30', 7001, 2],
      [3, D, 7001, 2],
      [3, '2026-04-30', 7001, 3],
      [4, D, 7001, 3],
      [4, '2026-04-30', 7001, 4],
      [5, D, 7001, 4],
      [8, D, 7001, 2],
      [8, '2026-04-30', 7001, 3],
      [21, '2026-04-30', 7002, 4],
      [22, D, 7002, 2],
    ]);
    // The last dated level of each item is its level now.
    const latest = await query(
      db,
      `SELECT DISTINCT ON (h.item_id) h.item_id::int AS item, h.level, i.dunning_level FROM dunning_level_changes h JOIN open_items i ON i.id = h.item_id ORDER BY h.item_id, h.dunned_on DESC`,
    );
    for (const row of latest) expect(row.level, `item ${row.item}`).toBe(row.dunning_level);
  });

  it('keeps the greater level when the date already has one', async () => {
    await query(db, `INSERT INTO dunning_level_changes (item_id, dunned_on, partner_id, level) VALUES (1, '2026-06-30', 7001, 0), (3, '2026-06-30', 7001, 9)`);
    await runDunning(db, { asOf: '2026-06-30', revaluate: false });
    expect(await Promise.all([1, 3].map(levelOf))).toEqual([3, 4]);
    const rows = await query(
      db,
      `SELECT item_id::int AS item, level FROM dunning_level_changes WHERE dunned_on = '2026-06-30' AND item_id IN (1, 3) ORDER BY item_id`,
    );
    expect(rows).toEqual([
      { item: 1, level: 3 },
      { item: 3, level: 9 },
    ]);
  });

  it('sends the pending e-mail notices through an SMTP transport (a JSON transport here) and marks them SENT', async () => {
    const transport = mailTransport({ jsonTransport: true });
    const sentMessages: any[] = [];
    const original = transport.sendMail.bind(transport);
    (transport as any).sendMail = async (mail: any) => {
      const info = await original(mail);
      sentMessages.push(JSON.parse(info.message));
      return info;
    };
    const result = await deliverEmails(db, transport);
    expect(result).toEqual({ sent: 3, failed: 0 });
    expect(sentMessages.map((m) => m.to[0].address)).toEqual(['ap@acme.example', 'ap@acme.example', 'ap@acme.example']);
    expect(sentMessages.map((m) => m.subject)).toEqual(['Level 2 notice for P7001', 'Level 2 notice for P7001', 'Level 2 notice for P7001']);
    expect(sentMessages[0].text).toContain('Dear Acme Ltd');
    expect(await query(db, `SELECT status, count(*)::int AS n FROM dunning_notices WHERE channel = 'EMAIL' GROUP BY status`)).toEqual([
      { status: 'SENT', n: 3 },
    ]);
    expect(await deliverEmails(db, transport)).toEqual({ sent: 0, failed: 0 });
  });

  it('marks a notice FAILED with the error when the transport refuses it', async () => {
    await query(db, `UPDATE dunning_notices SET status = 'PENDING' WHERE id = (SELECT min(id) FROM dunning_notices WHERE channel = 'EMAIL')`);
    const failing = {
      sendMail: async () => {
        throw new Error('550 mailbox unavailable');
      },
    } as any;
    expect(await deliverEmails(db, failing)).toEqual({ sent: 0, failed: 1 });
    expect(await query(db, `SELECT status, error FROM dunning_notices WHERE status = 'FAILED'`)).toEqual([
      { status: 'FAILED', error: '550 mailbox unavailable' },
    ]);
  });

  it('templates allow only the listed placeholders: no expressions, no prototype, no code', async () => {
    for (const bad of [
      '{{constructor}}',
      '{{partner.__proto__}}',
      '{{process.env.HOME}}',
      '{{ total * 2 }}',
      '{{item.externalId}}',
      '{{#each items}}x',
      '{{/each}}',
      '{{#each items}}{{#each items}}{{/each}}{{/each}}',
    ]) {
      await expect(saveTemplate(db, { key: 'BAD', body: bad })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { path: 'body' } });
    }
    await expect(saveTemplate(db, { key: 'BAD', subject: '{{nope}}', body: 'ok' })).rejects.toMatchObject({ details: { path: 'subject' } });
    expect(await count(db, `dunning_templates WHERE key = 'BAD'`)).toBe(0);
    // values are inserted as text, never interpreted
    const parts = parseTemplate('{{partner.name}}');
    const values = Object.fromEntries(
      [
        'partner.id',
        'partner.externalId',
        'partner.name',
        'partner.postalAddress',
        'level',
        'asOf',
        'currency',
        'total',
        'itemCount',
        'charge',
        'chargeCurrency',
        'procedure.key',
        'procedure.name',
      ].map((k) => [k, k === 'partner.name' ? '{{total}}${1+1}' : 'x']),
    ) as any;
    expect(renderTemplate(parts, values, [])).toBe('{{total}}${1+1}');
  });

  it('validates procedures: levels numbered without gaps, days rising, known templates, one default', async () => {
    const base = { key: 'P2', name: 'Other', currency: 'EUR', segmentKey: 'DS' };
    await expect(saveProcedure(db, { ...base, levels: [{ level: 2, daysOverdue: 1, channel: 'LETTER', templateKey: 'DUNNING' }] })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await expect(
      saveProcedure(db, {
        ...base,
        levels: [
          { level: 1, daysOverdue: 10, channel: 'LETTER', templateKey: 'DUNNING' },
          { level: 2, daysOverdue: 5, channel: 'LETTER', templateKey: 'DUNNING' },
        ],
      }),
    ).rejects.toMatchObject({ details: { path: 'levels[1].daysOverdue' } });
    await expect(saveProcedure(db, { ...base, levels: [{ level: 1, daysOverdue: 1, channel: 'LETTER', templateKey: 'NONE' }] })).rejects.toMatchObject({
      details: { path: 'levels[0].templateKey' },
    });
    await expect(
      saveProcedure(db, { ...base, segmentKey: null, levels: [{ level: 1, daysOverdue: 1, channel: 'LETTER', templateKey: 'DUNNING' }] }),
    ).rejects.toMatchObject({ details: { path: 'segmentKey' } });
    expect(await count(db, `dunning_procedures`)).toBe(1);
  });
});
