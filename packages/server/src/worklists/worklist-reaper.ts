/**
 * Runs whose process died. A run killed mid-way (kill -9, a lost container) cannot mark itself
 * FAILED: its row would stay RUNNING for ever and its stage and item tables would stay behind.
 * Every run records the database backend of its coordinator connection (coordinator_pid); a
 * RUNNING run whose backend is gone is orphaned. The API reaps at start, and every run before
 * and after it takes its segments' lock.
 *
 * On Postgres the backend's presence in pg_stat_activity decides, so a healthy run of another
 * process is left alone. The embedded database is one session for every connection (every pid
 * is the same) and one process at a time (its data directory is locked): whatever is RUNNING
 * when a process first looks was left by an earlier process, and nothing after that is.
 */
import type { Database } from '../db/database';

export interface ReapedRun {
  runId: string;
  segment: string;
  /** Why it was marked FAILED (also its `error`). */
  reason: string;
}

/** Embedded databases already reaped by this process: the first look is the only one. */
const reapedAtStart = new WeakMap<Database, Promise<ReapedRun[]>>();

/**
 * Marks FAILED (error = the reason, finished_at = now) every RUNNING run whose process has
 * stopped, and drops its stage and item tables. Returns what it reaped.
 */
export async function reapOrphanedRuns(db: Database): Promise<ReapedRun[]> {
  if (db.kind === 'postgres') return reap(db, await orphanedOnPostgres(db));
  let first = reapedAtStart.get(db);
  if (first) {
    await first;
    return [];
  }
  first = (async () => reap(db, await everyRunningRun(db)))();
  reapedAtStart.set(db, first);
  // A failed first look (the database unreachable) is tried again by the next caller.
  first.catch(() => reapedAtStart.delete(db));
  return first;
}

interface Orphan {
  id: string;
  reason: string;
}

/**
 * RUNNING runs whose coordinator backend is not connected to this database any more. A backend
 * that started after the run is another one with a reused pid. backend_start is hidden for
 * another role's sessions: then the pid alone decides.
 */
async function orphanedOnPostgres(db: Database): Promise<Orphan[]> {
  const rows: Array<{ id: string; coordinator_pid: number | null }> = await db.dataSource.query(
    `SELECT r.id, r.coordinator_pid FROM worklist_runs r
      WHERE r.status = 'RUNNING'
        AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                         WHERE a.pid = r.coordinator_pid AND a.datname = current_database()
                           AND (a.backend_start IS NULL OR a.backend_start <= r.started_at))
      ORDER BY r.id`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    reason:
      r.coordinator_pid === null
        ? 'the process running it stopped (it recorded no backend: started before runs kept their coordinator pid)'
        : `the process running it stopped (backend ${r.coordinator_pid} gone)`,
  }));
}

async function everyRunningRun(db: Database): Promise<Orphan[]> {
  const rows: Array<{ id: string }> = await db.dataSource.query(`SELECT id FROM worklist_runs WHERE status = 'RUNNING' ORDER BY id`);
  return rows.map((r) => ({ id: String(r.id), reason: 'the process running it stopped (still RUNNING when the embedded database was opened again)' }));
}

/**
 * Marks each orphan FAILED (only if still RUNNING: two processes reaping at once mark it once)
 * and drops the tables it left: its stage (named after the first run of its batch) and its own
 * item table (never attached: attaching commits together with SUCCEEDED).
 */
async function reap(db: Database, orphans: Orphan[]): Promise<ReapedRun[]> {
  const reaped: ReapedRun[] = [];
  for (const orphan of orphans) {
    // As a SELECT: TypeORM answers an UPDATE with [rows, count].
    const [row]: Array<{ segment_key: string }> = await db.dataSource.query(
      `WITH failed AS (UPDATE worklist_runs SET status = 'FAILED', finished_at = now(), error = $2 WHERE id = $1 AND status = 'RUNNING' RETURNING segment_key)
       SELECT segment_key FROM failed`,
      [orphan.id, orphan.reason],
    );
    if (!row) continue;
    const id = BigInt(orphan.id);
    await db.dataSource.query(`DROP TABLE IF EXISTS worklist_stage_${id}`);
    await db.dataSource.query(`DROP TABLE IF EXISTS worklist_items_run_${id}`);
    reaped.push({ runId: orphan.id, segment: row.segment_key, reason: orphan.reason });
  }
  return reaped;
}
