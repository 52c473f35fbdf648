/**
 * A worklist run in a process of its own that stops dead at a phase, for tests that kill it
 * there (test/run-recovery.test.ts):
 *   node --import tsx test/support/worklist-child.ts URL SEGMENT AS_OF PHASE
 * Runs a LIVE run of SEGMENT on the database at URL; when the run reports PHASE it prints
 * `PAUSED <run ids>` and blocks its thread for good, as a process that hangs mid-run does,
 * holding its connections (the run's RUNNING rows, stage and item tables exist by then).
 */
import { writeSync } from 'node:fs';
import { openDatabase } from '../../packages/server/src/db/database';
import { runWorklist } from '../../packages/server/src/worklists/worklist-run.service';

const [url, segment, asOf, phase] = process.argv.slice(2);
if (!url || !segment || !asOf || !phase) throw new Error('usage: worklist-child.ts URL SEGMENT AS_OF PHASE');

const db = await openDatabase({ url, poolSize: 2, migrate: false });
await runWorklist(db, {
  segment,
  asOf,
  mode: 'LIVE',
  onProgress: (progress) => {
    if (progress.phase !== phase) return;
    // Synchronous: the event loop is blocked from here on.
    writeSync(1, `PAUSED ${phase}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  },
});
writeSync(1, 'FINISHED\n');
await db.close();
