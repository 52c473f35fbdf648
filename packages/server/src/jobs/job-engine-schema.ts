import PgBoss from 'pg-boss';

/** The Postgres schema the job engine's tables live in. */
export const ENGINE_SCHEMA = 'pgboss';

/**
 * The engine's own DDL for its current schema version, run by our migration (migrations/
 * 1796750000000-JobEngine.ts) so that the schema comes from the migration path, not from a worker
 * starting. pg-boss wraps the plan in BEGIN ... COMMIT (under an advisory lock); the migration runs
 * it inside its own transaction instead, so that plan's wrapper is taken off (checked, not assumed).
 */
export function engineConstructionSql(): string {
  const plan = PgBoss.getConstructionPlans(ENGINE_SCHEMA).trim();
  const wrapped = /^BEGIN;([\s\S]*);\s*COMMIT;$/.exec(plan);
  if (!wrapped) throw new Error('pg-boss construction plan is not BEGIN ... COMMIT; see migrations/1796750000000-JobEngine.ts');
  return wrapped[1]!;
}
