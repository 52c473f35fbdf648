import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../packages/server/src/db/database';

describe('embedded database on disk', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  // Opens PGlite on disk three times and starts a second process: slow on a loaded machine.
  it('keeps its data across restarts and refuses a second process on the same files', { timeout: 180_000 }, async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'recoup-pglite-'));
    dirs.push(dataDir);
    const first = await openDatabase({ dataDir, poolSize: 2 });
    expect(first.kind).toBe('embedded');
    await first.dataSource.query(`INSERT INTO company_codes (code, name) VALUES ('1000', 'Recoup DE')`);
    // Another live process holding the files (this test's parent stands in for it).
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dataDir, 'recoup.pid'), String(process.ppid));
    await expect(openDatabase({ dataDir, poolSize: 2 })).rejects.toThrow(/in use by process/);
    await first.close();

    const again = await openDatabase({ dataDir, poolSize: 2 });
    try {
      expect(await again.dataSource.query(`SELECT code, name FROM company_codes`)).toEqual([{ code: '1000', name: 'Recoup DE' }]);
    } finally {
      await again.close();
    }
  });
});
