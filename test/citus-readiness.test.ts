import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { StoppableClient } from '../packages/server/src/db/request-statements';
import { seedDemoAr } from '../packages/server/src/seed/seed.service';
import { runWorklists } from '../packages/server/src/worklists';
import { openTestDatabase } from './support/database';

/**
 * Readiness for Citus (issue 21; ARCHITECTURE.md, "Scale: distributing with Citus"): every table
 * of the schema has a place (distributed by partner, reference, or local to the coordinator); every
 * distributed table has its distribution column in its primary key and unique keys, or a
 * documented exception with the migration that would fix it; and every statement a worklist run
 * sends (captured on the driver during runs on a small seeded AR, on all three fact paths)
 * addresses each distributed table it reads by partner_id, so its joins are colocated, or is a
 * documented exception. The catalogue is read after the migrations, on the database of the run.
 */

/** Per-partner tables, distributed by partner id (`partners` by its own id: it is the partner id). */
const DISTRIBUTED: Record<string, string> = {
  partners: 'the business partners',
  open_items: 'open items',
  payments: 'payments',
  promises: 'promises to pay',
  payment_plans: 'payment plans',
  payment_plan_items: 'items of a payment plan',
  payment_plan_installments: 'installments of a payment plan',
  disputes: 'disputes',
  dispute_status_changes: 'dated dispute status history',
  contacts: 'contacts with a partner',
  resubmissions: 'resubmissions',
  dunning_level_changes: 'dated dunning level history of items',
  dunning_notices: 'dunning notices',
  dunning_notice_items: 'items of a dunning notice',
  dunning_exclusions: 'partners and items excluded from dunning',
  correspondence_addresses: 'a partner’s correspondence address',
  item_holds: 'items held by an agency or a legal case',
  placements: 'agency placements',
  placement_items: 'items of a placement',
  placement_events: 'events of a placement',
  agency_payments: 'payments an agency collected on a placement',
  agency_settlement_lines: 'lines of an agency settlement, one per collected payment',
  legal_cases: 'legal cases',
  legal_case_costs: 'costs of a legal case',
  legal_case_events: 'status history of a legal case',
  legal_case_items: 'items of a legal case',
  worklist_items: 'worklist items (partitioned by run)',
  experiment_listings: 'which arm listed a partner in an experiment',
  worklist_stays: 'dated stays of a partner on a segment’s live worklists (daysOnWorklist)',
  partner_facts: 'maintained facts per partner',
  partner_fact_currencies: 'maintained facts per partner and currency',
  partner_facts_dirty: 'partners whose maintained facts a transaction changed',
  partner_search_terms: 'search terms of a partner',
  analytics_snapshot_partners: 'each partner’s responsibility in the analytics snapshots',
  analytics_snapshot_moved: 'partners whose responsibility moved since the snapshots',
  analytics_snapshot_changes: 'item-level changes the analytics snapshots have not taken in yet',
  analytics_payment_credits: 'each payment’s latest crediting event (commission)',
  analytics_credit_dirty: 'partners whose commission credits a transaction changed',
  analytics_credit_partner_days: 'each partner’s credited days per specialist (commission’s distinct partners)',
};

/** The distribution column where it is not partner_id. */
const DISTRIBUTION_COLUMN: Record<string, string> = { partners: 'id' };
const columnOf = (table: string): string => DISTRIBUTION_COLUMN[table] ?? 'partner_id';

/** Small tables every node holds a copy of (Citus reference tables): joined with any shard locally. */
const REFERENCE: Record<string, string> = {
  company_codes: 'organisation',
  collection_segments: 'organisation',
  collection_segment_company_codes: 'organisation',
  collection_profiles: 'organisation',
  collection_profile_segments: 'organisation',
  collection_groups: 'organisation',
  specialists: 'organisation',
  specialist_absences: 'organisation',
  fx_rates: 'fx rates, read by every fact statement',
  strategies: 'strategies',
  strategy_versions: 'strategy documents',
  strategy_experiments: 'champion/challenger experiments',
  dunning_procedures: 'dunning configuration',
  dunning_levels: 'dunning configuration',
  dunning_templates: 'dunning configuration',
  contact_results: 'configured contact results',
  dispute_root_causes: 'configured dispute root causes',
  agencies: 'collection agencies',
  worklist_runs: 'run headers (one row per run), joined by run id to the items',
  dunning_runs: 'dunning run headers (one row per run)',
};

