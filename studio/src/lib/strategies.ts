/** What the strategy list and a strategy's workspace both read and do. */
import { graphql } from '../gql';

export const STRATEGY_VERSION_FIELDS = graphql(`
  fragment StrategyVersionFields on StrategyVersion {
    id
    version
    status
    revision
    createdAt
    updatedAt
    activatedAt
    retiredAt
    createdBy
  }
`);

export const STRATEGY_SUMMARY = graphql(`
  fragment StrategySummary on Strategy {
    id
    key
    name
    groups
    createdAt
    activeVersion {
      ...StrategyVersionFields
      document
    }
    versions {
      ...StrategyVersionFields
    }
  }
`);

/** Every strategy with its live version and drafts; refetched after each change to one. */
export const STRATEGIES_QUERY = graphql(`
  query StudioStrategies {
    strategies(first: 200) {
      edges {
        node {
          ...StrategySummary
        }
      }
    }
  }
`);

/** A version copied into a new draft, of the same strategy or (with key and name) of a new one. */
export const COPY_VERSION = graphql(`
  mutation StudioCopyStrategyVersion($input: CopyStrategyVersionInput!) {
    copyStrategyVersion(input: $input) {
      id
      version
      status
      revision
      strategy {
        key
      }
    }
  }
`);

export function statusLabel(status: string): string {
  return status === 'ACTIVE' ? 'Live' : status === 'DRAFT' ? 'Draft' : status === 'RETIRED' ? 'Retired' : status;
}
