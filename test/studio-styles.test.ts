import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The studio's pages other than the strategy pages are chunks loaded when first visited
 * (studio/src/router.tsx), and a chunk brings only the stylesheets its modules import. A page that
 * uses a class styled by another page's stylesheet looks right after that page was visited and
 * unstyled when opened first (the analytics filter bar without work.css's form fields). Here: every
 * class a page's modules use, when some stylesheet styles it, is styled by one the page loads (its
 * own imports, or those of the first load).
 */
const SRC = path.resolve(import.meta.dirname, '../studio/src');

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });

function resolved(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  return (
    [base, `${base}.tsx`, `${base}.ts`, path.join(base, 'index.tsx'), path.join(base, 'index.ts')].find((f) => existsSync(f) && statSync(f).isFile()) ?? null
  );
}

/** Modules and stylesheets a module imports statically (import() is another chunk; `import type` is nothing at run time). */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s+(?!type\s)(?:[^'";]*?\s+from\s+)?'([^']+)'/gm)].map((m) => resolved(file, m[1]!)).filter((f): f is string => f !== null);
}

/** What loading `entry` loads: its modules and stylesheets, through static imports. */
function loadedWith(entry: string): Set<string> {
  const seen = new Set<string>();
  const next = [entry];
  while (next.length) {
    const file = next.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.css')) next.push(...staticImports(file));
  }
  return seen;
}

/**
 * Classes a stylesheet styles on their own: those of a selector of one compound (`.work-field`,
 * `.work-status.s-running`), not those styled only beside or inside another (`.org-table
 * tr.is-selected`, `.num .sort-button`).
 */
function styledClasses(css: string): Set<string> {
  const text = readFileSync(css, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const classes = new Set<string>();
  for (const [, selectors] of text.matchAll(/([^{}]+)\{/g)) {
    if (selectors!.trim().startsWith('@')) continue;
    for (const selector of selectors!.split(',')) {
      const compounds = selector.trim().split(/\s*[>+~]\s*|\s+/);
      if (compounds.length === 1) for (const [, name] of compounds[0]!.matchAll(/\.([A-Za-z_][\w-]*)/g)) classes.add(name!);
    }
  }
  return classes;
}

/** Class names a module writes in className="…" or className={…} (string and template parts). */
function usedClasses(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  const used = new Set<string>();
  for (const [, plain, expression] of text.matchAll(/className=(?:"([^"]*)"|\{([^}]*)\})/g)) {
    const parts = plain !== undefined ? [plain] : [...expression!.matchAll(/[`'"]([^`'"]*)[`'"]/g)].map((m) => m[1]!);
    for (const part of parts) for (const name of part.split(/[\s$]+/)) if (/^[a-z][\w-]*$/.test(name)) used.add(name);
  }
  return used;
}

describe("the studio's stylesheets per chunk", () => {
  const stylesheets = files(SRC).filter((f) => f.endsWith('.css'));
  const styled = new Map(stylesheets.map((css) => [css, styledClasses(css)]));
  const firstLoad = loadedWith(path.join(SRC, 'main.tsx'));
  const router = path.join(SRC, 'router.tsx');
  const lazyPages = [...new Set([...readFileSync(router, 'utf8').matchAll(/import\('(\.[^']+)'\)/g)].map((m) => resolved(router, m[1]!)!))];

  /** Each class `entry`'s modules use that only stylesheets it does not load style, with where it is styled. */
  function unstyled(entry: string): string[] {
    const loaded = new Set([...firstLoad, ...loadedWith(entry)]);
    const available = new Set([...loaded].filter((f) => f.endsWith('.css')).flatMap((css) => [...styled.get(css)!]));
    const missing = new Set<string>();
    for (const module of loaded) {
      if (!/\.tsx?$/.test(module)) continue;
      for (const name of usedClasses(module)) {
        if (available.has(name)) continue;
        const where = stylesheets.filter((css) => styled.get(css)!.has(name));
        if (where.length) missing.add(`.${name} (${path.relative(SRC, module)}) is styled in ${where.map((w) => path.relative(SRC, w)).join(', ')}`);
      }
    }
    return [...missing];
  }

  it('finds the lazy pages and what the first load brings', () => {
    expect(lazyPages.length).toBeGreaterThanOrEqual(14);
    expect(lazyPages.every((p) => existsSync(p))).toBe(true);
    expect([...firstLoad].some((f) => f.endsWith('styles.css'))).toBe(true);
    // The check sees a page's own stylesheets: the analytics page loads work.css's form fields.
    expect(loadedWith(path.join(SRC, 'pages/Analytics/AnalyticsPage.tsx'))).toContain(path.join(SRC, 'components/work.css'));
  });

  it('styles everything the first load shows with what it loads', () => {
    expect(unstyled(path.join(SRC, 'main.tsx'))).toEqual([]);
  });

  it.each(lazyPages.map((p) => [path.relative(SRC, p), p]))('styles %s with the stylesheets its chunk brings', (_name, page) => {
    expect(unstyled(page)).toEqual([]);
  });
});
