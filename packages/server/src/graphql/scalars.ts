// type-graphql's decorators need the metadata polyfill before a decorated class loads; GraphQL types import this kernel module.
import 'reflect-metadata';
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { BadUserInputError, NotFoundError } from './errors';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDecimal(value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text))
    throw new GraphQLError(`Decimal expects a decimal string such as "1234.50", got ${JSON.stringify(value)}`);
  return text;
}

/** Exact money: a decimal string on the wire, never a float. */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number as a string, e.g. "1234.5000" (money is never a float).',
  serialize: (value) => String(value),
  parseValue: parseDecimal,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return parseDecimal(ast.value);
    throw new GraphQLError('Decimal expects a string');
  },
});

/** The one date check: ISO `YYYY-MM-DD` naming a real calendar day (no 2026-02-30). */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isIsoDate(value)) throw new GraphQLError(`Date expects an ISO date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}

/** A calendar date (key dates, due dates) with no time zone: "2026-11-23". */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, ISO 8601 "YYYY-MM-DD".',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)),
  parseValue: parseDate,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING) return parseDate(ast.value);
    throw new GraphQLError('Date expects a string');
  },
});

/** Today's date in UTC, the default key date of every read and run. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A key date argument: today when absent, else a valid ISO date (BAD_USER_INPUT naming `path`). */
export function keyDate(asOf: string | null | undefined, path = 'asOf'): string {
  if (asOf === undefined || asOf === null) return today();
  if (typeof asOf !== 'string' || !isIsoDate(asOf)) throw new BadUserInputError(`${path} must be a date (YYYY-MM-DD), got ${JSON.stringify(asOf)}`, path);
  return asOf;
}

const ID_DIGITS = /^\d{1,19}$/;
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** Whether a client's id can name a row (a positive bigint in canonical decimal form). */
export function isEntityId(raw: unknown): raw is string {
  return typeof raw === 'string' && ID_DIGITS.test(raw) && (raw === '0' || !raw.startsWith('0')) && BigInt(raw) <= MAX_BIGINT;
}

/**
 * A client's id of a `what` as the canonical bigint text the database compares; anything
 * malformed or out of range names no row, so it is NOT_FOUND like a missing one (never an
 * SQL error).
 */
export function parseId(raw: unknown, what: string): string {
  if (!isEntityId(raw)) throw new NotFoundError(what, String(raw).slice(0, 40));
  return raw;
}

/** Bigint ids as their canonical decimal text (parseId's), compared as numbers without parsing them. */
export function compareIds(a: string, b: string): number {
  const na = a.startsWith('-');
  const nb = b.startsWith('-');
  if (na !== nb) return na ? -1 : 1;
  const magnitude = a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
  return na ? -magnitude : magnitude;
}

/** Like parseId for ids given as input references (BAD_USER_INPUT at `path`: the client named something that cannot exist). */
export function parseIdInput(raw: unknown, path: string): string {
  if (!isEntityId(raw)) throw new BadUserInputError(`${path} is not an id`, path);
  return raw;
}

function jsonLiteral(ast: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => jsonLiteral(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, jsonLiteral(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      return undefined;
  }
}

/**
 * Any JSON value: strategy documents travel as one (DESIGN.md), as do explanation trees, whose
 * depth GraphQL types cannot follow. Defined here, not taken from graphql-scalars, so it is a
 * class of the same graphql module type-graphql uses.
 */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value (strategy documents, explanation trees).',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => jsonLiteral(ast, variables),
});
