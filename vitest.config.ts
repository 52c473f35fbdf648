import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// type-graphql (CommonJS) loads graphql's CommonJS build; the server's own imports must get the
// same module, or its scalars are classes from a second copy of graphql that type-graphql rejects.
const graphqlCjs = createRequire(new URL('./packages/server/package.json', import.meta.url)).resolve('graphql');

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlCjs }] },
  test: {
    include: ['packages/*/src/**/*.spec.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file opens its own database; two cores run two at a time without starving PGlite.
    maxWorkers: 2,
  },
});
