import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../db/database';
import { CSV_FILES, CSV_TABLES, importAr, type ImportOptions, type ImportResult, type ImportSources } from '../import';
import { demoArTable, type DemoArOptions } from './demo-ar';
import { seedDemoOrganisation } from './demo-org';

export function demoArSources(options: DemoArOptions): ImportSources {
  return Object.fromEntries(CSV_TABLES.map((table) => [table, () => demoArTable(table, options)]));
}

/** The synthetic AR goes through the importer, the same path as a customer's files. */
export async function seedDemoAr(db: Database, options: DemoArOptions, importOptions: ImportOptions = {}): Promise<ImportResult> {
  const result = await importAr(db, demoArSources(options), { rebuildFacts: true, ...importOptions });
  await seedDemoOrganisation(db);
  return result;
}

export async function writeDemoArCsv(dir: string, options: DemoArOptions, onProgress?: (file: string, bytes: number) => void): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const table of CSV_TABLES) {
    const file = CSV_FILES[table].file;
    const out = createWriteStream(path.join(dir, file), { highWaterMark: 1 << 20 });
    let bytes = 0;
    for (const chunk of demoArTable(table, options)) {
      bytes += chunk.length;
      if (!out.write(chunk)) await once(out, 'drain');
      onProgress?.(file, bytes);
    }
    out.end();
    await once(out, 'finish');
  }
}
