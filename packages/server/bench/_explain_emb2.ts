import 'reflect-metadata';
import { openDatabase } from '../src/db/database';
import { runWorklist } from '../src/worklists/worklist-run.service';
import { previewDealSql, previewScoresSql } from '../src/worklists/worklist-preview.sql';
import { clearFactCache } from '../src/worklists/worklist-fact-cache';

const db = await openDatabase({ dataDir: process.argv[2]! });
const [{ as_of: asOf, document }] = await db.dataSource.query(
  `SELECT r.as_of::text AS as_of, v.document FROM collection_segments s JOIN worklist_runs r ON r.id = s.live_run_id
     LEFT JOIN strategy_versions v ON v.id = r.strategy_version_id WHERE s.key = 'CONSUMER'`);
await runWorklist(db, { segment: 'CONSUMER', asOf, mode: 'PREVIEW', document });
const [{ t }] = await db.dataSource.query(`SELECT relname AS t FROM pg_class WHERE relname LIKE 'worklist_facts_%' ORDER BY oid DESC LIMIT 1`);
const [{ g }] = await db.dataSource.query(`SELECT min(key) AS g FROM collection_groups WHERE segment_key = 'CONSUMER'`);
const parts = [{ runId: '999999', table: 'pv_part', segment: 'CONSUMER', defaultGroup: g }];
const scores = previewScoresSql(document, t);
const deal = previewDealSql('pv_scores', t, asOf, parts);
const q = db.dataSource.createQueryRunner();
await q.connect();
for (let i = 0; i < 3; i++) {
  await q.startTransaction();
  await q.query(`SET LOCAL work_mem = '64MB'; SET LOCAL enable_nestloop = off; SET LOCAL enable_mergejoin = off`);
  const t0 = performance.now();
  const p1 = await q.query(`EXPLAIN (ANALYZE) CREATE TEMPORARY TABLE pv_scores ON COMMIT DROP AS ${scores.text}`, scores.values);
  const t1 = performance.now();
  await q.query(`CREATE UNLOGGED TABLE pv_part (LIKE worklist_items INCLUDING DEFAULTS, CHECK (run_id = 999999))`);
  const t2 = performance.now();
  const p2 = await q.query(`EXPLAIN (ANALYZE) ${deal.text}`, deal.values);
  const t3 = performance.now();
  await q.query(`CREATE UNIQUE INDEX pv_part_i0 ON pv_part (run_id, partner_id)`);
  const t4 = performance.now();
  console.log(`scores ${(t1 - t0).toFixed(0)} create ${(t2 - t1).toFixed(0)} deal ${(t3 - t2).toFixed(0)} pk ${(t4 - t3).toFixed(0)}`);
  if (i === 2) console.log([...p1, ...p2].map((r: any) => r['QUERY PLAN']).join('\n'));
  await q.rollbackTransaction();
}
await q.release();
await clearFactCache(db);
await db.close();
