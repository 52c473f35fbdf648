/**
 * The Recoup CLI: `pnpm recoup <command>`.
 *   import DIR                       load the CSV files in DIR, organisation and AR mirror (one transaction)
 *   org export DIR                   write the organisation files and partners.csv with assignments into DIR
 *   seed --partners N [--seed S] [--as-of D] [--csv DIR]
 *                                    generate a synthetic AR into the database, or as CSV files into DIR
 *   demo [--partners N] [--history 12m] [--worked-effect X] [--seed S] [--as-of D] [--csv DIR]
 *                                    a simulated history of daily AR movement (default 20000 partners, 12 months)
 *   worklist generate --segment S [--as-of D] [--preview]
 *                                    run the segment's active strategy into its worklist
 *   dunning run [--as-of D] [--dry-run] [--skip-revaluation]
 *                                    propose, render and record dunning notices; raise item levels
 *   backtest --segment S --from D1 --to D2 [--every 7] [--horizon 30] --strategy KEY[@VERSION] ... [--format table|json]
 *                                    score strategies at past key dates and measure what happened next
 *   migrate                          apply pending migrations
 *   promises judge [--as-of D]       judge every promise and installment at D and store the status
 *   facts verify | facts rebuild     compare the maintained facts with the mirror (exit 1 on a difference) | recompute them
 *   agency export AGENCY --as-of D [--out FILE]
 *                                    the agency's placement file: placements, recalls, clearings since its last export
 *   agency settlement AGENCY --from D1 --to D2 [--close] [--out FILE]
 *                                    the agency's commission lines of a period as CSV (--close: freeze it first)
 *   token create --name N --role R [--specialist ID] [--agency KEY] | token list | token revoke ID
 *   analytics snapshot [--from D] [--to D] [--full]
 *                                    build or bring current the daily analytics snapshots
 *                                    API tokens (the secret is printed once, only its hash is stored)
 *   help                             this list (also --help, -h)
 * The database is DATABASE_URL, else the embedded one under .data/.
 * Exit codes: 0 done, 1 failed, 2 wrong usage (the usage is printed).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type Database } from './db/database';
import { defaultDataDir } from './db/paths';
import { createApiToken, listApiTokens, revokeApiToken } from './auth';
import { ROLES } from './graphql/roles';
import { csvLine, directorySources, exportOrganisation, ImportError, importAr, type ImportResult } from './import';
import { agencySettlement, closeAgencySettlement, exportPlacementFile, PLACEMENT_FILE_COLUMNS } from './agencies';
import { ProgressBar } from './cli/progress';
import { parseHistoryLength, seedDemoAr, seedDemoHistory, writeDemoArCsv, writeDemoHistory, type DemoHistoryStats } from './seed';
import { DomainError } from './graphql/errors';
import { runWorklists, worklistReadiness, type WorklistRunResult } from './worklists';
import { deliverEmails, runDunning, smtpTransport } from './dunning';
import { judgeAll } from './promises';
import { backtestStrategies } from './backtests';
import { backtestReport, optionOf, strategyArgument } from './cli/backtest-report';
import { rebuildFacts, verifyFacts } from './facts';
import { analyticsReport, REPORT_NAMES, REPORT_OPTIONS } from './cli/analytics-report';
import { CycleScheduler, JobEngine, runCycle } from './jobs';
import { describeCredits, refreshAnalyticsSnapshots } from './analytics';

const USAGE = `usage: pnpm recoup <command>
  import DIR                                  load the CSV files of DIR: organisation files first, then the
                                              AR mirror (one transaction; a bad row writes nothing)
  org export DIR                              write the organisation files and partners.csv (with profile,
                                              collection_group, specialist) into DIR, for import elsewhere
  seed --partners N [--seed S] [--as-of YYYY-MM-DD] [--csv DIR]
                                              synthetic AR into the database, or as CSV files into DIR
  demo [--partners N] [--history 12m] [--worked-effect X] [--seed S] [--as-of YYYY-MM-DD] [--csv DIR]
                                              simulate N partners' daily AR movement over the months before
                                              the date (invoices, payments, contacts, promises, disputes,
                                              dunning notices) into the database through the import, with the
                                              demo organisation, or as CSV files into DIR (default 20000, 12m;
                                              --worked-effect: hazard multiplier 1+X while worked, default 1)
  worklist generate [--segment S] [--as-of YYYY-MM-DD] [--preview]
                                              score the segment (default: every segment) with its active
                                              strategy and switch its live worklist (--preview: keep it)
  dunning run [--as-of YYYY-MM-DD] [--dry-run] [--skip-revaluation]
                                              propose, render and record the dunning notices due at the date
                                              (default today) and raise item levels (--dry-run: show, write nothing)
  backtest --segment S --from YYYY-MM-DD --to YYYY-MM-DD [--every 7] [--horizon 30]
           --strategy KEY[@VERSION] [--strategy ...] [--format table|json]
                                              score saved strategies at every key date from..to and measure
                                              the next horizon days: collected share, cure, roll to 90+, broken
                                              promises, capture at capacity, AUC, baselines and differences
  cycle run [--as-of YYYY-MM-DD]              run the nightly cycle of the date (default today) once by hand on the
                                              job engine, each step after the steps it depends on, printing progress
                                              (a worker in this process; exit code 1 when a step failed or did not run)
  worker [--no-scheduler]                     take jobs of the job engine until stopped (SIGINT/SIGTERM), and start
                                              the nightly cycle's steps at their times (several may run: each step
                                              of a cycle date starts once); drop directory of the import: RECOUP_DROP_DIR
  migrate                                     apply pending migrations
  report NAME --from YYYY-MM-DD --to YYYY-MM-DD [--currency EUR] [--group-by G] [--granularity MONTH|WEEK]
         [--segment S] [--group G] [--company-code C] [--specialist ID] [--strategy K] [--within-days N] [--agency KEY] [--format csv|json]
                                              an analytics report (${REPORT_NAMES.join(', ')}) as the API
                                              computes it for an ADMIN, as JSON (default) or CSV rows
  promises judge [--as-of YYYY-MM-DD]         judge every promise and payment-plan installment at the date
                                              (default today) and store each status and its date
  facts verify                                recompute every partner's maintained facts from the mirror and
                                              print each difference (partner, column, stored, recomputed);
                                              exit code 1 when any differ
  facts rebuild                               recompute every partner's maintained facts from the mirror
  agency export AGENCY --as-of YYYY-MM-DD [--out FILE]
                                              the agency's placement file (CSV): placements, recalls and
                                              clearings since its last export, dated on or before --as-of
  agency settlement AGENCY --from YYYY-MM-DD --to YYYY-MM-DD [--close] [--out FILE]
                                              the agency's commission lines of the period (CSV); --close
                                              freezes the period first (audited; overlapping: refused)
  token create --name N --role R [--specialist ID] [--groups G1,G2] [--agency KEY]
  analytics snapshot [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--full]
                                              build or bring current the daily analytics snapshots the KPI
                                              report reads (default: the days built so far, else 13 months,
                                              up to today; stale days rebuilt; --full: everything)
                                              a bearer API token (printed once); roles ${ROLES.join(', ')};
                                              a SUPERVISOR's --groups scope their analytics to those groups
  token list                                  the tokens (never their secrets)
  token revoke ID                             refuse a token from now on
  help                                        this text
Database: DATABASE_URL, else the embedded database in .data/ (RECOUP_DATA_DIR).`;

type Command = (args: string[]) => Promise<void>;
type DunningRunResult = Awaited<ReturnType<typeof runDunning>>;

/** Wrong usage: the message and the usage go to stderr, exit code 2. */
class UsageError extends Error {}

