/**
 * The import graph of a source tree, read from the text of its modules (static and dynamic
 * imports and re-exports, type-only ones included: a layer that names another's types depends
 * on it too), with the cycles and the layering rules the architecture test checks.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const IMPORT = /(?:^|[;\s])(?:import|export)\s+(type\s+)?([^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const EXTENSIONS = ['.ts', '.tsx', '/index.ts', '/index.tsx'];

export interface ImportGraph {
  root: string;
  /** Module (path relative to root) → the modules of the tree it imports, type-only imports included. */
  edges: Map<string, string[]>;
  /** The same without type-only imports: what runs when a module loads (cycles here mean load-order hazards). */
  runtimeEdges: Map<string, string[]>;
}

/** `import type { A }`, `import { type A, type B }` and the `export` forms name types only, which are erased. */
function typeOnly(typeKeyword: string | undefined, clause: string | undefined): boolean {
  if (typeKeyword) return true;
  const names = /\{([^}]*)\}/.exec(clause ?? '')?.[1];
  if (!names || /^\s*(\*|\w+\s*,|\w+\s+from)/.test(clause ?? '')) return false;
  const list = names
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  return list.length > 0 && list.every((n) => n.startsWith('type '));
}

function sourceFiles(dir: string, skip: (rel: string) => boolean, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    const rel = path.relative(root, full);
    if (skip(rel)) return [];
    if (statSync(full).isDirectory()) return sourceFiles(full, skip, root);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [rel] : [];
  });
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

function resolveImport(root: string, from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.join(path.dirname(path.join(root, from)), specifier);
  for (const candidate of [base, ...EXTENSIONS.map((ext) => base + ext)]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return path.relative(root, candidate);
  }
  return null;
}

export function importGraph(root: string, skip: (rel: string) => boolean = () => false): ImportGraph {
  const edges = new Map<string, string[]>();
  const runtimeEdges = new Map<string, string[]>();
  for (const file of sourceFiles(root, skip)) {
    const text = stripComments(readFileSync(path.join(root, file), 'utf8'));
    const targets = new Set<string>();
    const runtime = new Set<string>();
    for (const match of text.matchAll(IMPORT)) {
      const target = resolveImport(root, file, match[3] ?? match[4]!);
      if (!target) continue;
      targets.add(target);
      if (!typeOnly(match[1], match[2])) runtime.add(target);
    }
    edges.set(file, [...targets]);
    runtimeEdges.set(file, [...runtime]);
  }
  return { root, edges, runtimeEdges };
}

/** Strongly connected components with more than one node (or a self-loop): each one is an import cycle. */
export function cyclesOf(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    indexOf.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!indexOf.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indexOf.get(next)!));
    }
    if (low.get(node) === indexOf.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (edges.get(node) ?? []).includes(node)) cycles.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!indexOf.has(node)) visit(node);
  return cycles;
}

/** The graph between groups of modules (e.g. feature folders), self-edges left out. */
export function groupGraph(graph: ImportGraph, groupOf: (file: string) => string): Map<string, string[]> {
  const groups = new Map<string, Set<string>>();
  for (const [file, targets] of graph.edges) {
    const from = groupOf(file);
    const set = groups.get(from) ?? new Set<string>();
    for (const target of targets) if (groupOf(target) !== from) set.add(groupOf(target));
    groups.set(from, set);
  }
  return new Map([...groups].map(([group, targets]) => [group, [...targets].sort()]));
}