/** Coordinator-only tables: no per-partner rows joined in a run (operations, audit, aggregates, markers). */
const LOCAL: Record<string, string> = {
  migrations: 'TypeORM’s migration log',
  api_tokens: 'API tokens',
  api_token_groups: 'groups a token reaches',
  audit_log: 'the audit trail',
  ar_revision: 'the AR revision counter (one row)',
  cycle_steps: 'the nightly cycle’s schedule',
  cycle_step_runs: 'the nightly cycle’s steps per date',
  analytics_snapshot_state: 'the snapshots’ state (one row)',
  analytics_credit_state: 'the commission credits’ state (one row)',
  analytics_snapshot_pending: 'transactions whose snapshot changes wait (by transaction id)',
  partner_facts_pending: 'transactions whose fact changes wait (by transaction id)',
  analytics_daily_positions: 'daily aggregates by dimension (no partner): built by a pushed-down INSERT … SELECT',
  analytics_daily_flows: 'daily aggregates by dimension (no partner): built by a pushed-down INSERT … SELECT',
  analytics_daily_contacts: 'daily aggregates by dimension (no partner): built by a pushed-down INSERT … SELECT (contacts and promises joined by partner)',
  analytics_daily_disputes: 'daily aggregates by dimension (no partner): built by a pushed-down INSERT … SELECT',
  analytics_daily_promises: 'daily aggregates by dimension (no partner): built by a pushed-down INSERT … SELECT (promises, their items and payments)',
  analytics_daily_partners: 'partners counted per day and dimension (no partner): built with the positions, in the same statement',
  analytics_credit_days: 'commission credits summed per day, specialist, gap, currency and responsibility (no partner): kept with the credits',
  analytics_worklist_runs:
    'worklist figures per run and dimension (no partner): built by a pushed-down INSERT … SELECT (items and their work joined by partner)',
  commission_settlements: 'commission settlement headers',
  commission_settlement_lines: 'commission per specialist (no partner)',
  agency_settlements: 'agency settlement headers',
  agency_exports: 'files exported to agencies',
};

const SURROGATE = 'a bigint surrogate key, unique on its own (one sequence), referenced by id';
const proposeKey = (table: string, key: string): string =>
  `ALTER TABLE ${table} DROP CONSTRAINT <pk>, ADD PRIMARY KEY (partner_id, ${key}); the foreign keys that reference it become (partner_id, ${key})`;
const addColumn = (table: string, from: string, key: string): string =>
  `ALTER TABLE ${table} ADD COLUMN partner_id bigint; UPDATE … FROM ${from}; SET NOT NULL; then PRIMARY KEY (partner_id, ${key})`;

/**
 * Distributed tables whose primary key lacks the distribution column today: why, and the migration
 * that would add it (not made here: keys change in their own reviewed migration before going to Citus).
 */
const KEY_EXCEPTIONS: Record<string, { reason: string; migration: string }> = {
  open_items: { reason: SURROGATE, migration: proposeKey('open_items', 'id') },
  payments: { reason: SURROGATE, migration: proposeKey('payments', 'id') },
  promises: { reason: SURROGATE, migration: proposeKey('promises', 'id') },
  payment_plans: { reason: SURROGATE, migration: proposeKey('payment_plans', 'id') },
  payment_plan_installments: { reason: SURROGATE, migration: proposeKey('payment_plan_installments', 'id') },
  disputes: { reason: SURROGATE, migration: proposeKey('disputes', 'id') },
  contacts: { reason: SURROGATE, migration: proposeKey('contacts', 'id') },
  resubmissions: { reason: SURROGATE, migration: proposeKey('resubmissions', 'id') },
  dunning_notices: { reason: SURROGATE, migration: proposeKey('dunning_notices', 'id') },
  dunning_exclusions: { reason: SURROGATE, migration: proposeKey('dunning_exclusions', 'id') },
  placements: { reason: SURROGATE, migration: proposeKey('placements', 'id') },
  placement_events: { reason: SURROGATE, migration: proposeKey('placement_events', 'id') },
  legal_cases: { reason: SURROGATE, migration: proposeKey('legal_cases', 'id') },
  legal_case_costs: { reason: SURROGATE, migration: proposeKey('legal_case_costs', 'id') },
  worklist_stays: { reason: SURROGATE, migration: proposeKey('worklist_stays', 'id') },
  payment_plan_items: { reason: 'keyed by (plan, item): both already belong to one partner', migration: proposeKey('payment_plan_items', 'plan_id, item_id') },
  dispute_status_changes: {
    reason: 'keyed by (dispute, date): the dispute belongs to one partner',
    migration: proposeKey('dispute_status_changes', 'dispute_id, changed_on'),
  },
  dunning_level_changes: {
    reason: 'keyed by (item, date): the item belongs to one partner',
    migration: proposeKey('dunning_level_changes', 'item_id, dunned_on'),
  },
  dunning_notice_items: {
    reason: 'keyed by (notice, item): the notice belongs to one partner',
    migration: proposeKey('dunning_notice_items', 'notice_id, item_id'),
  },
  item_holds: { reason: `${SURROGATE}; dated, an item has a hold per placement or legal case over time`, migration: proposeKey('item_holds', 'id') },
  placement_items: {
    reason: 'keyed by (placement, item): the placement belongs to one partner',
    migration: proposeKey('placement_items', 'placement_id, item_id'),
  },
  partner_search_terms: {
    reason: 'no primary key: a search index rebuilt from partners',
    migration: 'ALTER TABLE partner_search_terms ADD PRIMARY KEY (partner_id, term)',
  },
  legal_case_events: { reason: 'no partner_id column: reached through its case', migration: addColumn('legal_case_events', 'legal_cases', 'id') },
  legal_case_items: { reason: 'no partner_id column: reached through its case', migration: addColumn('legal_case_items', 'legal_cases', 'case_id, item_id') },
  agency_payments: { reason: 'no partner_id column: reached through its placement', migration: addColumn('agency_payments', 'placements', 'payment_id') },
  agency_settlement_lines: {
    reason: 'no partner_id column: reached through its placement',
    migration: addColumn('agency_settlement_lines', 'placements', 'settlement_id, payment_id'),
  },
  analytics_snapshot_changes: {
    reason: 'no primary key and no partner_id: a change log the AR triggers append to by item',
    migration: `${addColumn('analytics_snapshot_changes', 'open_items', 'txid, item_id')} (the triggers write the item’s partner)`,
  },
};