/** A command with subcommands: `name sub ...args`. */
function subcommands(name: string, table: Record<string, Command>): Command {
  const names = Object.keys(table);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}`;
  return async ([sub, ...args]) => {
    if (sub === undefined || !Object.hasOwn(table, sub)) throw new UsageError(`${name} takes the subcommand ${list}`);
    await table[sub]!(args);
  };
}

const COMMANDS: Record<string, Command> = {
  import: importFiles,
  seed,
  demo,
  org: subcommands('org', { export: exportOrg }),
  agency: subcommands('agency', { export: exportAgencyFile, settlement: agencySettlementFile }),
  worklist: subcommands('worklist', { generate: generateWorklists }),
  token: subcommands('token', { create: createToken, list: listTokens, revoke: revokeToken }),
  promises: subcommands('promises', { judge: judgePromises }),
  dunning: subcommands('dunning', { run: dunningRun }),
  facts: subcommands('facts', { verify: verifyFactsCommand, rebuild: rebuildFactsCommand }),
  analytics: subcommands('analytics', { snapshot: analyticsSnapshotCommand }),
  backtest,
  report: analyticsReportCommand,
  cycle: subcommands('cycle', { run: cycleRun }),
  worker,
  migrate,
  help,
  '--help': help,
  '-h': help,
};

async function main([command, ...args]: string[]): Promise<void> {
  if (!command || !Object.hasOwn(COMMANDS, command)) throw new UsageError(command ? `unknown command ${command}` : 'no command');
  await COMMANDS[command]!(args);
}

// --- the commands ------------------------------------------------------------------------------

async function importFiles(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('import takes one DIR');
  const dir = userPath(positionals[0]!);
  const sources = directorySources(dir);
  await withDatabase(async (db) => {
    const bar = new ProgressBar('import');
    const result = await importAr(db, sources, { onProgress: (p) => bar.update(p.rows, `${p.phase} ${p.table}`) });
    bar.finish(`imported ${dir}`);
    printImportResult(result);
  });
}

async function analyticsReportCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: REPORT_OPTIONS });
  const name = REPORT_NAMES.find((n) => n === positionals[0]);
  if (!name || positionals.length !== 1) throw new UsageError(`report takes one NAME: ${REPORT_NAMES.join(', ')}`);
  if (!values.from || !values.to) throw new UsageError('report needs --from D --to D');
  if (values.format !== 'csv' && values.format !== 'json') throw new UsageError('--format is csv or json');
  await withDatabase(async (db) => process.stdout.write(await analyticsReport(db, { name, values })));
}

async function exportOrg(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('org export takes one DIR');
  const dir = userPath(positionals[0]!);
  await withDatabase(async (db) => {
    const bar = new ProgressBar('export');
    const files = await exportOrganisation(db, dir, (file, rows) => bar.update(rows, `export ${file}`));
    bar.finish(`exported the organisation into ${dir}`);
    for (const f of files) console.log(`${f.file.padEnd(FILE_WIDTH)} ${String(f.rows).padStart(10)} rows`);
  });
}

async function exportAgencyFile(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { 'as-of': { type: 'string' }, out: { type: 'string' } } });
  if (positionals.length !== 1 || !values['as-of']) throw new UsageError('agency export takes AGENCY --as-of YYYY-MM-DD');
  const asOf = asOfOrToday(values['as-of']);
  await withDatabase(async (db) => {
    const file = await db.dataSource.transaction((m) => exportPlacementFile(m, positionals[0]!, asOf));
    await writeCsv(values.out, [...PLACEMENT_FILE_COLUMNS], file.rows);
    console.error(`agency ${file.agency}: ${file.rows.length} placement events up to ${asOf} (watermark ${file.watermark})`);
  });
}

async function agencySettlementFile(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, close: { type: 'boolean' }, out: { type: 'string' } },
  });
  if (positionals.length !== 1 || !values.from || !values.to) throw new UsageError('agency settlement takes AGENCY --from YYYY-MM-DD --to YYYY-MM-DD');
  const [agency, from, to] = [positionals[0]!, values.from, values.to];
  await withDatabase(async (db) => {
    if (values.close) await db.dataSource.transaction((m) => closeAgencySettlement(m, { name: 'cli', role: 'ADMIN' }, agency, from, to));
    const settlement = await agencySettlement(db.dataSource.manager, agency, from, to);
    const columns = ['payment_id', 'placement_id', 'partner_id', 'item_id', 'payment_date', 'amount', 'currency', 'via_agency', 'commission'];
    await writeCsv(
      values.out,
      columns,
      settlement.lines.map((l) => [
        l.paymentId,
        l.placementId,
        l.partnerExternalId,
        l.itemExternalId,
        l.paymentDate,
        l.amount,
        l.currency,
        l.viaAgency,
        l.commission,
      ]),
    );
    const totals = settlement.totals.map((t) => `${t.commission} ${t.currency} on ${t.collected}`).join(', ') || 'nothing';
    console.error(
      `agency ${agency} ${from}..${to} at ${settlement.commissionPercent}%${settlement.settlementId ? ` (closed, settlement ${settlement.settlementId})` : ''}: ${totals}`,
    );
  });
}

/** A CSV with a header into FILE, or onto stdout without one. */
async function writeCsv(out: string | undefined, columns: string[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null>>): Promise<void> {
  const text = csvLine(columns) + rows.map((r) => csvLine(r)).join('');
  if (out) await writeFile(userPath(out), text);
  else process.stdout.write(text);
}

async function seed(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { partners: { type: 'string' }, seed: { type: 'string' }, 'as-of': { type: 'string' }, csv: { type: 'string' } },
  });
  const partners = Number(values.partners);
  if (!Number.isInteger(partners) || partners < 1) throw new UsageError('seed needs --partners N (a positive whole number)');
  const options = { partners, seed: values.seed ? Number(values.seed) : 1, asOf: asOfOrToday(values['as-of']) };
  if (values.csv) {
    const dir = userPath(values.csv);
    const bar = new ProgressBar('write CSV');
    await writeDemoArCsv(dir, options, (file, rows) => bar.update(rows, `write ${file}`));
    bar.finish(`wrote the synthetic AR of ${partners} partners as CSV into ${dir}`);
    return;
  }
  await withDatabase(async (db) => {
    const bar = new ProgressBar('seed');
    const result = await seedDemoAr(db, options, { onProgress: (p) => bar.update(p.rows, `${p.phase} ${p.table}`) });
    bar.finish(`seeded ${partners} partners (as of ${options.asOf}) into the ${db.kind} database`);
    printImportResult(result);
  });
}

async function demo(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      partners: { type: 'string' },
      history: { type: 'string' },
      'worked-effect': { type: 'string' },
      seed: { type: 'string' },
      'as-of': { type: 'string' },
      csv: { type: 'string' },
    },
  });
  const partners = values.partners === undefined ? 20_000 : Number(values.partners);
  if (!Number.isInteger(partners) || partners < 1) throw new UsageError('demo --partners takes a positive whole number');
  const months = parseHistoryLength(values.history ?? '12m');
  if (months === null) throw new UsageError('demo --history takes months or years, e.g. 12m or 2y (1 to 60 months)');
  const workedEffect = values['worked-effect'] === undefined ? 1 : Number(values['worked-effect']);
  if (!Number.isFinite(workedEffect) || workedEffect < 0) throw new UsageError('demo --worked-effect takes a number >= 0');
  const seedValue = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isSafeInteger(seedValue)) throw new UsageError('demo --seed takes a whole number');
  const options = { partners, months, workedEffect, seed: seedValue, asOf: asOfOrToday(values['as-of']) };
  const started = performance.now();
  if (values.csv) {
    const dir = userPath(values.csv);
    const bar = new ProgressBar('demo history');
    const stats = await writeDemoHistory(dir, options, (file, bytes) => bar.update(bytes, `write ${file}`));
    bar.finish(`wrote ${months} months of history of ${partners} partners (to ${options.asOf}) as CSV into ${dir}`);
    printHistoryStats(stats, performance.now() - started);
    return;
  }
  await withDatabase(async (db) => {
    const bar = new ProgressBar('demo history');
    const { result, stats, simulateMs } = await seedDemoHistory(db, options, { onProgress: (p) => bar.update(p.rows, `${p.phase} ${p.table}`) });
    bar.finish(`seeded ${months} months of history of ${partners} partners (to ${options.asOf}) into the ${db.kind} database`);
    printImportResult(result);
    console.log(`simulated in ${(simulateMs / 1000).toFixed(2)} s`);
    printHistoryStats(stats, performance.now() - started);
  });
}

function printHistoryStats(stats: DemoHistoryStats, milliseconds: number): void {
  console.log(`history from ${stats.periodStart} (simulated from ${stats.firstDay}, ${stats.days} days), ${stats.collectionContacts} collection contacts`);
  for (const [table, rows] of Object.entries(stats.rows)) console.log(`${table.padEnd(FILE_WIDTH)} ${String(rows).padStart(10)} rows`);
  console.log(`done in ${(milliseconds / 1000).toFixed(2)} s`);
}

async function generateWorklists(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { segment: { type: 'string' }, 'as-of': { type: 'string' }, preview: { type: 'boolean', default: false } },
  });
  const asOf = asOfOrToday(values['as-of']);
  await withDatabase(async (db) => {
    const bar = new ProgressBar('worklist');
    const results = await runWorklists(db, {
      segments: values.segment ? [values.segment] : undefined,
      asOf,
      mode: values.preview ? 'PREVIEW' : 'LIVE',
      onProgress: (p) => bar.update(p.step, p.phase, p.steps),
    });
    bar.finish(`${values.preview ? 'previewed' : 'generated'} ${results.length} worklist${results.length === 1 ? '' : 's'} as of ${asOf}`);
    for (const result of results) printRunResult(result);
    // What did not stop the run but shapes the list (items left without a specialist, retired groups).
    const segments = results.map((r) => r.segment);
    const { warnings } = await worklistReadiness(db, segments);
    for (const w of warnings) console.error(`warning: ${w.message}`);
  });
}

async function backtest(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      segment: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      every: { type: 'string', default: '7' },
      horizon: { type: 'string', default: '30' },
      strategy: { type: 'string', multiple: true },
      format: { type: 'string', default: 'table' },
    },
  });
  if (!values.segment || !values.from || !values.strategy?.length)
    throw new UsageError('backtest needs --segment S --from D1 [--to D2] --strategy KEY[@VERSION]');
  if (values.format !== 'table' && values.format !== 'json') throw new UsageError('--format is table or json');
  const input = {
    segment: values.segment,
    from: values.from,
    to: values.to ?? values.from,
    everyDays: Number(values.every),
    horizonDays: Number(values.horizon),
    strategies: values.strategy.map(strategyArgument),
  };
  await withDatabase(async (db) => {
    const bar = new ProgressBar('backtest');
    let step = 0;
    const result = await backtestStrategies(db, input, { onProgress: (message) => bar.update(++step, message) }).catch((error: unknown) => {
      // A bad argument names its option, as wrong usage does.
      if (error instanceof DomainError && error.code === 'BAD_USER_INPUT' && typeof error.details.path === 'string') {
        throw new UsageError(`${optionOf(error.details.path)}: ${error.message}`);
      }
      throw error;
    });
    bar.finish(`backtested ${result.strategies.length} strateg${result.strategies.length === 1 ? 'y' : 'ies'} at ${result.keyDates.length} key dates`);
    console.log(values.format === 'json' ? JSON.stringify(result, null, 2) : backtestReport(result));
  });
}

async function createToken(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { name: { type: 'string' }, role: { type: 'string' }, specialist: { type: 'string' }, groups: { type: 'string' }, agency: { type: 'string' } },
  });
  if (!values.name || !values.role) throw new UsageError('token create needs --name N --role R');
  await withDatabase(async (db) => {
    const groups = values.groups?.split(',').map((g) => g.trim()) ?? null;
    const { token, record } = await createApiToken(db, {
      name: values.name!,
      role: values.role!.toUpperCase(),
      specialistId: values.specialist ?? null,
      agencyKey: values.agency ?? null,
      groups,
    });
    console.error(
      `token ${record.id} "${record.name}" (${record.role}${record.specialistId ? `, specialist ${record.specialistId}` : ''}) created; it is shown only now:`,
    );
    // The secret alone on stdout, so scripts can capture it: TOKEN=$(pnpm -s recoup token create ...).
    console.log(token);
  });
}

async function listTokens(): Promise<void> {
  await withDatabase(async (db) => {
    for (const t of await listApiTokens(db)) {
      const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : `last used ${t.lastUsedAt?.toISOString() ?? 'never'}`;
      console.log(
        `${t.id.padStart(5)}  ${t.role.padEnd(12)} ${t.name}${t.specialistId ? ` (specialist ${t.specialistId})` : ''}  created ${t.createdAt.toISOString()}, ${state}`,
      );
    }
  });
}

async function revokeToken(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('token revoke takes one ID');
  await withDatabase(async (db) => {
    const t = await revokeApiToken(db, positionals[0]!);
    console.log(`token ${t.id} "${t.name}" revoked`);
  });
}

async function judgePromises(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'as-of': { type: 'string' } } });
  const asOf = asOfOrToday(values['as-of']);
  await withDatabase(async (db) => {
    const bar = new ProgressBar('judge');
    const r = await judgeAll(db, { asOf, onProgress: (p) => bar.update(p.done, `judge ${p.phase}`, p.total) });
    bar.finish(`judged ${r.promises} promises and ${r.installments} installments as of ${asOf}`);
    const line = (o: Record<string, number>) =>
      Object.entries(o)
        .sort()
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none';
    console.log(`promises: ${line(r.promiseStatuses)}`);
    console.log(`installments: ${line(r.installmentStatuses)}`);
  });
}

/** Proposes, renders and records the notices (a dry run shows a few and writes nothing), then sends the e-mails when SMTP is set up. */
async function dunningRun(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { 'as-of': { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, 'skip-revaluation': { type: 'boolean', default: false } },
  });
  const asOf = asOfOrToday(values['as-of']);
  const dryRun = values['dry-run'];
  const revaluate = !values['skip-revaluation'];
  await withDatabase(async (db) => {
    const bar = new ProgressBar('dunning');
    const result = await runDunning(db, { asOf, dryRun, revaluate, createdBy: 'cli', onProgress: (p) => bar.update(p.done, p.phase, p.total) });
    bar.finish(
      `${dryRun ? 'dry run: would write' : `dunning run ${result.runId}:`} ${result.notices} notices for ${result.partners} partners, ${result.items} items as of ${asOf}`,
    );
    for (const l of result.byLevel) console.log(`  level ${l.level}: ${String(l.notices).padStart(9)} notices, ${String(l.items).padStart(9)} items`);
    if (dryRun) return printNoticeSamples(result);
    if (revaluate) console.log(`  ${result.revaluated} live worklist items re-valuated`);
    else console.log('  worklists not re-valuated: the next worklist run picks the new levels up');
    await sendEmails(db, result.runId);
  });
}

async function sendEmails(db: Database, runId: DunningRunResult['runId']): Promise<void> {
  const transport = smtpTransport();
  if (!transport) {
    console.log('  RECOUP_SMTP_URL not set: e-mail notices stay in the outbox');
    return;
  }
  const sent = await deliverEmails(db, transport, runId);
  console.log(`  e-mails: ${sent.sent} sent, ${sent.failed} failed`);
}

/** Lists the first differences (a broken maintenance differs everywhere), then how many in all. */
const SHOWN_DIFFERENCES = 200;

async function verifyFactsCommand(args: string[]): Promise<void> {
  parseArgs({ args, options: {} });
  await withDatabase(async (db) => {
    const result = await verifyFacts(db, { limit: SHOWN_DIFFERENCES });
    if (result.differenceCount === 0) {
      console.log(`facts exact: ${plural(result.partners, 'partner')}`);
      return;
    }
    for (const d of result.differences) console.log(`partner ${d.partnerId}  ${d.column}: stored ${d.stored ?? 'none'}, recomputed ${d.recomputed ?? 'none'}`);
    const more = result.differenceCount - result.differences.length;
    console.error(
      `${plural(result.differenceCount, 'difference')}${more > 0 ? ` (${more} not shown)` : ''} over ${plural(result.partners, 'partner')}: run facts rebuild`,
    );
    process.exitCode = 1;
  });
}

async function rebuildFactsCommand(args: string[]): Promise<void> {
  parseArgs({ args, options: {} });
  await withDatabase(async (db) => {
    const result = await rebuildFacts(db);
    console.log(`rebuilt the facts of ${plural(result.partners, 'partner')} in ${(result.milliseconds / 1000).toFixed(2)} s`);
  });
}

async function cycleRun(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'as-of': { type: 'string' } } });
  const asOf = asOfOrToday(values['as-of']);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) throw new UsageError(`--as-of must be a date YYYY-MM-DD, got ${asOf}`);
  await withDatabase(async (db) => {
    const started = performance.now();
    const steps = await runCycle(db, asOf, { dropDir: process.env.RECOUP_DROP_DIR, onProgress: (line) => console.log(`cycle ${asOf}: ${line}`) });
    const unfinished = steps.filter((s) => s.state !== 'DONE');
    console.log(`cycle ${asOf}: ${steps.length - unfinished.length} of ${steps.length} steps done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (unfinished.length) process.exitCode = 1;
  });
}

