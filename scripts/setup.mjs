#!/usr/bin/env node
// Makes a fresh clone runnable with nothing but Node: installs the workspace with the pinned
// pnpm when the install is missing or stale, and (with --studio) builds the studio when its
// sources are newer than its build. Runs before `start` and `test`, so each is one command.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const env = { ...process.env, COREPACK_INTEGRITY_KEYS: '0' };

function pnpmCommand() {
  try {
    const version = execFileSync('pnpm', ['--version'], { env, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    if (version.split('.')[0] === pinned.split('.')[0]) return ['pnpm', []];
  } catch {
    // no usable pnpm on PATH: fall through to npx
  }
  return ['npx', ['--yes', `pnpm@${pinned}`]];
}

function installIsCurrent() {
  // pnpm writes its copy of the lockfile on every install; an older one means the lockfile changed since.
  const installed = path.join(root, 'node_modules', '.pnpm', 'lock.yaml');
  return existsSync(installed) && statSync(installed).mtimeMs >= statSync(path.join(root, 'pnpm-lock.yaml')).mtimeMs;
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

if (!installIsCurrent()) {
  const [cmd, prefix] = pnpmCommand();
  console.log(`Installing dependencies with pnpm ${pinned}…`);
  execFileSync(cmd, [...prefix, 'install', '--frozen-lockfile'], { cwd: root, env, stdio: 'inherit' });
}

if (process.argv.includes('--studio')) {
  const studio = path.join(root, 'studio');
  const built = path.join(studio, 'dist', 'index.html');
  const sources = Math.max(newestMtime(path.join(studio, 'src')), statSync(path.join(studio, 'index.html')).mtimeMs);
  if (process.argv.includes('--force') || !existsSync(built) || statSync(built).mtimeMs < sources) {
    console.log('Building the studio…');
    execFileSync(process.execPath, [path.join(studio, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: studio, env, stdio: 'inherit' });
  }
}
