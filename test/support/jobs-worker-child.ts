/**
 * A job worker in a process of its own, for test/jobs-faults.test.ts (Postgres only):
 *   node --import tsx test/support/jobs-worker-child.ts URL
 * Its WORKLISTS step logs `started` (and prints STARTED), works 2 s, logs `finished`; jobs of a
 * killed worker expire after 4 s and are retried.
 *
 *   node --import tsx test/support/jobs-worker-child.ts URL parts
 * for test/jobs-run-parts-faults.test.ts: a real worker taking run parts one at a time, printing
 * `PART n` as it starts part n; a part of a killed worker expires after 10 s and is retried.
 *
 *   node --import tsx test/support/jobs-worker-child.ts URL coordinator SEGMENT DATE PARTNERS_PER_PART
 * for the same test: a live run of SEGMENT at DATE split into parts (no worker of its own),
 * printing `RUN id` once its run is started and `DONE` when it ended.
 *
 *   node --import tsx test/support/jobs-worker-child.ts URL segments SLOW_SEGMENT
 * for test/jobs-segments-faults.test.ts: a real worker of the WORKLISTS step and its segment
 * jobs; each segment run logs `started` in segment_fault_log, SLOW_SEGMENT's first waits 3 s
 * before it runs; jobs of a killed worker expire after 4 s and are retried.
 */
import { writeSync } from 'node:fs';
import { openDatabase } from '../../packages/server/src/db/database';
import { JobEngine } from '../../packages/server/src/jobs';
import { runWorklist } from '../../packages/server/src/worklists';

const [url, mode, ...rest] = process.argv.slice(2);
if (!url) throw new Error('usage: jobs-worker-child.ts URL [parts | coordinator SEGMENT DATE PARTNERS_PER_PART | segments SLOW_SEGMENT]');

const db = await openDatabase({ url, poolSize: 2, migrate: false });
if (mode === 'parts') {
  await JobEngine.start(db, {
    work: true,
    pollingIntervalSeconds: 0.5,
    partsAtOnce: 1,
    partExpireInSeconds: 10,
    partRetryDelaySeconds: 0,
    maintenanceIntervalSeconds: 1,
    onPartStarted: (part) => writeSync(1, `PART ${part.part}\n`),
  });
  writeSync(1, 'READY\n');
} else if (mode === 'coordinator') await coordinator(rest[0]!, rest[1]!, Number(rest[2]));
else if (mode === 'segments') await segmentWorker(rest[0]!);
else await cycleStepWorker();

async function coordinator(segment: string, asOf: string, partnersPerPart: number): Promise<void> {
  const engine = await JobEngine.start(db, { work: false, partExpireInSeconds: 10, partRetryDelaySeconds: 0 });
  await runWorklist(db, {
    segment,
    asOf,
    mode: 'LIVE',
    splitting: engine.splitting({ partnersPerPart, minPartners: 0 }),
    onStarted: ([runId]) => writeSync(1, `RUN ${runId}\n`),
  });
  writeSync(1, 'DONE\n');
  await engine.stop();
  await db.close();
}

async function cycleStepWorker(): Promise<void> {
  const logEvent = (event: string, cycleDate: string) =>
    db.dataSource.query(`INSERT INTO job_fault_log (event, pid, cycle_date) VALUES ($1, $2, $3)`, [event, process.pid, cycleDate]);
  await JobEngine.start(db, {
    work: true,
    pollingIntervalSeconds: 0.5,
    retryLimit: 2,
    retryDelaySeconds: 1,
    expireInSeconds: 4,
    maintenanceIntervalSeconds: 1,
    handlers: {
      WORKLISTS: async (cycleDate) => {
        await logEvent('started', cycleDate);
        writeSync(1, 'STARTED\n');
        await new Promise((resolve) => setTimeout(resolve, 2000));
        await logEvent('finished', cycleDate);
        return 'ok';
      },
    },
  });
  writeSync(1, 'READY\n');
}

async function segmentWorker(slow: string): Promise<void> {
  await JobEngine.start(db, {
    work: true,
    pollingIntervalSeconds: 0.5,
    retryLimit: 2,
    retryDelaySeconds: 0,
    expireInSeconds: 4,
    maintenanceIntervalSeconds: 1,
    onSegmentStarted: async ({ segment, cycleDate }) => {
      const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM segment_fault_log WHERE segment = $1`, [segment]);
      await db.dataSource.query(`INSERT INTO segment_fault_log (event, pid, segment, cycle_date) VALUES ('started', $1, $2, $3)`, [
        process.pid,
        segment,
        cycleDate,
      ]);
      writeSync(1, `SEGMENT ${segment}\n`);
      if (segment === slow && n === 0) await new Promise((resolve) => setTimeout(resolve, 3000));
    },
  });
  writeSync(1, 'READY\n');
}
