/**
 * `pnpm exec tsx scripts/make-sample.ts [--partners N] [--seed S] [--as-of YYYY-MM-DD] [--out DIR]`:
 * writes the going-live sample (README "Going live on your own data"): a synthetic AR in the
 * import format (the seeder, as `pnpm recoup seed --csv` writes it), the organisation files and
 * partners.csv with its assignment columns (scripts/going-live-org.ts), and the GraphQL request
 * that creates the strategy the groups name. Same options, same bytes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { writeDemoArCsv } from '../packages/server/src/seed/seed.service';
import { goingLiveOrganisation } from './going-live-org';

const STRATEGY_KEY = 'GOING_LIVE';

const rule = (name: string, points: number, role: 'condition' | 'exit', fact: string, operator: string, value: unknown) => ({
  name,
  priority: 1,
  conditions: { all: [{ fact, operator, value }] },
  event: { type: 'valuation', params: { points, role } },
});

/** A first strategy: every partner with something open is on the list, banded by what is overdue and how much. */
const STRATEGY = {
  key: STRATEGY_KEY,
  name: 'Going live',
  currency: 'EUR',
  maxValuation: null,
  minPercent: 0,
  priorities: [
    { priority: 1, label: 'High', minPercent: 60 },
    { priority: 2, label: 'Medium', minPercent: 30 },
    { priority: 3, label: 'Low', minPercent: 0 },
  ],
  agingBuckets: [0, 30, 60, 90],
  rules: [
    rule('Everything overdue disputed or blocked', 0, 'exit', 'allOverdueDisputedOrBlocked', 'equal', true),
    rule('Something overdue', 40, 'condition', 'overdueAmount', 'greaterThan', 0),
    rule('Oldest item over 30 days', 30, 'condition', 'maxDaysOverdue', 'greaterThan', 30),
    rule('500 or more to collect', 30, 'condition', 'amountToBeCollected', 'greaterThanInclusive', 500),
  ],
};

/** The body of `POST /graphql` that creates the strategy as a draft (version 1). */
const CREATE_STRATEGY = {
  query: 'mutation($input: CreateStrategyInput!) { createStrategy(input: $input) { id version status strategy { key } } }',
  variables: { input: { key: STRATEGY_KEY, name: STRATEGY.name, document: STRATEGY } },
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    partners: { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
    'as-of': { type: 'string', default: '2026-11-23' },
    out: { type: 'string', default: path.join(root, 'samples/going-live') },
  },
});
const out = path.resolve(values.out);
const asOf = values['as-of'];

await writeDemoArCsv(out, { partners: Number(values.partners), seed: Number(values.seed), asOf });
const ar = { partners: await readFile(path.join(out, 'partners.csv'), 'utf8'), openItems: await readFile(path.join(out, 'open_items.csv'), 'utf8') };
const files = await goingLiveOrganisation(ar, { asOf, strategy: STRATEGY_KEY });
for (const [file, text] of Object.entries(files)) await writeFile(path.join(out, file), text);
// In the house format, so that `pnpm format:check` passes on the committed sample.
const request = path.join(out, 'create-strategy.json');
await writeFile(request, await format(JSON.stringify(CREATE_STRATEGY), { ...(await resolveConfig(request)), filepath: request }));
console.log(`wrote the going-live sample (${values.partners} partners, as of ${asOf}) into ${path.relative(process.cwd(), out) || '.'}`);
