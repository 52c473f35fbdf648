import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { seedDemoAr } from '../packages/server/src/seed/seed.service';
import { createTestToken, gql, type GqlResponse } from './support/api';
import { openTestDatabase } from './support/database';

const AS_OF = '2026-11-23';
const CREATE = `mutation($input: CreateStrategyInput!) { createStrategy(input: $input) { document } }`;
const PREVIEW = `query($strategy: JSON!, $asOf: Date!, $after: String) {
  previewWorklist(strategy: $strategy, asOf: $asOf) {
    partnersEvaluated partners excluded
    items(first: 200, after: $after) {
      edges { node { partner { externalId } resubmissionDate amounts { toBeCollected } } }
      pageInfo { hasNextPage endCursor } } } }`;

interface Listed {
  partner: { externalId: string };
  resubmissionDate: string | null;
  amounts: { toBeCollected: string };
}

describe(`a new strategy's defaults (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let db: Database;
  let app: RunningApp;
  let admin: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 400, seed: 3, asOf: AS_OF });
    app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
    admin = await createTestToken(db, 'ADMIN');
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  /** Every item of the preview, page by page. */
  async function previewAll(strategy: unknown): Promise<{ partners: number; excluded: number; items: Listed[] }> {
    const items: Listed[] = [];
    let after: string | null = null;
    let head: { partners: number; excluded: number } | null = null;
    do {
      const answer: GqlResponse<any> = await gql(app.url, PREVIEW, { strategy, asOf: AS_OF, after }, admin);
      expect(answer.errors).toBeUndefined();
      const p: any = answer.data!.previewWorklist;
      head ??= { partners: p.partners, excluded: p.excluded };
      items.push(...p.items.edges.map((e: { node: Listed }) => e.node));
      after = p.items.pageInfo.hasNextPage ? p.items.pageInfo.endCursor : null;
    } while (after);
    return { ...head, items };
  }

  it('lists no partner with nothing to collect and no resubmission due; those are counted as excluded', async () => {
    const { data, errors } = await gql(app.url, CREATE, { input: { key: 'FRESH', name: 'Fresh' } }, admin);
    expect(errors).toBeUndefined();
    const preview = await previewAll(data.createStrategy.document);

    expect(preview.items).toHaveLength(preview.partners);
    expect(preview.partners).toBeGreaterThan(0);
    const idle = preview.items.filter((i) => Number(i.amounts.toBeCollected) <= 0 && !(i.resubmissionDate && i.resubmissionDate <= AS_OF));
    expect(idle.map((i) => i.partner.externalId)).toEqual([]);
    expect(preview.excluded).toBeGreaterThan(0);
  });

  it('keeps the three bands and the 0-band the rules require, with the exit rule named in words', async () => {
    const { data } = await gql(app.url, CREATE, { input: { key: 'FRESH_GBP', name: 'Fresh', currency: 'GBP' } }, admin);
    const doc = data.createStrategy.document;
    expect(doc).toMatchObject({ currency: 'GBP', minPercent: 0, priorities: [{ minPercent: 60 }, { minPercent: 30 }, { minPercent: 0 }] });
    expect(doc.rules).toEqual([expect.objectContaining({ name: 'Nothing to collect', event: { type: 'valuation', params: { points: 0, role: 'exit' } } })]);
  });
});
