/** The operations of a strategy's workspace, and names for the parts of their results the views pass around. */
import { graphql } from '../../gql';
import type {
  StudioCompareStrategiesQuery,
  StudioPreviewWorklistQuery,
  StudioRuleCatalogueQuery,
  StudioStrategyDiffQuery,
  StudioStrategyQuery,
  StudioValidateStrategyQuery,
} from '../../gql/graphql';

export const STRATEGY_QUERY = graphql(`
  query StudioStrategy($key: String!) {
    strategy(key: $key) {
      id
      key
      name
      groups
      activeVersion {
        id
        version
      }
      versions {
        ...StrategyVersionFields
        document
      }
    }
  }
`);

export type StrategyFull = StudioStrategyQuery['strategy'];
export type VersionFull = StrategyFull['versions'][number];

/** What the rule editors offer: facts, operators, basic-rule templates, and the segments to preview on. */
export const CATALOGUE_QUERY = graphql(`
  query StudioRuleCatalogue {
    facts {
      name
      label
      description
      type
      unit
      optional
      params {
        name
        type
        default
        min
        max
        description
      }
      operators {
        name
      }
    }
    operators {
      name
      label
      types
      valueShape
      factReference
      description
    }
    basicRuleTemplates {
      id
      label
      description
      example
      params {
        name
        label
        type
        default
        min
      }
    }
    arOverview {
      asOf
      segments {
        key
        name
        partners
      }
    }
  }
`);

export type CatalogueData = StudioRuleCatalogueQuery;
export type FactMeta = CatalogueData['facts'][number];
export type OperatorMeta = CatalogueData['operators'][number];
export type TemplateMeta = CatalogueData['basicRuleTemplates'][number];

export const EXPAND_RULE_QUERY = graphql(`
  query StudioExpandBasicRule($id: String!, $params: JSON) {
    expandBasicRule(id: $id, params: $params)
  }
`);

export const VALIDATE_QUERY = graphql(`
  query StudioValidateStrategy($document: JSON!) {
    validateStrategy(document: $document) {
      __typename
      ... on InvalidStrategy {
        errors {
          path
          message
        }
      }
    }
  }
`);

export type ValidationError = Extract<StudioValidateStrategyQuery['validateStrategy'], { __typename: 'InvalidStrategy' }>['errors'][number];

export const PREVIEW_QUERY = graphql(`
  query StudioPreviewWorklist($strategy: JSON!, $asOf: Date!, $segment: String) {
    previewWorklist(strategy: $strategy, asOf: $asOf, segment: $segment) {
      partners
      excluded
      partnersEvaluated
      amountToBeCollected
      byPriority {
        ...StudioPriorityFigureFields
      }
      bySpecialist {
        ...StudioSpecialistLoadFields
      }
      warnings {
        code
        message
        segment
        group
        blocksGeneration
      }
      items(first: 8) {
        edges {
          node {
            runId
            partnerId
            valuation
            percent
            priority
            partner {
              externalId
              name
            }
            firedRules {
              name
              points
            }
            amounts {
              toBeCollected
              overdue
            }
            specialist {
              name
            }
          }
        }
      }
    }
  }
`);

export type WorklistPreview = StudioPreviewWorklistQuery['previewWorklist'];
export type PreviewItem = WorklistPreview['items']['edges'][number]['node'];
export type PriorityFigure = WorklistPreview['byPriority'][number];
export type SpecialistLoad = WorklistPreview['bySpecialist'][number];
export type PreviewWarning = WorklistPreview['warnings'][number];

/** Why a previewed partner scored as it did: every rule with its condition tree, and the fact values the rules read (fetched when opened). */
export const PREVIEW_WHY_QUERY = graphql(`
  query StudioPreviewWhy($runId: ID!, $partnerId: ID!) {
    worklistItem(runId: $runId, partnerId: $partnerId) {
      explanation {
        facts
        rules {
          name
          role
          points
          fired
          conditions
        }
      }
    }
  }
`);

export const COMPARE_QUERY = graphql(`
  query StudioCompareStrategies($a: JSON!, $b: JSON!, $asOf: Date!, $segment: String!) {
    compareStrategies(a: $a, b: $b, asOf: $asOf, segment: $segment) {
      asOf
      segment
      movedCount
      partnersEvaluated
      a {
        ...ComparisonSideFields
      }
      b {
        ...ComparisonSideFields
      }
      matrix {
        from
        to
        count
        amountToBeCollectedA
        amountToBeCollectedB
      }
      moved(first: 25) {
        edges {
          node {
            partnerId
            from
            to
            valuationA
            valuationB
            amountToBeCollected
            partner {
              externalId
              name
            }
          }
        }
      }
    }
  }
`);

export const COMPARISON_SIDE_FIELDS = graphql(`
  fragment ComparisonSideFields on ComparisonSide {
    partners
    excluded
    amountToBeCollected
    byPriority {
      ...StudioPriorityFigureFields
    }
    bySpecialist {
      ...StudioSpecialistLoadFields
    }
  }
`);

export type Comparison = StudioCompareStrategiesQuery['compareStrategies'];

export const DIFF_QUERY = graphql(`
  query StudioStrategyDiff($from: ID!, $to: ID!) {
    strategyDiff(from: $from, to: $to) {
      identical
      rulesAdded {
        ...RuleSummaryFields
      }
      rulesRemoved {
        ...RuleSummaryFields
      }
      rulesChanged {
        name
        changes
        before {
          ...RuleSummaryFields
        }
        after {
          ...RuleSummaryFields
        }
      }
      pointsChanged {
        name
        before
        after
      }
      bandsAdded {
        ...BandChangeFields
      }
      bandsRemoved {
        ...BandChangeFields
      }
      bandsChanged {
        ...BandChangeFields
      }
      settingsChanged {
        field
        before
        after
      }
    }
  }
`);

export const RULE_SUMMARY_FIELDS = graphql(`
  fragment RuleSummaryFields on StrategyRuleSummary {
    name
    points
    priority
    role
  }
`);

export const BAND_CHANGE_FIELDS = graphql(`
  fragment BandChangeFields on StrategyBandChange {
    priority
    before {
      priority
      label
      minPercent
    }
    after {
      priority
      label
      minPercent
    }
  }
`);

export type StrategyDiff = StudioStrategyDiffQuery['strategyDiff'];

export const AUDIT_QUERY = graphql(`
  query StudioStrategyAudit($key: String!) {
    auditLog(entityType: "STRATEGY", entityId: $key, first: 100) {
      edges {
        node {
          id
          action
          actorName
          actorRole
          at
          details
        }
      }
    }
  }
`);

export const UPDATE_DRAFT = graphql(`
  mutation StudioUpdateStrategyDraft($input: UpdateStrategyDraftInput!) {
    updateStrategyDraft(input: $input) {
      id
      version
      status
      revision
      updatedAt
      # The saved document goes into the cache, so reopening the version shows it.
      document
      strategy {
        key
      }
    }
  }
`);

export const ACTIVATE_VERSION = graphql(`
  mutation StudioActivateStrategyVersion($versionId: ID!) {
    activateStrategyVersion(versionId: $versionId) {
      groups
      version {
        id
        version
        status
      }
      retired {
        id
        version
      }
    }
  }
`);

export const RETIRE_VERSION = graphql(`
  mutation StudioRetireStrategyVersion($versionId: ID!) {
    retireStrategyVersion(versionId: $versionId) {
      id
      status
    }
  }
`);
