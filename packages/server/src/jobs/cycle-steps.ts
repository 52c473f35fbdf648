import { mkdir, readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { describeCredits, refreshAnalyticsSnapshots } from '../analytics';
import type { Database } from '../db/database';
import { deliverEmails, runDunning, smtpTransport } from '../dunning';
import { directorySources, importAr } from '../import';
import { judgeAll } from '../promises';
import { runWorklists, type RunSplitting } from '../worklists';
import type { CycleStepName, StepHandler } from './job-types';

export interface CycleStepOptions {
  /** Where the AR delta's CSV files are dropped (RECOUP_DROP_DIR); none = the import step has nothing to do. */
  dropDir?: string;
  /** Large segments' runs split into parts that the engine's workers share; none: every run in this process. */
  splitting?: RunSplitting;
  /** The worklists of every segment as one job each (the engine's; worklist-segment-jobs). None: every segment in this process. */
  worklistSegments?: (cycleDate: string) => Promise<Array<{ segment: string; partnersOnList: number }>>;
}

/** The work of every step, calling each feature through its public entry. */
export function cycleStepHandlers(db: Database, options: CycleStepOptions = {}): Record<CycleStepName, StepHandler> {
  return {
    IMPORT: (cycleDate) => importDropDirectory(db, options.dropDir, cycleDate),
    JUDGE: async (cycleDate) => {
      const r = await judgeAll(db, { asOf: cycleDate });
      return `judged ${r.promises} promises and ${r.installments} installments`;
    },
    DUNNING: async (cycleDate) => {
      const r = await runDunning(db, { asOf: cycleDate, createdBy: 'cycle' });
      return `dunning run ${r.runId}: ${r.notices} notices for ${r.partners} partners`;
    },
    WORKLISTS: async (cycleDate) => {
      const runs = options.worklistSegments
        ? await options.worklistSegments(cycleDate)
        : await runWorklists(db, { asOf: cycleDate, mode: 'LIVE', splitting: options.splitting });
      return `generated ${runs.length} live worklists (${runs.map((r) => `${r.segment} ${r.partnersOnList}`).join(', ')})`;
    },
    // The day's analytics snapshots, once the night's AR changes and live lists are in.
    ANALYTICS: async (cycleDate) => {
      const r = await refreshAnalyticsSnapshots(db, { to: cycleDate });
      return `analytics snapshots ${r.mode.toLowerCase()} up to ${r.to}: ${r.days} days built (positions of ${r.positionDays}), ${r.movedPartners} partners moved, ${describeCredits(r.credits)}`;
    },
    CORRESPONDENCE: async () => {
      const transport = smtpTransport();
      if (!transport) return 'RECOUP_SMTP_URL not set: e-mail notices stay in the outbox';
      const sent = await deliverEmails(db, transport);
      if (sent.failed > 0) throw new Error(`${sent.failed} e-mails failed (${sent.sent} sent)`);
      return `${sent.sent} e-mails sent`;
    },
  };
}

/**
 * Imports the CSV files of the drop directory (one transaction), then moves them to
 * imported/<cycle date>-<time>/ so that a retry or the next night never loads them again.
 */
async function importDropDirectory(db: Database, dropDir: string | undefined, cycleDate: string): Promise<string> {
  if (!dropDir) return 'no drop directory (RECOUP_DROP_DIR): nothing to import';
  const files = (await readdir(dropDir, { withFileTypes: true })).filter((f) => f.isFile() && f.name.endsWith('.csv')).map((f) => f.name);
  if (files.length === 0) return `no CSV files in ${dropDir}: nothing to import`;
  const result = await importAr(db, directorySources(dropDir), { actor: { name: 'cycle', role: 'ADMIN' } });
  const done = path.join(dropDir, 'imported', `${cycleDate}-${Date.now()}`);
  await mkdir(done, { recursive: true });
  for (const f of files) await rename(path.join(dropDir, f), path.join(done, f));
  return `imported ${result.tables.reduce((n, t) => n + t.rows, 0)} rows from ${files.length} files`;
}
