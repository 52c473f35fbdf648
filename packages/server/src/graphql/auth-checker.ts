import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FieldNode, type SelectionSetNode } from 'graphql';
import type { AuthChecker } from 'type-graphql';
import type { Role } from '../auth/auth.types';
import type { RequestContext } from './context';
import { DomainError, requestError } from './errors';

/** Roots fields anyone may call without a token (liveness for load balancers and the studio's start page). */
export const PUBLIC_FIELDS: ReadonlySet<string> = new Set(['Query.health']);

/** Roles that may change configuration (strategies). */
export const CONFIGURE: Role[] = ['ADMIN', 'CONFIGURATOR'];

export function unauthenticated(): DomainError {
  return new DomainError('UNAUTHENTICATED', 'An API token is required (Authorization: Bearer <token>)');
}

export function forbidden(role: Role, what: string): DomainError {
  return new DomainError('FORBIDDEN', `Role ${role} may not ${what}`);
}

/**
 * type-graphql's check for `@Authorized(...roles)`: no roles = any signed-in caller. It throws
 * DomainErrors itself (rather than returning false) so the codes are ours, not type-graphql's
 * UNAUTHORIZED, and formatError maps them like any other.
 */
export const authChecker: AuthChecker<RequestContext, Role> = ({ context, info }, roles) => {
  const user = context.user;
  if (!user) throw unauthenticated();
  // CLIENT is read-only whatever a resolver declares.
  if (user.role === 'CLIENT' && info.parentType.name === 'Mutation') throw forbidden(user.role, `call ${info.fieldName}`);
  if (roles.length > 0 && !roles.includes(user.role)) throw forbidden(user.role, `${info.parentType.name === 'Mutation' ? 'call' : 'read'} ${info.fieldName}`);
  return true;
};

function rootFields(selectionSet: SelectionSetNode, fragments: Record<string, { selectionSet: SelectionSetNode }>, out: string[], seen = new Set<string>()): string[] {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) out.push((selection as FieldNode).name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) rootFields(selection.selectionSet, fragments, out, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments[selection.name.value];
      if (fragment) rootFields(fragment.selectionSet, fragments, out, seen);
    }
  }
  return out;
}

/**
 * Deny by default, before anything executes: every root field but the public ones needs a
 * token, and a CLIENT token never runs a mutation. A resolver that forgets `@Authorized` is
 * therefore still closed to anonymous callers; `@Authorized` then narrows by role.
 */
export function authGuardPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document }) {
          if (!operation) return; // Apollo has already refused a request naming no (known) operation.
          const fragments = Object.fromEntries(
            document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
          );
          const type = operation.operation === 'query' ? 'Query' : operation.operation === 'mutation' ? 'Mutation' : 'Subscription';
          const fields = rootFields(operation.selectionSet, fragments, []).filter((f) => !f.startsWith('__'));
          const user = contextValue.user;
          if (!user && fields.some((f) => !PUBLIC_FIELDS.has(`${type}.${f}`))) throw requestError(unauthenticated());
          if (user?.role === 'CLIENT' && type !== 'Query') throw requestError(forbidden(user.role, `run a ${operation.operation}`));
        },
      };
    },
  };
}