async function worker(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'no-scheduler': { type: 'boolean', default: false } } });
  await withDatabase(async (db) => {
    let scheduler: CycleScheduler | undefined;
    const engine = await JobEngine.start(db, { work: true, dropDir: process.env.RECOUP_DROP_DIR, onStepFinished: () => void scheduler?.tick() });
    if (!values['no-scheduler']) {
      scheduler = new CycleScheduler(db, engine);
      scheduler.start();
    }
    console.log(`worker ${process.pid} taking jobs (${db.kind} database)${scheduler ? ', with the cycle scheduler' : ''}; stop with Ctrl-C`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    console.log('worker stopping…');
    await scheduler?.stop();
    await engine.stop();
  });
}

async function analyticsSnapshotCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' }, full: { type: 'boolean' } } });
  await withDatabase(async (db) => {
    const r = await refreshAnalyticsSnapshots(db, { from: values.from, to: values.to, full: values.full });
    console.log(
      `analytics snapshots ${r.mode.toLowerCase()} ${r.from}..${r.to}: ${plural(r.days, 'day')} built (positions of ${r.positionDays}), ${plural(r.movedPartners, 'partner')} moved, ${describeCredits(r.credits)}, in ${(r.ms / 1000).toFixed(2)} s`,
    );
  });
}