/** Unique keys of distributed tables without the distribution column (Citus enforces only those that have it). */
const UNIQUE_EXCEPTIONS: Record<string, string> = {
  contacts: 'external_id is unique across partners: the source system’s id; would become (partner_id, external_id), imports look the partner up first',
  disputes: 'external_id is unique across partners (as contacts)',
  open_items: 'external_id is unique across partners (as contacts)',
  payments: 'external_id is unique across partners (as contacts)',
  promises: 'external_id is unique across partners (as contacts), and renewed_from_id (a promise renewed once) likewise',
  payment_plans: 'external_id is unique across partners (as contacts)',
  payment_plan_installments: '(plan_id, seq): the plan belongs to one partner; would become (partner_id, plan_id, seq)',
  partners: 'external_id is unique: partners are distributed by id, the source system’s id would be a reference lookup table (external_id → id)',
};

/**
 * Statements of a run that read a distributed table without addressing it by partner_id, and why
 * that is right on Citus (or, marked GAP, what would have to change). `strip` takes the matched
 * part out of the statement before the check; `whole` excuses the whole statement. Schema statements
 * (CREATE/ALTER/DROP of a run's stage and partition) name tables without FROM, JOIN, INTO or UPDATE:
 * they read no rows, and Citus propagates them to the shards.
 */
const STATEMENT_EXCEPTIONS: Array<{ name: string; reason: string; strip?: RegExp; whole?: (sql: string, refs: TableRef[]) => boolean }> = [
  {
    name: 'a segment’s partners',
    reason: 'a segment’s partners counted, ranged or probed: one distributed table, no join; Citus runs it on every shard in parallel and merges',
    strip: /FROM partners p WHERE p\.segment = [^)]*/g,
  },
  {
    name: 'aggregate of a run table',
    reason: 'figures over one of the run’s own tables (stage or items partition) with no join: a multi-shard aggregate, pushed down',
    whole: (sql, refs) =>
      refs.length > 0 && refs.every((r) => RUN_TABLE.test(r.table)) && new Set(refs.map((r) => r.table)).size === 1 && !/\bJOIN\b/i.test(sql),
  },
];

/** A run's own tables: its stage and its items partition, created per run (colocated with partners on Citus). */
const RUN_TABLE = /^worklist_(?:stage|items_run)_\d+$/;
const AS_OF = '2026-11-30';

interface TableRef {
  table: string;
  alias: string | null;
}

