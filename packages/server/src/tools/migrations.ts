/**
 * `check`: migrate a database, then ask TypeORM what it would still change; anything = drift (exit 1).
 * `generate NAME`: write that difference as a new migration in /migrations and register it.
 * Uses DATABASE_URL when set, else a throwaway in-memory embedded database.
 */
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../db/database';
import { pendingSchemaChanges } from '../db/schema-drift';

const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../migrations');

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (command !== 'check' && command !== 'generate') throw new Error('usage: migrations check | generate NAME');
  const db = await openDatabase({ url: process.env.DATABASE_URL || undefined, poolSize: 2 });
  try {
    const changes = await pendingSchemaChanges(db.dataSource);
    if (command === 'check') {
      if (changes.up.length > 0) {
        console.error(`Migrations drift from the entities (${db.kind} database); run \`pnpm migration:generate NAME\`. Pending:`);
        for (const q of changes.up) console.error(`  ${q};`);
        process.exitCode = 1;
      } else {
        console.log(`migrations match the entities (${db.kind} database)`);
      }
      return;
    }
    if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error('generate needs a PascalCase NAME');
    if (changes.up.length === 0) {
      console.log('no changes: nothing generated');
      return;
    }
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    const fileName = `${timestamp}-${name}.ts`;
    const lines = (queries: string[]): string => queries.map((q) => `    await queryRunner.query(${JSON.stringify(q)});`).join('\n');
    await writeFile(
      path.join(migrationsDir, fileName),
      `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${lines(changes.up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${lines(changes.down)}
  }
}
`,
    );
    await writeIndex();
    console.log(`wrote migrations/${fileName}`);
  } finally {
    await db.close();
  }
}

async function writeIndex(): Promise<void> {
  const files = (await readdir(migrationsDir)).filter((f) => /^\d+-\w+\.ts$/.test(f)).sort();
  const entries = files.map((f) => {
    const [timestamp, name] = f.replace(/\.ts$/, '').split('-');
    return { module: `./${f.replace(/\.ts$/, '')}`, className: `${name}${timestamp}` };
  });
  await writeFile(
    path.join(migrationsDir, 'index.ts'),
    `// Every migration, in order. \`pnpm migration:generate NAME\` writes a new file and appends it here.
import type { MigrationInterface } from 'typeorm';
${entries.map((e) => `import { ${e.className} } from '${e.module}';`).join('\n')}

export const MIGRATIONS: Array<new () => MigrationInterface> = [${entries.map((e) => e.className).join(', ')}];
`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
