/** `pnpm start`: the database (embedded with demo data unless DATABASE_URL), the API and the studio on one port. */
import { startApp } from './app';
import { createApiToken } from './auth';
import { ProgressBar } from './cli/progress';
import { openDatabase } from './db/database';
import { defaultDataDir } from './db/paths';
import { rootLogger } from './observability';
import { warmArOverview } from './partners';
import { parseHistoryLength, seedDemoAr, seedDemoHistory } from './seed';
import { reapOrphanedRuns, runWorklists } from './worklists';
import { CycleScheduler, JobEngine } from './jobs';

/**
 * The demo is a simulated year of daily AR movement, so that backtests have a history to replay;
 * 10,000 partners keep the seeding of the first start under a minute on the embedded database
 * (52 s on a loaded 2-core machine; 20,000 partners took 109 s there). RECOUP_DEMO_HISTORY=0 seeds the snapshot demo of earlier
 * versions (no history, 20,000 partners by default) instead.
 */
const DEMO_HISTORY = process.env.RECOUP_DEMO_HISTORY ?? '12m';
const DEMO_MONTHS = DEMO_HISTORY === '0' ? 0 : parseHistoryLength(DEMO_HISTORY);
const DEMO_PARTNERS = Number(process.env.RECOUP_DEMO_PARTNERS ?? (DEMO_MONTHS ? 10_000 : 20_000));

const logger = rootLogger();

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL || undefined;
  const dataDir = url ? undefined : defaultDataDir();
  logger.info(url ? 'Connecting to DATABASE_URL…' : `Starting the embedded database in ${dataDir}…`);
  const db = await openDatabase({ url, dataDir, eagerWasm: true });
  // Runs a killed process left RUNNING: FAILED with the reason, their tables dropped.
  for (const reaped of await reapOrphanedRuns(db)) logger.warn(reaped, `Worklist run ${reaped.runId} (${reaped.segment}) marked FAILED: ${reaped.reason}`);
  const [{ partners }] = await db.dataSource.query('SELECT count(*)::int AS partners FROM partners');
  let demoToken: string | undefined;
  // Demo data only where nobody's real data can be: the embedded database, or when asked for.
  if (partners === 0 && (db.kind === 'embedded' || process.env.RECOUP_DEMO === '1')) {
    if (DEMO_MONTHS === null) throw new Error(`RECOUP_DEMO_HISTORY must be months or years (e.g. 12m, 2y) or 0, got ${JSON.stringify(DEMO_HISTORY)}`);
    const asOf = new Date().toISOString().slice(0, 10);
    const bar = new ProgressBar('demo AR');
    const onProgress = (p: { rows: number; phase: string; table: string }) => bar.update(p.rows, `demo AR: ${p.phase} ${p.table}`);
    const result = DEMO_MONTHS
      ? (await seedDemoHistory(db, { partners: DEMO_PARTNERS, months: DEMO_MONTHS, seed: 1, asOf }, { onProgress })).result
      : await seedDemoAr(db, { partners: DEMO_PARTNERS, seed: 1, asOf }, { onProgress });
    bar.finish(
      `Seeded a demo AR of ${DEMO_PARTNERS.toLocaleString('en')} partners as of ${asOf}${DEMO_MONTHS ? ` with ${DEMO_MONTHS} months of history` : ''} (${result.tables.reduce((n, t) => n + t.rows, 0).toLocaleString('en')} rows)`,
    );
    const lists = new ProgressBar('worklists');
    const runs = await runWorklists(db, { asOf, mode: 'LIVE', onProgress: (p) => lists.update(p.step, `worklists: ${p.phase}`, p.steps) });
    lists.finish(`Generated the live worklists of ${runs.map((r) => `${r.segment} (${r.partnersOnList.toLocaleString('en')})`).join(', ')}`);
    // A fresh random token per seeded database (never a fixed dev token); only its hash is stored.
    const { token } = await createApiToken(db, { name: 'demo-admin', role: 'ADMIN' });
    demoToken = token;
    logger.info(`Demo ADMIN API token (shown once; the studio and API calls need it as "Authorization: Bearer <token>"): ${token}`);
  } else {
    logger.info('API calls need a bearer token: `pnpm recoup token create --name NAME --role ADMIN` prints a new one.');
  }
  const app = await startApp(db, Number(process.env.PORT ?? 4000));
  // The nightly cycle: a worker and the cycle's scheduler in this process, so that one command runs
  // everything; RECOUP_WORKER=0 leaves the jobs to `pnpm recoup worker` processes.
  let scheduler: CycleScheduler | undefined;
  const engine =
    process.env.RECOUP_WORKER === '0'
      ? undefined
      : await JobEngine.start(db, { work: true, dropDir: process.env.RECOUP_DROP_DIR, onStepFinished: () => void scheduler?.tick() });
  if (engine) {
    scheduler = new CycleScheduler(db, engine);
    scheduler.start();
  }
  // The studio opens on the AR overview: read it while the first person signs in.
  warmArOverview(db, new Date().toISOString().slice(0, 10));
  logger.info({ url: app.url, database: db.kind }, `Recoup is running at ${app.url}  (GraphQL ${app.url}/graphql, ${db.kind} database)`);
  // The link signs the studio in (the token stays in that browser; it leaves the address bar at once).
  if (demoToken) logger.info(`Open the studio signed in: ${app.url}/#token=${demoToken}`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info('Stopping…');
    await scheduler?.stop();
    await engine?.stop();
    await app.close();
    // The embedded database must close cleanly to keep its files consistent.
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'Recoup failed to start');
  process.exit(1);
});
