#!/usr/bin/env node
// Fails when the checked-in studio/src/gql is not what `pnpm codegen` makes of schema.graphql and
// the studio's operations today: codegen writes into a temporary folder and every file is compared
// with the committed one. No git state is assumed, so it works on a fresh clone and in CI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const studio = path.join(root, 'studio');
const committed = path.join(studio, 'src', 'gql');

const generated = mkdtempSync(path.join(os.tmpdir(), 'recoup-codegen-'));
try {
  generate(generated);
  const problems = compare(committed, generated);
  if (problems.length > 0) {
    console.error(`studio/src/gql is out of date with schema.graphql or the studio's operations:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    console.error('Run `pnpm codegen` and commit studio/src/gql.');
    process.exit(1);
  }
  console.log('studio/src/gql is up to date.');
} finally {
  rmSync(generated, { recursive: true, force: true });
}

/** Runs the studio's codegen (studio/codegen.ts) with its output redirected to `dir`; its log only when it fails. */
function generate(dir) {
  const result = spawnSync(process.execPath, [codegenBin(), '--config', 'codegen.ts'], {
    cwd: studio,
    env: { ...process.env, RECOUP_CODEGEN_OUT: `${dir}${path.sep}` },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    console.error('GraphQL codegen failed (above): an operation the schema does not allow, or a broken codegen.ts.');
    process.exit(result.status ?? 1);
  }
}

/** The CLI's script, as its package names it (no shell, so the same on every platform). */
function codegenBin() {
  const require = createRequire(path.join(studio, 'package.json'));
  const manifestPath = require.resolve('@graphql-codegen/cli/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  return path.join(path.dirname(manifestPath), manifest.bin['graphql-codegen']);
}

/** Every file missing, extra or different between the two folders. */
function compare(expectedDir, actualDir) {
  const expected = existsSync(expectedDir) ? files(expectedDir) : [];
  const actual = files(actualDir);
  const problems = [];
  for (const file of actual) {
    if (!expected.includes(file)) problems.push(`${file}: missing from studio/src/gql`);
    else if (readFileSync(path.join(expectedDir, file), 'utf8') !== readFileSync(path.join(actualDir, file), 'utf8')) problems.push(`${file}: differs`);
  }
  for (const file of expected) if (!actual.includes(file)) problems.push(`${file}: not generated any more`);
  return problems;
}

/** Files under `dir`, as paths relative to it with forward slashes, sorted. */
function files(dir, prefix = '') {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? files(dir, relative) : [relative];
    })
    .sort();
}