let db: Database;
let catalogue: Array<{ table: string; key: string[]; columns: string[]; uniques: string[][] }>;
const statements: string[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  catalogue = await db.dataSource.query(`
    SELECT c.relname AS "table",
      coalesce((SELECT array_agg(a.attname::text ORDER BY k.n) FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE i.indrelid = c.oid AND i.indisprimary), '{}') AS key,
      (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
      coalesce((SELECT array_agg(array_to_string(ARRAY(SELECT a.attname::text FROM unnest(i.indkey) AS k(attnum) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum), ','))
                FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique AND NOT i.indisprimary), '{}') AS uniques
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    ORDER BY 1`);
  catalogue = catalogue.map((t) => ({ ...t, uniques: (t.uniques as unknown as string[]).map((u) => u.split(',')) }));
  await seedDemoAr(db, { partners: 120, seed: 7, asOf: AS_OF });
  await captureStatements(async () => {
    // The maintained facts (every partner current at D), the union (one partner late at D), and the mirror alone (a past D).
    await runWorklists(db, { asOf: AS_OF, mode: 'LIVE', partnersPerJob: 40 });
    const [item] = await db.dataSource.query(`SELECT id, partner_id, currency FROM open_items WHERE open_amount > 1 ORDER BY id LIMIT 1`);
    await db.dataSource.query(
      `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) VALUES ('CITUS-LATE-1', $1, $2, $3::date + 1, 1.00, $4)`,
      [item.partner_id, item.id, AS_OF, item.currency],
    );
    await runWorklists(db, { asOf: AS_OF, mode: 'LIVE', partnersPerJob: 40 });
    await runWorklists(db, { asOf: '2026-09-30', mode: 'LIVE', partnersPerJob: 40 });
  });
}, 300_000);

afterAll(async () => {
  await db?.close();
});

/** Every statement the driver sends while `work` runs (every pool's connections share pg.Client's prototype). */
async function captureStatements(work: () => Promise<void>): Promise<void> {
  const base = Object.getPrototypeOf(StoppableClient.prototype) as { query: (...args: unknown[]) => unknown };
  const original = base.query;
  base.query = function (this: unknown, config: unknown, ...rest: unknown[]) {
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
    if (typeof text === 'string') statements.push(text);
    return original.call(this, config, ...rest);
  };
  try {
    await work();
  } finally {
    base.query = original;
  }
}

describe('readiness for Citus: the catalogue', () => {
  it('gives every table of the schema one place: distributed, reference or local', () => {
    const places = [DISTRIBUTED, REFERENCE, LOCAL].map((m) => Object.keys(m));
    const placed = places.flat();
    expect(placed.length).toBe(new Set(placed).size);
    expect(catalogue.map((t) => t.table).filter((t) => !placed.includes(t))).toEqual([]);
    expect(placed.filter((t) => !catalogue.some((c) => c.table === t))).toEqual([]);
  });

  it('distributes every table and every entity that carries a partner_id; reference tables carry none', () => {
    const withPartner = catalogue.filter((t) => t.columns.includes('partner_id')).map((t) => t.table);
    expect(withPartner.filter((t) => !(t in DISTRIBUTED))).toEqual([]);
    const entityTables = db.dataSource.entityMetadatas.filter((m) => m.columns.some((c) => c.databaseName === 'partner_id')).map((m) => m.tableName);
    expect(entityTables.length).toBeGreaterThan(15);
    expect(entityTables.filter((t) => !(t in DISTRIBUTED))).toEqual([]);
    expect(Object.keys(REFERENCE).filter((t) => catalogue.find((c) => c.table === t)!.columns.includes('partner_id'))).toEqual([]);
  });

  it('has the distribution column in every distributed table’s primary key, or a documented exception with its migration', () => {
    const lacking = Object.keys(DISTRIBUTED)
      .filter((t) => !catalogue.find((c) => c.table === t)!.key.includes(columnOf(t)))
      .sort();
    // Exactly the documented ones: a table fixed by a migration leaves the list, a new one must join it with its reason.
    expect(lacking).toEqual(Object.keys(KEY_EXCEPTIONS).sort());
    for (const [table, { reason, migration }] of Object.entries(KEY_EXCEPTIONS)) {
      expect(reason.length, table).toBeGreaterThan(10);
      expect(migration, table).toContain(table);
    }
    // The tables a run writes and reads most are keyed right already.
    for (const t of ['worklist_items', 'partner_facts', 'partner_fact_currencies', 'experiment_listings'])
      expect(catalogue.find((c) => c.table === t)!.key).toContain('partner_id');
  });

  it('has the distribution column in every unique key of a distributed table, or a documented exception', () => {
    const lacking = [
      ...new Set(catalogue.filter((t) => t.table in DISTRIBUTED && t.uniques.some((u) => !u.includes(columnOf(t.table)))).map((t) => t.table)),
    ].sort();
    expect(lacking).toEqual(Object.keys(UNIQUE_EXCEPTIONS).sort());
  });
});

