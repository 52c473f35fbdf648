import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import type { RequestContext } from './context';
import { DomainError, requestError } from './errors';

export interface QueryLimits {
  /** Levels of nested fields, the root field counting as 1. */
  maxDepth: number;
  /** Estimated fields resolved: each field 1, its sub-selection times its `first`/`last`/`limit` page size. */
  maxComplexity: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxComplexity: 20_000 };

/** What one `__schema` or `__type` selection costs: a handful fit in an operation, hundreds of aliased copies do not. */
export const INTROSPECTION_COST = 2_000;

/**
 * Root fields that score whole segments (seconds of database work each): their fixed cost lets
 * one operation hold at most two of them under the default limit, so aliased copies cannot
 * multiply a request's work.
 */
export const FIELD_COSTS: Readonly<Record<string, number>> = { previewWorklist: 8_000, compareStrategies: 8_000 };

interface Measure {
  depth: number;
  complexity: number;
}

/** Whether a measure read a variable (a page size given as one): only a measure that did not holds for every request of the operation. */
interface VariablesRead {
  read: boolean;
}

function pageSize(
  args: readonly { name: { value: string }; value: ValueNode }[] | undefined,
  variables: Record<string, unknown>,
  tracked?: VariablesRead,
): number {
  for (const arg of args ?? []) {
    if (arg.name.value !== 'first' && arg.name.value !== 'last' && arg.name.value !== 'limit') continue;
    if (arg.value.kind === Kind.VARIABLE && tracked) tracked.read = true;
    const value = arg.value.kind === Kind.INT ? Number(arg.value.value) : arg.value.kind === Kind.VARIABLE ? variables[arg.value.name.value] : undefined;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  }
  return 1;
}

/** Validation has run (no fragment cycles, known fragments), so the walk terminates. */
export function measureSelection(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  tracked?: VariablesRead,
): Measure {
  let depth = 0;
  let complexity = 0;
  for (const selection of selectionSet.selections) {
    let inner: Measure;
    if (selection.kind === Kind.FIELD) {
      // Introspection is bounded by the schema itself (tools need its full depth), but each
      // `__schema`/`__type` walks much of it: a flat cost, so aliased copies cannot pile up.
      if (selection.name.value === '__schema' || selection.name.value === '__type') {
        inner = { depth: 1, complexity: INTROSPECTION_COST };
        depth = Math.max(depth, inner.depth);
        complexity += inner.complexity;
        continue;
      }
      if (selection.name.value.startsWith('__')) continue;
      const children = selection.selectionSet ? measureSelection(selection.selectionSet, fragments, variables, tracked) : { depth: 0, complexity: 0 };
      const own = FIELD_COSTS[selection.name.value] ?? 1;
      inner = { depth: children.depth + 1, complexity: own + pageSize(selection.arguments, variables, tracked) * children.complexity };
    } else {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
      if (!fragment) continue;
      inner = measureSelection(fragment.selectionSet, fragments, variables, tracked);
    }
    depth = Math.max(depth, inner.depth);
    complexity += inner.complexity;
  }
  return { depth, complexity };
}

/**
 * Measures of operations whose page sizes are all written in them, per parsed operation: Apollo
 * hands every request of the same text the same document, so such an operation is measured once.
 */
const measured = new WeakMap<OperationDefinitionNode, Measure>();

function measureOperation(operation: OperationDefinitionNode, document: DocumentNode, variables: Record<string, unknown>): Measure {
  const kept = measured.get(operation);
  if (kept) return kept;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const tracked: VariablesRead = { read: false };
  const measure = measureSelection(operation.selectionSet, fragments, variables, tracked);
  if (!tracked.read) measured.set(operation, measure);
  return measure;
}

/** Refuses an operation too deep or too costly before it executes (BAD_USER_INPUT, with the figures). */
export function queryLimitsPlugin(limits: QueryLimits = DEFAULT_QUERY_LIMITS): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (!operation) return;
          const { depth, complexity } = measureOperation(operation, document, request.variables ?? {});
          if (depth > limits.maxDepth) {
            throw requestError(
              new DomainError('BAD_USER_INPUT', `Query depth ${depth} exceeds the limit of ${limits.maxDepth}`, { depth, maxDepth: limits.maxDepth }),
            );
          }
          if (complexity > limits.maxComplexity) {
            throw requestError(
              new DomainError('BAD_USER_INPUT', `Query complexity ${complexity} exceeds the limit of ${limits.maxComplexity}`, {
                complexity,
                maxComplexity: limits.maxComplexity,
              }),
            );
          }
        },
      };
    },
  };
}
