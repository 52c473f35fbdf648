import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client/errors';
import { GRAPHQL_PATH } from './api';

/** What went wrong, phrased for the person looking at the screen. */
export interface Problem {
  title: string;
  detail?: string;
  hint?: string;
  messages?: string[];
}

const startHint = 'Start it from the repository root with `pnpm start`, then retry.';

function messagesFromBody(bodyText: string): string[] {
  try {
    const body: unknown = JSON.parse(bodyText);
    if (body && typeof body === 'object' && 'errors' in body && Array.isArray(body.errors)) {
      return body.errors.map((e: unknown) => (e && typeof e === 'object' && 'message' in e ? String(e.message) : '')).filter((m: string) => m.length > 0);
    }
  } catch {
    // not JSON: nothing to quote
  }
  return [];
}

export function describeProblem(error: unknown): Problem {
  if (CombinedGraphQLErrors.is(error)) {
    return {
      title: 'The Recoup API could not answer the overview query',
      detail: 'The server is running, but it reported errors while resolving the query.',
      messages: error.errors.map((e) => e.message),
      hint: 'The server log usually says more. A database that is still migrating or unreachable is a common cause.',
    };
  }
  if (ServerParseError.is(error)) {
    return {
      title: `Something at ${GRAPHQL_PATH} answered, but not with GraphQL`,
      detail: `It replied with HTTP ${error.statusCode} and a body that is not JSON.`,
      hint: 'Another program may be using the port the studio proxies to (4000), or the studio is served without the API. Run it with `pnpm start`.',
    };
  }
  if (ServerError.is(error)) {
    const status = error.statusCode;
    // A dev-server proxy with nothing behind it answers 500/502/504 with an empty body.
    if (status === 502 || status === 503 || status === 504 || (status === 500 && error.bodyText.trim() === '')) {
      return {
        title: `Cannot reach the Recoup API at ${GRAPHQL_PATH} — is \`pnpm start\` running?`,
        detail: `The dev server's proxy got no answer from the API (HTTP ${status}).`,
        hint: startHint,
      };
    }
    if (status === 404) {
      return {
        title: `There is no Recoup API at ${GRAPHQL_PATH}`,
        detail: 'The web server answered HTTP 404 for the GraphQL endpoint.',
        hint: 'Open the studio through the Recoup server (`pnpm start`) or the Vite dev server, which proxies /graphql.',
      };
    }
    return {
      title: `The Recoup API answered with HTTP ${status}`,
      messages: messagesFromBody(error.bodyText),
      hint: 'Check the server log for details.',
    };
  }
  if (error instanceof TypeError) {
    // fetch() rejects with a TypeError when no connection could be made at all.
    return {
      title: `Cannot reach the Recoup API at ${GRAPHQL_PATH} — is \`pnpm start\` running?`,
      detail: `The browser could not connect (${error.message}).`,
      hint: startHint,
    };
  }
  return {
    title: 'The overview could not be loaded',
    detail: error instanceof Error ? error.message : String(error),
  };
}

/** The GraphQL errors' messages, else the error's text: for a failed action, next to its button. */
export function errorMessage(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) return error.errors.map((e) => e.message).join('; ');
  return error instanceof Error ? error.message : String(error);
}

/** The first GraphQL error's `extensions.code` (CONFLICT, BAD_USER_INPUT, …). */
export function errorCode(error: unknown): string | undefined {
  if (CombinedGraphQLErrors.is(error)) return error.errors[0]?.extensions?.code as string | undefined;
  return undefined;
}

/** The field the first GraphQL error names (`extensions.path` of a BAD_USER_INPUT: `amount`, `itemIds`, …). */
export function errorPath(error: unknown): string | undefined {
  if (CombinedGraphQLErrors.is(error)) return error.errors[0]?.extensions?.path as string | undefined;
  return undefined;
}
