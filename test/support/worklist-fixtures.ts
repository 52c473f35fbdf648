/**
 * Helpers for the worklist engine's integration tests: hand-made org/strategy fixtures inserted
 * with plain SQL, and readers of worklist_runs / worklist_items that normalise numbers.
 */
import type { StrategyDocument, StrategyRule } from '../../packages/rules/src/index';
import type { Database } from '../../packages/server/src/db/database';
import { changeDispute, type DisputeChange } from '../../packages/server/src/disputes/dispute.service';
import { revaluatePartner, type Revaluation } from '../../packages/server/src/worklists/worklist-revaluation.service';

export type Row = Record<string, unknown>;

export const query = (db: Database, text: string, values: unknown[] = []): Promise<Row[]> => db.dataSource.query(text, values);

export function rule(name: string, points: number, role: 'condition' | 'exit', conditions: unknown): StrategyRule {
  return { name, priority: 1, conditions, event: { type: 'valuation', params: { points, role } } } as StrategyRule;
}

/** A fact condition wrapped in `all`. */
export const when = (fact: string, operator: string, value: unknown, params?: Record<string, unknown>) => ({
  all: [{ fact, operator, value, ...(params ? { params } : {}) }],
});

export function strategyDocument(overrides: Partial<StrategyDocument> & { rules: StrategyRule[] }): StrategyDocument {
  return {
    key: 'TEST',
    name: 'Test strategy',
    currency: 'EUR',
    maxValuation: null,
    minPercent: 0,
    priorities: [
      { priority: 1, label: 'High', minPercent: 50 },
      { priority: 2, label: 'Low', minPercent: 0 },
    ],
    agingBuckets: [0, 30, 60],
    ...overrides,
  };
}

/** A strategy with one version of the given status; returns the version id. */
export async function insertStrategy(
  db: Database,
  key: string,
  document: StrategyDocument,
  status: 'ACTIVE' | 'DRAFT' | 'RETIRED' = 'ACTIVE',
  version = 1,
): Promise<string> {
  const existing = await query(db, `SELECT id FROM strategies WHERE key = $1`, [key]);
  const strategyId = existing.length
    ? existing[0]!.id
    : (await query(db, `INSERT INTO strategies (key, name) VALUES ($1, $2) RETURNING id`, [key, document.name]))[0]!.id;
  const [v] = await query(
    db,
    `INSERT INTO strategy_versions (strategy_id, version, status, document, created_by, activated_at)
     VALUES ($1, $2, $3::text, $4, 'test', CASE WHEN $3::text = 'ACTIVE' THEN now() END) RETURNING id`,
    [strategyId, version, status, JSON.stringify(document)],
  );
  return String(v!.id);
}

/** A segment (EUR) with its collection groups. */
export async function insertSegment(db: Database, key: string, groups: Array<{ key: string; strategyKey: string | null }>): Promise<void> {
  await query(db, `INSERT INTO collection_segments (key, name, currency) VALUES ($1, $2, 'EUR')`, [key, `Segment ${key}`]);
  for (const g of groups) {
    await query(db, `INSERT INTO collection_groups (key, name, segment_key, strategy_key) VALUES ($1, $2, $3, $4)`, [
      g.key,
      `Group ${g.key}`,
      key,
      g.strategyKey,
    ]);
  }
}

export async function insertSpecialist(db: Database, id: number, groupKey: string | null, active = true): Promise<void> {
  await query(db, `INSERT INTO specialists (id, user_name, name, group_key, active) VALUES ($1, $2, $3, $4, $5)`, [
    id,
    `spec${id}`,
    `Specialist ${id}`,
    groupKey,
    active,
  ]);
}

export interface PartnerRow {
  id: number;
  segment: string;
  currency?: string;
  riskClass?: string | null;
  creditLimit?: number | null;
  group?: string | null;
  specialist?: number | null;
}

export async function insertPartners(db: Database, rows: PartnerRow[]): Promise<void> {
  for (const p of rows) {
    await query(
      db,
      `INSERT INTO partners (id, external_id, name, country, currency, risk_class, credit_limit, customer_type, segment, collection_group_key, specialist_id)
       VALUES ($1, $2, $3, 'DE', $4, $5, $6, 'B2C', $7, $8, $9)`,
      [p.id, `P${p.id}`, `Partner ${p.id}`, p.currency ?? 'EUR', p.riskClass ?? null, p.creditLimit ?? null, p.segment, p.group ?? null, p.specialist ?? null],
    );
  }
}

