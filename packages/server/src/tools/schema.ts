/** `emit` writes schema.graphql from the code; `check` fails when the committed file differs. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { recoupSchema } from '../schema';

const schemaFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../schema.graphql');

export async function printRecoupSchema(): Promise<string> {
  const header = '# Emitted from the code by `pnpm schema:emit`; do not edit. CI fails when it drifts.\n\n';
  return `${header}${printSchema(lexicographicSortSchema(await recoupSchema()))}\n`;
}

async function main(): Promise<void> {
  const command = process.argv[2];
  const printed = await printRecoupSchema();
  if (command === 'emit') {
    await writeFile(schemaFile, printed);
    console.log(`wrote ${path.relative(process.cwd(), schemaFile)}`);
  } else if (command === 'check') {
    const committed = await readFile(schemaFile, 'utf8').catch(() => '');
    if (committed !== printed) {
      console.error('schema.graphql drifts from the code: run `pnpm schema:emit` and commit it.');
      process.exitCode = 1;
    } else {
      console.log('schema.graphql matches the code');
    }
  } else {
    throw new Error('usage: schema emit | check');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
