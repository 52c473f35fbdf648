import PgBoss from 'pg-boss';

/** The Postgres schema the job engine's tables live in. */
export const ENGINE_SCHEMA = 'pgboss';

/**
 * The engine's own DDL for its current schema version, run by our migration (migrations/
 * 1796750000000-JobEngine.ts) so that the schema comes from the migration path, not from a worker
 * starting. One transaction of its own (BEGIN ... COMMIT under an advisory lock).
 */
export function engineConstructionSql(): string {
  return PgBoss.getConstructionPlans(ENGINE_SCHEMA);
}