async function migrate(): Promise<void> {
  await withDatabase(async (db) => {
    console.log(`migrations applied (${db.kind} database)`);
  });
}

async function help(): Promise<void> {
  console.log(USAGE);
}

// --- shared ------------------------------------------------------------------------------------

/** pnpm runs scripts from the workspace root; paths the user typed are relative to where they typed them. */
function userPath(p: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
}

function asOfOrToday(asOf: string | undefined): string {
  return asOf ?? new Date().toISOString().slice(0, 10);
}

async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL || undefined;
  const db = await openDatabase({ url, dataDir: url ? undefined : defaultDataDir(), poolSize: 4 });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The longest file name of the contract (specialist_absences.csv). */
const FILE_WIDTH = 23;

function printImportResult(result: ImportResult): void {
  for (const t of result.tables) {
    console.log(`${t.file.padEnd(FILE_WIDTH)} ${String(t.rows).padStart(10)} rows: ${t.inserted} new, ${t.updated} changed, ${t.unchanged} unchanged`);
  }
  const rows = result.tables.reduce((n, t) => n + t.rows, 0);
  console.log(`${rows} rows in ${(result.milliseconds / 1000).toFixed(2)} s (${Math.round(rows / (result.milliseconds / 1000))} rows/s)`);
  console.log(`maintained facts recomputed in ${(result.factsMilliseconds / 1000).toFixed(2)} s (included)`);
}

