import { BASIC_RULES, FACTS, OPERATORS } from '../packages/rules/src/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';

describe(`rule-editor metadata over GraphQL (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let db: Database;
  let app: RunningApp;
  let token: string;
  beforeAll(async () => {
    db = await openTestDatabase();
    app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
    token = await createTestToken(db, 'CLIENT');
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('lists every fact with type, unit, params and the operators its type allows', async () => {
    const { data, errors } = await gql(
      app.url,
      `{ facts { name label type unit description optional
      params { name type default min max description } operators { name valueShape types } } }`,
      {},
      token,
    );
    expect(errors).toBeUndefined();
    expect(data.facts.map((f: any) => f.name)).toEqual(FACTS.map((f) => f.name));
    const broken = data.facts.find((f: any) => f.name === 'brokenPromises');
    expect(broken).toMatchObject({
      type: 'number',
      unit: 'count',
      optional: false,
      params: [{ name: 'withinDays', type: 'integer', default: 365, min: 0, max: 3650 }],
    });
    expect(broken.params[0].description).not.toBe('');
    expect(broken.operators.map((o: any) => o.name)).toEqual([
      'equal',
      'notEqual',
      'in',
      'notIn',
      'lessThan',
      'lessThanInclusive',
      'greaterThan',
      'greaterThanInclusive',
      'between',
    ]);
    const risk = data.facts.find((f: any) => f.name === 'riskClass');
    expect(risk).toMatchObject({ type: 'string', optional: true, params: [] });
    expect(risk.operators.map((o: any) => o.name)).toEqual(['equal', 'notEqual', 'in', 'notIn']);
    expect(data.facts.find((f: any) => f.name === 'allOverdueDisputedOrBlocked').operators.map((o: any) => o.name)).toEqual(['equal', 'notEqual']);
    const reached = data.facts.find((f: any) => f.name === 'daysSinceLastContact').params[0];
    expect(reached).toMatchObject({ name: 'reachedOnly', type: 'boolean', default: false, min: null, max: null });
  });

  it('lists operators with their value shape and fact types, and one fact by name', async () => {
    const { data, errors } = await gql(
      app.url,
      `{ operators { name label valueShape types factReference builtin description }
      fact(name: "overdueAmount") { name unit params { name default } } }`,
      {},
      token,
    );
    expect(errors).toBeUndefined();
    expect(data.operators).toHaveLength(OPERATORS.length);
    expect(data.operators.find((o: any) => o.name === 'between')).toMatchObject({
      label: 'is between',
      valueShape: 'range',
      types: ['number'],
      factReference: false,
      builtin: false,
    });
    expect(data.operators.find((o: any) => o.name === 'in')).toMatchObject({ valueShape: 'list', types: ['number', 'string'], builtin: true });
    expect(data.operators.find((o: any) => o.name === 'contains')).toMatchObject({ valueShape: 'element', types: ['string[]'] });
    expect(data.fact).toEqual({ name: 'overdueAmount', unit: 'money', params: [{ name: 'minDaysOverdue', default: 1 }] });
    const missing = await gql(app.url, `{ fact(name: "nope") { name } }`, {}, token);
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('lists basic-rule templates with their parameters and expands one', async () => {
    const { data, errors } = await gql(app.url, `{ basicRuleTemplates { id label description params { name label type default min } example } }`, {}, token);
    expect(errors).toBeUndefined();
    expect(data.basicRuleTemplates.map((t: any) => t.id)).toEqual(BASIC_RULES.map((t) => t.id));
    expect(data.basicRuleTemplates.find((t: any) => t.id === 'brokenPromises')).toEqual({
      id: 'brokenPromises',
      label: 'Broken promises',
      description: expect.any(String),
      params: [
        { name: 'days', label: 'Days', type: 'integer', default: 90, min: 0 },
        { name: 'count', label: 'Number of promises', type: 'integer', default: 1, min: 1 },
      ],
      example: { all: [{ fact: 'brokenPromises', params: { withinDays: 90 }, operator: 'greaterThanInclusive', value: 1 }] },
    });
    expect(data.basicRuleTemplates.find((t: any) => t.id === 'riskClass').params).toEqual([
      { name: 'values', label: 'Risk class', type: 'string[]', default: [], min: null },
    ]);
    const expanded = await gql(app.url, `{ expandBasicRule(id: "noContact", params: { days: 14 }) }`, {}, token);
    expect(expanded.data.expandBasicRule).toEqual({ all: [{ not: { fact: 'daysSinceLastContact', operator: 'lessThanInclusive', value: 14 } }] });
    expect((await gql(app.url, `{ expandBasicRule(id: "nope") }`, {}, token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('needs a token', async () => {
    expect((await gql(app.url, `{ facts { name } }`)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
