import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cyclesOf, groupGraph, importGraph } from './support/import-graph';

/**
 * The layering ARCHITECTURE.md describes, checked on the import graph: no runtime import cycle
 * in any package (type-only imports are erased, so they cannot make one); on the server, features import the kernel and other features' public `index.ts`
 * only, the kernel imports no feature, and the features' own graph has no cycle.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const serverRoot = path.join(repo, 'packages/server/src');

/** Shared by every feature and owned by none. */
const KERNEL = new Set(['graphql', 'db', 'fx']);
/** Wire the features together (entry points, CLI, build tools): they may import any feature's public entry. */
const COMPOSITION = new Set(['(root)', 'cli', 'tools']);
/** The kernel's one list of every feature's entities: TypeORM opens its data source with them all. */
const KERNEL_EXCEPTIONS = new Set(['db/entities.ts']);

const groupOf = (file: string): string => (file.startsWith('..') ? '(outside)' : file.includes('/') ? file.split('/')[0]! : '(root)');
const isSpec = (rel: string) => rel.endsWith('.spec.ts');

describe('import graph', () => {
  const server = importGraph(serverRoot, isSpec);

  it.each([
    ['packages/server/src', isSpec],
    ['packages/rules/src', isSpec],
    ['studio/src', (rel: string) => rel === 'gql' || rel.startsWith('gql/')],
  ] as const)('has no runtime import cycle in %s', (dir, skip) => {
    const graph = importGraph(path.join(repo, dir), skip);
    expect(graph.runtimeEdges.size).toBeGreaterThan(10);
    expect(cyclesOf(graph.runtimeEdges)).toEqual([]);
  });

  it('lets a feature reach another feature only through its index.ts', () => {
    const reaches: string[] = [];
    for (const [file, targets] of server.edges) {
      const from = groupOf(file);
      for (const target of targets) {
        const to = groupOf(target);
        if (to === from || KERNEL.has(to) || COMPOSITION.has(to) || to === '(outside)' || KERNEL.has(from)) continue;
        if (target !== `${to}/index.ts`) reaches.push(`${file} -> ${target}`);
      }
    }
    expect(reaches).toEqual([]);
  });

  it('keeps the kernel free of features', () => {
    const reaches = [...server.edges]
      .filter(([file]) => KERNEL.has(groupOf(file)) && !KERNEL_EXCEPTIONS.has(file))
      .flatMap(([file, targets]) => targets.filter((t) => !KERNEL.has(groupOf(t)) && groupOf(t) !== '(outside)').map((t) => `${file} -> ${t}`));
    expect(reaches).toEqual([]);
  });

  it('has features that depend on each other without a cycle', () => {
    const features = groupGraph(server, groupOf);
    for (const group of [...features.keys()]) {
      if (KERNEL.has(group) || COMPOSITION.has(group)) features.delete(group);
      else
        features.set(
          group,
          features.get(group)!.filter((to) => !KERNEL.has(to) && !COMPOSITION.has(to) && to !== '(outside)'),
        );
    }
    expect(features.size).toBeGreaterThan(10);
    expect(cyclesOf(features)).toEqual([]);
  });

  it('keeps SQL out of resolvers, permissions in the access table and id parsing in the kernel', () => {
    const text = (file: string) => readFileSync(path.join(serverRoot, file), 'utf8');
    const files = [...server.edges.keys()];
    const resolvers = files.filter((file) => file.endsWith('.resolver.ts'));
    expect(resolvers.length).toBeGreaterThan(10);
    expect(
      resolvers.filter((file) => /\.query\(|\.read\(|createQueryBuilder|getRepository/.test(text(file))),
      'resolvers running SQL',
    ).toEqual([]);
    expect(
      files.filter((file) => /@Authorized\(|requireRole\(/.test(text(file))),
      'role checks outside graphql/access.ts',
    ).toEqual([]);
    const idRegex = /\/\^\\d(\+|\{1,1[5-9]\})\$\//; // an id's digits; short counts such as \d{1,4} are not ids
    expect(
      files.filter((file) => file !== 'graphql/scalars.ts' && idRegex.test(text(file))),
      'id regexes outside graphql/scalars.ts',
    ).toEqual([]);
    expect(idRegex.test(text('graphql/scalars.ts'))).toBe(true);
  });

  it('detects what it is meant to detect', () => {
    const cyclic = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cyclesOf(cyclic)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(cyclesOf(new Map([['a.ts', ['a.ts']]]))).toEqual([['a.ts']]);
    expect(
      cyclesOf(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });
});