function printRunResult(r: WorklistRunResult): void {
  console.log(`${r.segment}: run ${r.runId} (${r.mode.toLowerCase()})`);
  console.log(
    `  ${r.partnersEvaluated} partners evaluated, ${r.partnersOnList} on the list, ${r.partnersExcluded} excluded; ${r.stats.amountToBeCollected} to be collected`,
  );
  for (const b of r.stats.byPriority) console.log(`  priority ${b.priority}: ${String(b.count).padStart(9)} partners, ${b.amountToBeCollected}`);
  const unassigned = r.stats.bySpecialist.find((s) => s.specialistId === null);
  console.log(`  ${r.stats.bySpecialist.filter((s) => s.specialistId !== null).length} specialists${unassigned ? `, ${unassigned.count} unassigned` : ''}`);
  console.log(
    `  ${Object.entries(r.stats.timings)
      .map(([k, v]) => `${k} ${v} ms`)
      .join(', ')}`,
  );
}

function printNoticeSamples(result: DunningRunResult): void {
  for (const n of result.sample.slice(0, 3)) {
    console.log(
      `--- partner ${n.partnerId}, level ${n.level}, ${n.channel}${n.recipient ? ` to ${n.recipient}` : ''}\n${n.subject ? `${n.subject}\n` : ''}${n.body}`,
    );
  }
}

/** The message of a failure, and its exit code: 2 for wrong usage (with the usage), else 1. */
function report(error: unknown): number {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  if (error instanceof DomainError) console.error(error.message);
  else if (error instanceof ImportError) console.error(`import failed, nothing was written: ${error.message}`);
  else console.error(error instanceof Error ? error.message : error);
  return 1;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.exitCode = report(error);
});
