// type-graphql's decorators need the metadata polyfill before a decorated class loads; GraphQL types import this kernel module.
import 'reflect-metadata';
/**
 * Forward keyset paging for every list of the API: one opaque cursor codec, one page-size
 * check, the Relay `PageInfo` and a builder that turns `first + 1` fetched rows into a page.
 */
import { Field, ObjectType } from 'type-graphql';
import { BadUserInputError } from './errors';

@ObjectType({ description: 'Where a page stands in its list (Relay cursor connections); pages go forward only.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether rows follow this page: ask again with `after: endCursor`.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'Always false: pages go forward only (`first`/`after`).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the first row of this page; null on an empty page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'The cursor of the last row of this page, to pass as `after` for the next page; null on an empty page.' })
  endCursor!: string | null;
}

export type CursorKey = Array<string | number>;

const KEY_PART = /^-?\d+(\.\d+)?$/;

/** Opaque to clients: the list's name (a cursor of one list is refused by another) and the last row's sort key, base64url JSON. */
export function encodeCursor(list: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify([list, ...key])).toString('base64url');
}

/**
 * The sort key a cursor of `list` carries: `length` parts, each a number or a decimal string
 * (or, with `text`, any short string without NUL, for lists keyed by name); BAD_USER_INPUT for anything else.
 */
export function decodeCursor(cursor: string, list: string, length: number, path = 'after', text = false): CursorKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const valid =
    Array.isArray(parsed) &&
    parsed[0] === list &&
    parsed.length === length + 1 &&
    parsed
      .slice(1)
      .every(
        (v) =>
          (typeof v === 'number' && Number.isFinite(v)) ||
          (typeof v === 'string' && (text ? v.length <= 200 && !v.includes('\0') : v.length <= 40 && KEY_PART.test(v))),
      );
  if (!valid) throw new BadUserInputError(`${path} is not a cursor of this list and order`, path);
  return (parsed as CursorKey).slice(1);
}

/** A page size argument: `fallback` when absent, else an integer from `min` to `max` (BAD_USER_INPUT naming `path`). */
export function pageSize(first: number | undefined | null, fallback = 50, max = 500, path = 'first', min = 0): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < min || n > max) throw new BadUserInputError(`${path} must be between ${min} and ${max}`, path);
  return n;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Page<T> {
  edges: Array<Edge<T>>;
  pageInfo: PageInfo;
}

/**
 * A page from rows fetched with `LIMIT first + 1` (the extra row only tells that more follow).
 * `cursorOf` gives each kept row's cursor, `nodeOf` its GraphQL node.
 */
export function pageOf<R, T>(rows: readonly R[], first: number, cursorOf: (row: R) => string, nodeOf: (row: R) => T): Page<T> {
  const edges = rows.slice(0, first).map((row) => ({ cursor: cursorOf(row), node: nodeOf(row) }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
