/**
 * Figures on the shape of the code that issue 15 tracks, for a tree given as the first argument
 * (default: this checkout): raw `.query(` calls in resolvers, hand-written id regexes,
 * permission styles, the longest functions, and files per server feature folder.
 *   pnpm stats [DIR]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(process.argv[2] ?? '.');

function filesUnder(dir: string, pattern: RegExp): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name === 'gql' || name === 'dist') return [];
    if (statSync(full).isDirectory()) return filesUnder(full, pattern);
    return pattern.test(name) ? [full] : [];
  });
}

const serverSrc = path.join(root, 'packages/server/src');
const sources = [
  ...filesUnder(serverSrc, /\.ts$/),
  ...filesUnder(path.join(root, 'packages/rules/src'), /\.ts$/),
  ...filesUnder(path.join(root, 'studio/src'), /\.tsx?$/),
].filter((file) => !/\.spec\.ts$/.test(file));
const text = (file: string) => readFileSync(file, 'utf8');
const count = (files: string[], pattern: RegExp) => files.reduce((n, file) => n + (text(file).match(pattern)?.length ?? 0), 0);

function longestFunctions(files: string[], top: number): Array<{ name: string; lines: number }> {
  const found: Array<{ name: string; lines: number }> = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, text(file), ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
        const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        const named = (node as ts.FunctionDeclaration).name?.getText() ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText() : '(anonymous)');
        found.push({ name: `${path.relative(root, file)}:${start + 1} ${named}`, lines: end - start + 1 });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found.sort((a, b) => b.lines - a.lines).slice(0, top);
}

const resolvers = sources.filter((file) => file.endsWith('.resolver.ts'));
const serverFiles = sources.filter((file) => file.startsWith(serverSrc));
const features = readdirSync(serverSrc).filter((name) => statSync(path.join(serverSrc, name)).isDirectory());

console.log(`tree: ${root}`);
console.log(`raw .query( calls in resolvers: ${count(resolvers, /\.query\(/g)} (db.read( ${count(resolvers, /\.read\(/g)})`);
console.log(`id regexes (/^\\d+$/ and kin) in the server: ${count(serverFiles, /\/\^\\d(\+|\{1,1[89]\})\$\//g)}`);
console.log(
  `permission styles: @Authorized ${count(serverFiles, /@Authorized\(/g)}, requireRole( ${count(serverFiles, /requireRole\(/g)}, access table ${count(serverFiles, /OPERATION_ACCESS:/g)}`,
);
console.log('longest functions (lines):');
for (const f of longestFunctions(sources, 8)) console.log(`  ${String(f.lines).padStart(4)}  ${f.name}`);
console.log('files per server feature folder:');
for (const feature of features.sort()) console.log(`  ${feature.padEnd(16)} ${filesUnder(path.join(serverSrc, feature), /\.ts$/).length}`);
