/**
 * `pnpm bench:worklist-orders [--partners N] [--repeats R]`
 *
 * On real Postgres (DATABASE_URL's server): a scratch database with the synthetic AR of N
 * partners (default 50000) and its live worklists, then the medians over R repeats of
 *  - the first page (50 items) of the largest segment's list in every order and direction,
 *  - the third page of it (two cursors followed),
 *  - a filtered first page (fired rule + days overdue range + amount range + worked),
 *  - one bulk reassignment of 1000 items (moved back and forth: same work each time).
 * The database is dropped at the end.
 */
import { parseArgs } from 'node:util';
import { itemsPage } from '../src/worklists/worklist-read.service';
import { reassignItems } from '../src/worklists/worklist-assignment.service';
import { runWorklists } from '../src/worklists/worklist-run.service';
import { SortDirection, WorklistOrder, type WorklistFilter } from '../src/worklists/worklist.types';
import { createRequestContext } from '../src/graphql/context';
import { seedDemoAr } from '../src/seed/seed.service';
import { median, openBenchDatabase } from './bench-db';

const { values: args } = parseArgs({ options: { partners: { type: 'string', default: '50000' }, repeats: { type: 'string', default: '7' } } });
const partners = Number(args.partners);
const repeats = Number(args.repeats);
const AS_OF = '2026-11-23';

const db = await openBenchDatabase(`recoup_bench_orders_${Date.now()}`);
try {
  let t = performance.now();
  await seedDemoAr(db, { partners, seed: 7, asOf: AS_OF });
  await runWorklists(db, { asOf: AS_OF, mode: 'LIVE' });
  console.log(`seeded ${partners} partners and ran the live worklists in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  const [run] = await db.dataSource.query(
    `SELECT r.id::text AS id, r.segment_key AS segment, r.rules, r.partners_on_list AS n FROM collection_segments s JOIN worklist_runs r ON r.id = s.live_run_id ORDER BY r.partners_on_list DESC LIMIT 1`,
  );
  console.log(`segment ${run.segment}: ${run.n} items on the list`);
  const runs = [{ id: run.id as string, rules: run.rules }];
  const time = async (work: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < repeats; i++) {
      t = performance.now();
      await work();
      samples.push(performance.now() - t);
    }
    return median(samples).toFixed(1).padStart(7);
  };
  const page = (orderBy: WorklistOrder, direction: SortDirection | null, filter: WorklistFilter = {}, after: string | null = null) =>
    itemsPage(db, runs, { orderBy, direction, filter, first: 50, after });
  console.log('order                  direction   first page ms   third page ms');
  for (const orderBy of Object.values(WorklistOrder)) {
    for (const direction of [SortDirection.ASC, SortDirection.DESC]) {
      const first = await time(() => page(orderBy, direction));
      const third = await time(async () => {
        const one = await page(orderBy, direction);
        const two = await page(orderBy, direction, {}, one.pageInfo.endCursor);
        return page(orderBy, direction, {}, two.pageInfo.endCursor);
      });
      console.log(`${orderBy.padEnd(22)} ${direction.padEnd(9)} ${first}        ${third} (3 pages)`);
    }
  }
  const filter: WorklistFilter = { firedRule: run.rules[0].name, minDaysOverdue: 30, maxDaysOverdue: 365, minAmountToBeCollected: '100', worked: false };
  console.log(`filtered first page (WORKLIST) ms: ${await time(() => page(WorklistOrder.WORKLIST, null, filter))}`);
  const ids: string[] = (
    await db.dataSource.query(`SELECT partner_id::text AS id FROM worklist_items WHERE run_id = $1 AND completed_at IS NULL ORDER BY partner_id LIMIT 1000`, [
      run.id,
    ])
  ).map((r: { id: string }) => r.id);
  const specialists: string[] = (
    await db.dataSource.query(
      `SELECT s.id::text AS id FROM specialists s JOIN collection_groups g ON g.key = s.group_key WHERE s.active AND g.segment_key = $1 ORDER BY s.id LIMIT 2`,
      [run.segment],
    )
  ).map((r: { id: string }) => r.id);
  const ctx = createRequestContext(db, { tokenId: '0', name: 'bench', role: 'SUPERVISOR', specialistId: null });
  let k = 0;
  console.log(
    `bulk reassignment of ${ids.length} items ms: ${await time(() => reassignItems(ctx, { segment: run.segment, partnerIds: ids, specialistId: specialists[k++ % specialists.length]! }))}`,
  );
} finally {
  await db.close();
}
