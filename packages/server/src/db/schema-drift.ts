import type { DataSource } from 'typeorm';

export interface PendingSchemaChange {
  up: string[];
  down: string[];
}

/** What `migration:generate` would write against this (migrated) database: empty when the migrations match the entities. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<PendingSchemaChange> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return {
    up: sql.upQueries.map((q) => q.query),
    down: sql.downQueries.map((q) => q.query).reverse(),
  };
}
