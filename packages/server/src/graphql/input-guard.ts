/**
 * Input no feature can store: a NUL character (U+0000) in any string a client sends, in a
 * variable or written in the operation, is refused before execution with BAD_USER_INPUT naming
 * where it was. Postgres text cannot hold NUL, so it would otherwise surface as an internal error
 * halfway through a write.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import type { RequestContext } from './context';
import { BadUserInputError, requestError } from './errors';

const NUL = '\u0000';

/** Where in a JSON value (variables) a string holds NUL, as `input.items[2].reason`; null when nowhere. */
export function nulPathInValue(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPathInValue(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes(NUL)) return `${path}.${key.replaceAll(NUL, '\\u0000')}`;
      const found = nulPathInValue(inner, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

function nulPathInLiteral(node: ValueNode, path: string): string | null {
  switch (node.kind) {
    case Kind.STRING:
      return node.value.includes(NUL) ? path : null;
    case Kind.LIST:
      for (let i = 0; i < node.values.length; i++) {
        const found = nulPathInLiteral(node.values[i]!, `${path}[${i}]`);
        if (found) return found;
      }
      return null;
    case Kind.OBJECT:
      for (const field of node.fields) {
        const found = nulPathInLiteral(field.value, `${path}.${field.name.value}`);
        if (found) return found;
      }
      return null;
    default:
      return null;
  }
}

/** The first argument (literal, in the document) or variable holding a NUL character, or null. */
export function nulPathInRequest(document: DocumentNode, variables: Record<string, unknown> | undefined): string | null {
  for (const [name, value] of Object.entries(variables ?? {})) {
    const found = nulPathInValue(value, name);
    if (found) return found;
  }
  return nulPathInLiterals(document);
}

/**
 * The literals' answer per document: Apollo hands every request of the same text the same parsed
 * document (its document store), so the walk is done once per operation text, not per request.
 */
const literalsChecked = new WeakMap<DocumentNode, string | null>();

function nulPathInLiterals(document: DocumentNode): string | null {
  if (literalsChecked.has(document)) return literalsChecked.get(document)!;
  let found: string | null = null;
  visit(document, {
    Argument(node) {
      found ??= nulPathInLiteral(node.value, node.name.value);
    },
  });
  literalsChecked.set(document, found);
  return found;
}

export function inputGuardPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const path = nulPathInRequest(document, request.variables);
          if (path) throw requestError(new BadUserInputError(`${path} contains a NUL character (U+0000), which no text may hold`, path));
        },
      };
    },
  };
}