describe('readiness for Citus: the statements of a worklist run', () => {
  it('captured the run on all three fact paths', () => {
    expect(statements.length).toBeGreaterThan(50);
    expect(statements.some((s) => /\bpartner_facts\b/.test(s) && /\bopen_items\b/.test(s))).toBe(true); // the union
    expect(statements.some((s) => /CREATE UNLOGGED TABLE worklist_stage_\d+/.test(s) && /\bpartner_facts\b/.test(s) && !/\bopen_items\b/.test(s))).toBe(true); // the maintained facts
    expect(statements.some((s) => /CREATE UNLOGGED TABLE worklist_stage_\d+/.test(s) && /\bopen_items\b/.test(s) && !/\bpartner_facts\b/.test(s))).toBe(true); // the mirror
    expect(statements.some((s) => /ATTACH PARTITION worklist_items_run_\d+/.test(s))).toBe(true);
  });

  it('addresses every distributed table a statement reads by partner_id (colocated), or the statement is a documented exception', () => {
    const used = new Set<string>();
    const offending: string[] = [];
    let checked = 0;
    for (const sql of new Set(statements)) {
      let rest = withoutLiterals(sql);
      if (tableRefs(rest).length === 0) continue;
      checked++;
      const whole = STATEMENT_EXCEPTIONS.find((e) => e.whole?.(rest, tableRefs(rest)));
      if (whole) {
        used.add(whole.name);
        continue;
      }
      for (const e of STATEMENT_EXCEPTIONS.filter((x) => x.strip)) {
        rest = rest.replace(e.strip!, () => {
          used.add(e.name);
          return ' ';
        });
      }
      const unaddressed = tableRefs(rest).filter((r) => !addressedByPartner(rest, r));
      if (unaddressed.length) offending.push(`${unaddressed.map((r) => `${r.table}${r.alias ? ` ${r.alias}` : ''}`).join(', ')} in: ${sql.slice(0, 300)}`);
    }
    expect(offending).toEqual([]);
    expect(checked).toBeGreaterThan(20);
    // Each documented exception was met (an exception nothing needs any more is taken out of the list).
    expect([...used].sort()).toEqual(STATEMENT_EXCEPTIONS.map((e) => e.name).sort());
  });

  it('would find a statement that joins two distributed tables on something else than the partner', () => {
    const bad = withoutLiterals(`SELECT i.id FROM open_items i JOIN payments pay ON pay.item_id = i.id WHERE i.partner_id = $1`);
    expect(tableRefs(bad).filter((r) => !addressedByPartner(bad, r))).toEqual([{ table: 'payments', alias: 'pay' }]);
    const good = withoutLiterals(`SELECT i.id FROM open_items i JOIN payments pay ON pay.partner_id = i.partner_id AND pay.item_id = i.id`);
    expect(tableRefs(good).filter((r) => !addressedByPartner(good, r))).toEqual([]);
  });
});

/** String literals blanked (a table named in a literal, e.g. 'worklist_items'::regclass, is not read). */
function withoutLiterals(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, "''");
}

const SQL_WORDS = new Set(
  'where on join left right inner cross full group order limit union select set using natural lateral and or values returning having window as for with except intersect'.split(
    ' ',
  ),
);

/** The distributed tables (and run tables) a statement names after FROM, JOIN, INTO or UPDATE, with their alias. */
function tableRefs(sql: string): TableRef[] {
  const names = [...Object.keys(DISTRIBUTED), 'worklist_(?:stage|items_run)_\\d+'].join('|');
  const pattern = new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE)\\s+(?:ONLY\\s+)?(${names})\\b(?:\\s+(?:AS\\s+)?([a-z_][a-z0-9_]*))?`, 'gi');
  return [...sql.matchAll(pattern)].map((m) => ({ table: m[1]!, alias: m[2] && !SQL_WORDS.has(m[2].toLowerCase()) ? m[2] : null }));
}

/** Whether the statement uses the reference's distribution column: alias.partner_id (partners: alias.id), or partner_id for an unaliased one. */
function addressedByPartner(sql: string, ref: TableRef): boolean {
  const column = RUN_TABLE.test(ref.table) ? 'partner_id' : columnOf(ref.table);
  if (ref.alias) return new RegExp(`\\b${ref.alias}\\.${column}\\b`).test(sql);
  return /\bpartner_id\b/.test(sql) || new RegExp(`\\b${ref.table}\\.${column}\\b`).test(sql);
}
