import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Analytics snapshots: every partner written is noted to be moved (AnalyticsSnapshots noted an
 * inserted or deleted partner only when it had open items at the end of its statement; an import
 * writes the partner before its items, so a new partner was never noted, never entered
 * analytics_snapshot_partners, and its items were left out of every day rebuilt later). Moving a
 * partner the snapshots do not hold adds it, so its items count from then on. A statement writing
 * more than BULK partners marks the responsibility changed instead (every partner compared at the
 * refresh) rather than writing a note per partner.
 */
const BULK = 10_000;

const moved = (select: string) =>
  `INSERT INTO analytics_snapshot_moved (partner_id, txid) SELECT DISTINCT x.id, txid_current() FROM (${select}) x ON CONFLICT DO NOTHING`;

const PARTNERS_WRITE = (everyInsertedOrDeleted: boolean) => `CREATE OR REPLACE FUNCTION recoup_analytics_partners_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          ${moved(`SELECT n.id FROM before o JOIN changed n ON n.id = o.id WHERE o.segment IS DISTINCT FROM n.segment
            OR o.collection_group_key IS DISTINCT FROM n.collection_group_key OR o.specialist_id IS DISTINCT FROM n.specialist_id`)};
        ELSIF TG_OP = 'INSERT' THEN
          ${
            everyInsertedOrDeleted
              ? `IF (SELECT count(*) FROM changed) > ${BULK} THEN PERFORM recoup_analytics_mark(NULL, true); RETURN NULL; END IF;
          ${moved(`SELECT n.id FROM changed n`)};`
              : `${moved(`SELECT n.id FROM changed n WHERE EXISTS (SELECT 1 FROM open_items i WHERE i.partner_id = n.id)`)};`
          }
        ELSE
          ${
            everyInsertedOrDeleted
              ? `IF (SELECT count(*) FROM before) > ${BULK} THEN PERFORM recoup_analytics_mark(NULL, true); RETURN NULL; END IF;
          ${moved(`SELECT o.id FROM before o`)};`
              : `${moved(`SELECT o.id FROM before o WHERE EXISTS (SELECT 1 FROM open_items i WHERE i.partner_id = o.id)`)};`
          }
        END IF;
        RETURN NULL;
      END $$`;

export class AnalyticsNewPartners1796791500000 implements MigrationInterface {
  name = 'AnalyticsNewPartners1796791500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(PARTNERS_WRITE(true));
    // Partners written before this migration and never noted: the next refresh compares everyone.
    await q.query(`UPDATE analytics_snapshot_state SET responsibility_changed = true WHERE id = 1 AND built_to IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(PARTNERS_WRITE(false));
  }
}