export interface ItemRow {
  id: number;
  partner: number;
  due: string;
  open: number;
  currency?: string;
  company?: string;
  dunning?: number;
  block?: boolean;
  amount?: number;
}

export async function insertItems(db: Database, rows: ItemRow[]): Promise<void> {
  for (const i of rows) {
    await query(
      db,
      `INSERT INTO open_items (id, external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency, dunning_level, dunning_block)
       VALUES ($1, $2, $3, $4, '2025-01-01', $5, $6, $7, $8, $9, $10)`,
      [i.id, `I${i.id}`, i.partner, i.company ?? '1000', i.due, i.amount ?? Math.max(i.open, 1), i.open, i.currency ?? 'EUR', i.dunning ?? 0, i.block ?? false],
    );
  }
}

/** Items of a run in worklist order (read back through the partitioned parent table), numbers as numbers. */
export async function itemsOf(db: Database, runId: string): Promise<Row[]> {
  const rows = await query(
    db,
    `SELECT * FROM worklist_items WHERE run_id = $1
      ORDER BY priority, valuation DESC, amount_to_be_collected DESC, partner_id`,
    [runId],
  );
  return rows.map(normalise);
}

const MONEY = /^(amount_|percent$)/;

export function normalise(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === 'aging' && Array.isArray(v)) out[k] = v.map(Number);
    else if ((MONEY.test(k) || k === 'run_id' || k === 'partner_id' || k === 'specialist_id') && v !== null && v !== undefined) out[k] = Number(v);
    else out[k] = v;
  }
  return out;
}

export async function runRow(db: Database, runId: string): Promise<Row> {
  const [row] = await query(db, `SELECT * FROM worklist_runs WHERE id = $1`, [runId]);
  return row!;
}

export async function liveRunOf(db: Database, segment: string): Promise<string | null> {
  const [row] = await query(db, `SELECT live_run_id FROM collection_segments WHERE key = $1`, [segment]);
  return row!.live_run_id === null ? null : String(row!.live_run_id);
}

/** Tables a run leaves behind if it cleans up badly: its partition (when not attached/kept) and stage tables, in any schema. */
export async function tablesLike(db: Database, pattern: string): Promise<string[]> {
  const rows = await query(db, `SELECT relname FROM pg_class WHERE relname LIKE $1 AND relkind IN ('r', 'p') ORDER BY relname`, [pattern]);
  return rows.map((r) => String(r.relname));
}

/** The run ids with an attached partition of worklist_items. */
export async function attachedPartitions(db: Database): Promise<string[]> {
  const rows = await query(
    db,
    `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'worklist_items'::regclass ORDER BY c.relname`,
  );
  return rows.map((r) => String(r.relname).replace('worklist_items_run_', ''));
}

export const toNumberMap = (rows: Row[], key: string, value: string): Map<string, number> => new Map(rows.map((r) => [String(r[key]), Number(r[value])]));

/**
 * A dispute change (changeDispute) dated on the key date D of the test's live run, then the
 * partner re-valuated. The API stamps status_changed_at with the wall clock, months after the
 * tests' business dates (and the status history row today's date), and facts are point in time:
 * at D a dispute changed after D still has its status of D. Dating the change D keeps these tests
 * about the change itself.
 */
export async function changeDisputeOn(db: Database, d: string, change: DisputeChange): Promise<Revaluation | null> {
  await changeDispute(db, change);
  await db.dataSource.query(`UPDATE disputes SET status_changed_at = ($2::date + time '12:00') AT TIME ZONE 'UTC' WHERE id = $1`, [change.disputeId, d]);
  // Its history row too (dated today by the service): moved to D, replacing one of D.
  await db.dataSource.query(
    `DELETE FROM dispute_status_changes c WHERE c.dispute_id = $1 AND c.changed_on = $2::date
       AND EXISTS (SELECT 1 FROM dispute_status_changes x WHERE x.dispute_id = $1 AND x.changed_on > $2::date)`,
    [change.disputeId, d],
  );
  await db.dataSource.query(`UPDATE dispute_status_changes SET changed_on = $2::date WHERE dispute_id = $1 AND changed_on > $2::date`, [change.disputeId, d]);
  const [dispute] = await db.dataSource.query(`SELECT partner_id::text AS partner_id FROM disputes WHERE id = $1`, [change.disputeId]);
  return db.dataSource.transaction((m) => revaluatePartner(m, dispute.partner_id));
}
