/**
 * Judging: the status of promises and installments at a key date, stored on their rows
 * (`judged_status`, `judged_at`) for lists and reports. The facts never read the stored status
 * (they judge at their own key date); what is stored is what the same rule gave at `judged_at`.
 * Set-based: one UPDATE … FROM (status query) per range of ids.
 */
import type { EntityManager } from 'typeorm';
import { installmentStatusSql } from '@recoup/rules';
import type { Database } from '../db/database';
import { date } from '../collections';
import { promiseStatusSql } from './promise-status';

export interface Judged {
  id: string;
  status: string;
}

/** Judges the promises matching `where` (alias q; `$1` is the key date, further values from $2) and stores the result. */
export async function judgePromisesWhere(m: EntityManager, asOf: string, where: string, values: unknown[] = []): Promise<Judged[]> {
  return m.query(
    `WITH j AS (UPDATE promises p SET judged_status = s.status, judged_at = $1::date FROM (${promiseStatusSql('$1::date', where)}) s
      WHERE p.id = s.id RETURNING p.id::text AS id, s.status) SELECT * FROM j`,
    [asOf, ...values],
  );
}

/** Judges the installments matching `where` (alias n) and stores the result. */
export async function judgeInstallmentsWhere(
  m: EntityManager,
  asOf: string,
  where: string,
  values: unknown[] = [],
): Promise<Array<Judged & { planId: string; seq: number }>> {
  const rows: Array<{ id: string; plan_id: string; seq: number; status: string }> = await m.query(
    `WITH j AS (UPDATE payment_plan_installments i SET judged_status = s.status, judged_at = $1::date FROM (${installmentStatusSql('$1::date', where)}) s
      WHERE i.id = s.id RETURNING i.id::text AS id, i.plan_id::text AS plan_id, i.seq, s.status) SELECT * FROM j`,
    [asOf, ...values],
  );
  return rows.map((r) => ({ id: r.id, planId: r.plan_id, seq: Number(r.seq), status: r.status })).sort((a, b) => Number(a.id) - Number(b.id));
}

export interface JudgeRunResult {
  asOf: string;
  promises: number;
  installments: number;
  /** Count per status, promises and installments apart. */
  promiseStatuses: Record<string, number>;
  installmentStatuses: Record<string, number>;
  milliseconds: number;
}

export interface JudgeRunOptions {
  asOf: string;
  /** Ids per statement and transaction (default 50,000). */
  batchSize?: number;
  onProgress?: (p: { phase: 'promises' | 'installments'; done: number; total: number }) => void;
}

/**
 * The scheduled judging run (`pnpm recoup promises judge [--as-of D]`): every promise and every
 * installment made on or before D, by ranges of ids, each range one transaction.
 */
export async function judgeAll(db: Database, options: JudgeRunOptions): Promise<JudgeRunResult> {
  const started = performance.now();
  const asOf = date(options.asOf, 'asOf');
  const batch = options.batchSize ?? 50_000;
  const result: JudgeRunResult = { asOf, promises: 0, installments: 0, promiseStatuses: {}, installmentStatuses: {}, milliseconds: 0 };
  for (const phase of ['promises', 'installments'] as const) {
    const table = phase === 'promises' ? 'promises' : 'payment_plan_installments';
    const [range] = await db.dataSource.query(`SELECT min(id)::text AS lo, max(id)::text AS hi, count(*)::int AS n FROM ${table}`);
    if (range.lo === null) continue;
    const alias = phase === 'promises' ? 'q' : 'n';
    let done = 0;
    for (let lo = BigInt(range.lo); lo <= BigInt(range.hi); lo += BigInt(batch)) {
      const where = `${alias}.id >= $2::bigint AND ${alias}.id < $3::bigint`;
      const values = [String(lo), String(lo + BigInt(batch))];
      const counts: Array<{ status: string; n: number }> = await db.dataSource.transaction(async (m) =>
        m.query(
          `WITH j AS (${
            phase === 'promises'
              ? `UPDATE promises p SET judged_status = s.status, judged_at = $1::date FROM (${promiseStatusSql('$1::date', where)}) s WHERE p.id = s.id RETURNING s.status`
              : `UPDATE payment_plan_installments i SET judged_status = s.status, judged_at = $1::date FROM (${installmentStatusSql('$1::date', where)}) s WHERE i.id = s.id RETURNING s.status`
          })
         SELECT status, count(*)::int AS n FROM j GROUP BY status`,
          [asOf, ...values],
        ),
      );
      const into = phase === 'promises' ? result.promiseStatuses : result.installmentStatuses;
      for (const c of counts) {
        into[c.status] = (into[c.status] ?? 0) + c.n;
        result[phase] += c.n;
      }
      // progress by the share of the id range covered (ids are dense in practice; no extra count)
      const span = Number(BigInt(range.hi) - BigInt(range.lo) + 1n);
      done = Math.min(range.n, Math.round((range.n * Number(lo + BigInt(batch) - BigInt(range.lo))) / span));
      options.onProgress?.({ phase, done, total: range.n });
    }
  }
  result.milliseconds = Math.round(performance.now() - started);
  return result;
}
