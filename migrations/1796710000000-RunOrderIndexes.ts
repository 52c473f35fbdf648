import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The worklist-order indexes of worklist_items (the whole list's order, and one specialist's)
 * become indexes of each run's table rather than partitioned indexes of worklist_items, which
 * every attached table must have: a live run still builds them on its table (and its reads page
 * by them), a small preview does not (its table is read a page or two, and a scan with a top-N
 * sort answers that for less than the builds cost). The primary key stays partitioned. Each
 * attached table keeps the two indexes under its own names.
 */
const ORDER_INDEXES: Array<[string, string]> = [
  ['order', '("run_id", "priority", "valuation" DESC, "amount_to_be_collected" DESC, "partner_id")'],
  ['specialist', '("run_id", "specialist_id", "priority", "valuation" DESC, "amount_to_be_collected" DESC, "partner_id")'],
];

export class RunOrderIndexes1796710000000 implements MigrationInterface {
  name = 'RunOrderIndexes1796710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const tables = await runTables(queryRunner);
    await queryRunner.query('DROP INDEX "idx_worklist_items_order"');
    await queryRunner.query('DROP INDEX "idx_worklist_items_specialist"');
    for (const table of tables) {
      for (const [name, columns] of ORDER_INDEXES) await queryRunner.query(`CREATE INDEX "${table}_${name}" ON "${table}" ${columns}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of await runTables(queryRunner)) {
      for (const [name] of ORDER_INDEXES) await queryRunner.query(`DROP INDEX IF EXISTS "${table}_${name}"`);
    }
    // Built on every attached table (and adopted by each table attached later).
    await queryRunner.query(`CREATE INDEX "idx_worklist_items_order" ON "worklist_items" ${ORDER_INDEXES[0]![1]}`);
    await queryRunner.query(`CREATE INDEX "idx_worklist_items_specialist" ON "worklist_items" ${ORDER_INDEXES[1]![1]}`);
  }
}

/** The run tables attached to worklist_items. */
async function runTables(queryRunner: QueryRunner): Promise<string[]> {
  const rows: Array<{ name: string }> = await queryRunner.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'worklist_items'::regclass ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}
