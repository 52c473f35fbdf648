/**
 * The maintained facts' upkeep (migration FactMaintenance): the tables partner_facts and
 * partner_fact_currencies are kept exact by triggers, flushed at the commit of every writing
 * transaction. Here: checking them against the mirror, rebuilding them, and the two ways a
 * transaction talks to the maintenance (rebuild mode for bulk loads, an early flush).
 */
import type { Database } from '../db/database';

/** One value where the stored facts and the facts recomputed from the mirror differ. */
export interface FactDifference {
  partnerId: string;
  /** The column, `name (CUR)` for a currency row's; `row` when the row is on one side only. */
  column: string;
  /** The values as JSON text (`present` for a row), null where there is none. */
  stored: string | null;
  recomputed: string | null;
}

export interface FactVerification {
  /** Partners with facts, recomputed from the mirror. */
  partners: number;
  /** Every difference found (the first `limit` are listed). */
  differenceCount: number;
  differences: FactDifference[];
}

/** Recomputed facts, for the comparison (temporary tables, dropped at commit). */
const RECOMPUTED = { partner: 'recoup_verify_partner_facts', currency: 'recoup_verify_currency_facts' } as const;

/**
 * Recomputes every partner's facts from the mirror (the *_all functions) into temporary tables
 * and compares them with the stored ones both ways, column by column, in one snapshot (so a
 * concurrent writer's commit cannot show as a difference). Values compare as their types do
 * (1.0 = 1.00); a row on one side only is one difference.
 */
export async function verifyFacts(db: Database, options: { limit?: number } = {}): Promise<FactVerification> {
  const limit = options.limit ?? 1000;
  const runner = db.dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    await runner.query(`CREATE TEMP TABLE ${RECOMPUTED.partner} ON COMMIT DROP AS SELECT * FROM recoup_all_partner_fact_parts()`);
    await runner.query(`CREATE TEMP TABLE ${RECOMPUTED.currency} ON COMMIT DROP AS SELECT * FROM recoup_all_currency_fact_parts()`);
    await runner.query(`ANALYZE ${RECOMPUTED.partner}`);
    await runner.query(`ANALYZE ${RECOMPUTED.currency}`);
    await runner.query(`CREATE TEMP TABLE recoup_verify_differences ON COMMIT DROP AS
      ${differencesSql('partner_facts', RECOMPUTED.partner, ['partner_id'])}
      UNION ALL ${differencesSql('partner_fact_currencies', RECOMPUTED.currency, ['partner_id', 'currency'])}`);
    const [{ partners }] = await runner.query(`SELECT count(*)::integer AS partners FROM ${RECOMPUTED.partner}`);
    const [{ n }] = await runner.query(`SELECT count(*)::integer AS n FROM recoup_verify_differences`);
    const differences: FactDifference[] = await runner.query(
      `SELECT partner_id AS "partnerId", "column", stored, recomputed FROM recoup_verify_differences
        ORDER BY partner_id::bigint, "column" LIMIT $1`,
      [limit],
    );
    await runner.commitTransaction();
    return { partners, differenceCount: n, differences };
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/**
 * The differences between a stored table and its recomputation, keyed by `key`: rows that
 * differ are found by comparing whole rows (cheap), and only those are taken apart into columns.
 */
function differencesSql(stored: string, recomputed: string, key: string[]): string {
  const on = key.map((k) => `r.${k} = s.${k}`).join(' AND ');
  const suffix = key.includes('currency') ? ` || ' (' || trim(coalesce(s.currency, r.currency)) || ')'` : '';
  return `SELECT coalesce(s.partner_id, r.partner_id)::text AS partner_id, d.name${suffix} AS "column", d.stored, d.recomputed
    FROM ${stored} s FULL JOIN ${recomputed} r ON ${on}
    CROSS JOIN LATERAL (
      SELECT 'row' AS name, CASE WHEN s.partner_id IS NOT NULL THEN 'present' END AS stored, CASE WHEN r.partner_id IS NOT NULL THEN 'present' END AS recomputed
       WHERE s.partner_id IS NULL OR r.partner_id IS NULL
      UNION ALL
      SELECT e.key, e.value #>> '{}', (to_jsonb(r) -> e.key) #>> '{}'
        FROM jsonb_each(to_jsonb(s)) e
       WHERE s.partner_id IS NOT NULL AND r.partner_id IS NOT NULL AND e.value IS DISTINCT FROM to_jsonb(r) -> e.key
    ) d
    WHERE s.partner_id IS NULL OR r.partner_id IS NULL OR ROW(s.*) IS DISTINCT FROM ROW(r.*)`;
}

/** Recomputes every partner's facts from the mirror (one transaction; readers of the facts wait for it). */
export async function rebuildFacts(db: Database): Promise<{ partners: number; milliseconds: number }> {
  const started = performance.now();
  const [{ partners }] = await db.dataSource.query(`SELECT recoup_rebuild_partner_facts()::integer AS partners`);
  return { partners, milliseconds: performance.now() - started };
}

/** Anything that runs a statement in the caller's transaction: a pg client or an EntityManager. */
interface Queryable {
  query(text: string): Promise<unknown>;
}

/**
 * A bulk load (an import into empty tables, a seed) tells the maintenance so: its writes then mark
 * nothing per partner, and its commit rebuilds every partner's facts once. For this transaction only.
 */
export async function useFactRebuild(transaction: Queryable): Promise<void> {
  await transaction.query(`SET LOCAL recoup.facts = 'rebuild'`);
}

/** The facts of what this transaction wrote so far, now instead of at commit (to read them before committing). */
export async function flushFacts(transaction: Queryable): Promise<void> {
  await transaction.query(`SELECT recoup_flush_partner_facts()`);
}
