/**
 * The Recoup CLI: `pnpm recoup <command>`.
 *   import DIR                       load the AR mirror CSV files in DIR (one transaction)
 *   seed --partners N [--seed S] [--as-of D] [--csv DIR]
 *                                    generate a synthetic AR into the database, or as CSV files into DIR
 *   worklist generate --segment S [--as-of D] [--preview]
 *                                    run the segment's active strategy into its worklist
 *   dunning run [--as-of D] [--dry-run] [--skip-revaluation]
 *                                    propose, render and record dunning notices; raise item levels
 *   migrate                          apply pending migrations
 *   promises judge [--as-of D]       judge every promise and installment at D and store the status
 *   token create --name N --role R [--specialist ID] | token list | token revoke ID
 *                                    API tokens (the secret is printed once, only its hash is stored)
 * The database is DATABASE_URL, else the embedded one under .data/.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type Database } from './db/database';
import { defaultDataDir } from './db/paths';
import { createApiToken, listApiTokens, revokeApiToken } from './auth';
import { ROLES } from './graphql/roles';
import { ImportError } from './import';
import { directorySources, importAr, type ImportResult } from './import';
import { ProgressBar } from './cli/progress';
import { seedDemoAr, writeDemoArCsv } from './seed';
import { DomainError } from './graphql/errors';
import { runWorklists, type WorklistRunResult } from './worklists';
import { deliverEmails, runDunning, smtpTransport } from './dunning';
import { judgeAll } from './promises';

const USAGE = `usage: pnpm recoup <command>
  import DIR                                  load the CSV files of DIR into the AR mirror
  seed --partners N [--seed S] [--as-of YYYY-MM-DD] [--csv DIR]
                                              synthetic AR into the database, or as CSV files into DIR
  worklist generate [--segment S] [--as-of YYYY-MM-DD] [--preview]
                                              score the segment (default: every segment) with its active
                                              strategy and switch its live worklist (--preview: keep it)
  migrate                                     apply pending migrations
  promises judge [--as-of YYYY-MM-DD]         judge every promise and payment-plan installment at the date
                                              (default today) and store each status and its date
  token create --name N --role R [--specialist ID]
                                              a bearer API token (printed once); roles ${ROLES.join(', ')}
  token list                                  the tokens (never their secrets)
  token revoke ID                             refuse a token from now on
Database: DATABASE_URL, else the embedded database in .data/ (RECOUP_DATA_DIR).`;

/** pnpm runs scripts from the workspace root; paths the user typed are relative to where they typed them. */
function userPath(p: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
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

function printImportResult(result: ImportResult): void {
  for (const t of result.tables) {
    console.log(`${t.file.padEnd(16)} ${String(t.rows).padStart(10)} rows: ${t.inserted} new, ${t.updated} changed, ${t.unchanged} unchanged`);
  }
  const rows = result.tables.reduce((n, t) => n + t.rows, 0);
  console.log(`${rows} rows in ${(result.milliseconds / 1000).toFixed(2)} s (${Math.round(rows / (result.milliseconds / 1000))} rows/s)`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'import': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true });
      if (positionals.length !== 1) throw new UsageError('import takes one DIR');
      const dir = userPath(positionals[0]!);
      const sources = directorySources(dir);
      await withDatabase(async (db) => {
        const bar = new ProgressBar('import');
        const result = await importAr(db, sources, { onProgress: (p) => bar.update(p.rows, `${p.phase} ${p.table}`) });
        bar.finish(`imported ${dir}`);
        printImportResult(result);
      });
      return;
    }
    case 'seed': {
      const { values } = parseArgs({
        args: rest,
        options: { partners: { type: 'string' }, seed: { type: 'string' }, 'as-of': { type: 'string' }, csv: { type: 'string' } },
      });
      const partners = Number(values.partners);
      if (!Number.isInteger(partners) || partners < 1) throw new UsageError('seed needs --partners N (a positive whole number)');
      const options = { partners, seed: values.seed ? Number(values.seed) : 1, asOf: values['as-of'] ?? new Date().toISOString().slice(0, 10) };
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
      return;
    }
    case 'worklist': {
      const [sub, ...args] = rest;
      if (sub !== 'generate') throw new UsageError('worklist takes the subcommand generate');
      const { values } = parseArgs({
        args, options: { segment: { type: 'string' }, 'as-of': { type: 'string' }, preview: { type: 'boolean', default: false } },
      });
      const asOf = values['as-of'] ?? new Date().toISOString().slice(0, 10);
      await withDatabase(async (db) => {
        const bar = new ProgressBar('worklist');
        const results = await runWorklists(db, {
          segments: values.segment ? [values.segment] : undefined, asOf, mode: values.preview ? 'PREVIEW' : 'LIVE',
          onProgress: (p) => bar.update(p.step, p.phase, p.steps),
        });
        bar.finish(`${values.preview ? 'previewed' : 'generated'} ${results.length} worklist${results.length === 1 ? '' : 's'} as of ${asOf}`);
        for (const result of results) printRunResult(result);
      });
      return;
    }
    case 'token': {
      const [sub, ...args] = rest;
      if (sub === 'create') {
        const { values } = parseArgs({ args, options: { name: { type: 'string' }, role: { type: 'string' }, specialist: { type: 'string' } } });
        if (!values.name || !values.role) throw new UsageError('token create needs --name N --role R');
        await withDatabase(async (db) => {
          const { token, record } = await createApiToken(db, { name: values.name!, role: values.role!.toUpperCase(), specialistId: values.specialist ?? null });
          console.error(`token ${record.id} "${record.name}" (${record.role}${record.specialistId ? `, specialist ${record.specialistId}` : ''}) created; it is shown only now:`);
          // The secret alone on stdout, so scripts can capture it: TOKEN=$(pnpm -s recoup token create ...).
          console.log(token);
        });
        return;
      }
      if (sub === 'list') {
        await withDatabase(async (db) => {
          for (const t of await listApiTokens(db)) {
            const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : `last used ${t.lastUsedAt?.toISOString() ?? 'never'}`;
            console.log(`${t.id.padStart(5)}  ${t.role.padEnd(12)} ${t.name}${t.specialistId ? ` (specialist ${t.specialistId})` : ''}  created ${t.createdAt.toISOString()}, ${state}`);
          }
        });
        return;
      }
      if (sub === 'revoke') {
        const { positionals } = parseArgs({ args, allowPositionals: true });
        if (positionals.length !== 1) throw new UsageError('token revoke takes one ID');
        await withDatabase(async (db) => {
          const t = await revokeApiToken(db, positionals[0]!);
          console.log(`token ${t.id} "${t.name}" revoked`);
        });
        return;
      }
      throw new UsageError('token takes the subcommand create, list or revoke');
    }
    case 'promises': {
      const [sub, ...args] = rest;
      if (sub !== 'judge') throw new UsageError('promises takes the subcommand judge');
      const { values } = parseArgs({ args, options: { 'as-of': { type: 'string' } } });
      const asOf = values['as-of'] ?? new Date().toISOString().slice(0, 10);
      await withDatabase(async (db) => {
        const bar = new ProgressBar('judge');
        const r = await judgeAll(db, { asOf, onProgress: (p) => bar.update(p.done, `judge ${p.phase}`, p.total) });
        bar.finish(`judged ${r.promises} promises and ${r.installments} installments as of ${asOf}`);
        const line = (o: Record<string, number>) => Object.entries(o).sort().map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
        console.log(`promises: ${line(r.promiseStatuses)}`);
        console.log(`installments: ${line(r.installmentStatuses)}`);
      });
      return;
    }
    case 'dunning': {
      const [sub, ...args] = rest;
      if (sub !== 'run') throw new UsageError('dunning takes the subcommand run');
      const { values } = parseArgs({
        args, options: { 'as-of': { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, 'skip-revaluation': { type: 'boolean', default: false } },
      });
      const asOf = values['as-of'] ?? new Date().toISOString().slice(0, 10);
      const dryRun = values['dry-run']!;
      await withDatabase(async (db) => {
        const bar = new ProgressBar('dunning');
        const result = await runDunning(db, {
          asOf, dryRun, revaluate: !values['skip-revaluation'], createdBy: 'cli', onProgress: (p) => bar.update(p.done, p.phase, p.total),
        });
        bar.finish(`${dryRun ? 'dry run: would write' : `dunning run ${result.runId}:`} ${result.notices} notices for ${result.partners} partners, ${result.items} items as of ${asOf}`);
        for (const l of result.byLevel) console.log(`  level ${l.level}: ${String(l.notices).padStart(9)} notices, ${String(l.items).padStart(9)} items`);
        if (dryRun) {
          for (const n of result.sample.slice(0, 3)) console.log(`--- partner ${n.partnerId}, level ${n.level}, ${n.channel}${n.recipient ? ` to ${n.recipient}` : ''}\n${n.subject ? `${n.subject}\n` : ''}${n.body}`);
          return;
        }
        if (values['skip-revaluation']) console.log('  worklists not re-valuated: the next worklist run picks the new levels up');
        else console.log(`  ${result.revaluated} live worklist items re-valuated`);
        const transport = smtpTransport();
        if (!transport) {
          console.log('  RECOUP_SMTP_URL not set: e-mail notices stay in the outbox');
          return;
        }
        const sent = await deliverEmails(db, transport, result.runId);
        console.log(`  e-mails: ${sent.sent} sent, ${sent.failed} failed`);
      });
      return;
    }
    case 'migrate':
      await withDatabase(async (db) => {
        console.log(`migrations applied (${db.kind} database)`);
      });
      return;
    default:
      throw new UsageError(command ? `unknown command ${command}` : 'no command');
  }
}

function printRunResult(r: WorklistRunResult): void {
  console.log(`${r.segment}: run ${r.runId} (${r.mode.toLowerCase()})`);
  console.log(`  ${r.partnersEvaluated} partners evaluated, ${r.partnersOnList} on the list, ${r.partnersExcluded} excluded; ${r.stats.amountToBeCollected} to be collected`);
  for (const b of r.stats.byPriority) console.log(`  priority ${b.priority}: ${String(b.count).padStart(9)} partners, ${b.amountToBeCollected}`);
  const unassigned = r.stats.bySpecialist.find((s) => s.specialistId === null);
  console.log(`  ${r.stats.bySpecialist.filter((s) => s.specialistId !== null).length} specialists${unassigned ? `, ${unassigned.count} unassigned` : ''}`);
  console.log(`  ${Object.entries(r.stats.timings).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${USAGE}`);
    process.exitCode = 2;
  } else if (error instanceof DomainError) {
    console.error(error.message);
    process.exitCode = 1;
  } else if (error instanceof ImportError) {
    console.error(`import failed, nothing was written: ${error.message}`);
    process.exitCode = 1;
  } else {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
});
