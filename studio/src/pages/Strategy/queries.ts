import { gql } from '@apollo/client';
import type { TypedDocumentNode } from '@apollo/client';
import type { Decimal } from '../lib/api';
import type { StrategyDoc } from './model';

export interface VersionSummary {
  id: string;
  version: number;
  status: string;
  revision: number;
  createdAt: string;
  updatedAt: string;
  activatedAt: string | null;
  retiredAt: string | null;
  createdBy: string | null;
}

export interface StrategySummary {
  id: string;
  key: string;
  name: string;
  groups: string[];
  createdAt: string;
  activeVersion: (VersionSummary & { document: StrategyDoc }) | null;
  versions: VersionSummary[];
}

const VERSION_FIELDS = `id version status revision createdAt updatedAt activatedAt retiredAt createdBy`;

export const STRATEGIES_QUERY: TypedDocumentNode<{ strategies: { edges: { node: StrategySummary }[] } }, Record<string, never>> = gql`
  query StudioStrategies {
    strategies(first: 200) {
      edges {
        node {
          id key name groups createdAt
          activeVersion { ${VERSION_FIELDS} document }
          versions { ${VERSION_FIELDS} }
        }
      }
    }
  }
`;

export interface VersionFull extends VersionSummary { document: StrategyDoc }

export interface StrategyFull {
  id: string;
  key: string;
  name: string;
  groups: string[];
  activeVersion: { id: string; version: number } | null;
  versions: VersionFull[];
}

export const STRATEGY_QUERY: TypedDocumentNode<{ strategy: StrategyFull }, { key: string }> = gql`
  query StudioStrategy($key: String!) {
    strategy(key: $key) {
      id key name groups
      activeVersion { id version }
      versions { ${VERSION_FIELDS} document }
    }
  }
`;

export interface FactParam { name: string; type: string; default: unknown; min: number | null; max: number | null; description: string }
export interface OperatorMeta { name: string; label: string; types: string[]; valueShape: string; factReference: boolean; description: string }
export interface FactMeta {
  name: string; label: string; description: string; type: string; unit: string; optional: boolean;
  params: FactParam[]; operators: { name: string }[];
}
export interface TemplateMeta {
  id: string; label: string; description: string; example: unknown;
  params: { name: string; label: string; type: string; default: unknown; min: number | null }[];
}

export interface CatalogueData {
  facts: FactMeta[];
  operators: OperatorMeta[];
  basicRuleTemplates: TemplateMeta[];
  arOverview: { asOf: string; segments: { key: string; name: string; partners: number }[] };
}

export const CATALOGUE_QUERY: TypedDocumentNode<CatalogueData, Record<string, never>> = gql`
  query StudioRuleCatalogue {
    facts { name label description type unit optional params { name type default min max description } operators { name } }
    operators { name label types valueShape factReference description }
    basicRuleTemplates { id label description example params { name label type default min } }
    arOverview { asOf segments { key name partners } }
  }
`;

export const EXPAND_RULE_QUERY: TypedDocumentNode<{ expandBasicRule: unknown }, { id: string; params: unknown }> = gql`
  query StudioExpandBasicRule($id: String!, $params: JSON) { expandBasicRule(id: $id, params: $params) }
`;

export interface ValidationError { path: string; message: string }
export type ValidationResult = { __typename: 'ValidStrategy' } | { __typename: 'InvalidStrategy'; errors: ValidationError[] };

export const VALIDATE_QUERY: TypedDocumentNode<{ validateStrategy: ValidationResult }, { document: unknown }> = gql`
  query StudioValidateStrategy($document: JSON!) {
    validateStrategy(document: $document) {
      __typename
      ... on InvalidStrategy { errors { path message } }
    }
  }
`;

export interface PriorityFigure { priority: number; count: number; amountToBeCollected: Decimal }
export interface SpecialistLoad { specialistId: string | null; specialist: { name: string } | null; count: number; amountToBeCollected: Decimal }
export interface PreviewItem {
  runId: string;
  partnerId: string;
  partner: { externalId: string; name: string };
  valuation: number;
  percent: Decimal;
  priority: number;
  firedRules: { name: string; points: number }[];
  amounts: { toBeCollected: Decimal; overdue: Decimal };
  specialist: { name: string } | null;
}
export interface WorklistPreview {
  partners: number;
  excluded: number;
  partnersEvaluated: number;
  amountToBeCollected: Decimal;
  byPriority: PriorityFigure[];
  bySpecialist: SpecialistLoad[];
  items: { edges: { node: PreviewItem }[] };
}

export const PREVIEW_QUERY: TypedDocumentNode<{ previewWorklist: WorklistPreview }, { strategy: unknown; asOf: string; segment: string | null }> = gql`
  query StudioPreviewWorklist($strategy: JSON!, $asOf: Date!, $segment: String) {
    previewWorklist(strategy: $strategy, asOf: $asOf, segment: $segment) {
      partners excluded partnersEvaluated amountToBeCollected
      byPriority { priority count amountToBeCollected }
      bySpecialist { specialistId specialist { name } count amountToBeCollected }
      items(first: 8) {
        edges { node {
          runId partnerId valuation percent priority
          partner { externalId name }
          firedRules { name points }
          amounts { toBeCollected overdue }
          specialist { name }
        } }
      }
    }
  }
`;

export interface ComparisonSide {
  partners: number; excluded: number; amountToBeCollected: Decimal;
  byPriority: PriorityFigure[]; bySpecialist: SpecialistLoad[];
}
export interface MigrationCell { from: number | null; to: number | null; count: number; amountToBeCollectedA: Decimal; amountToBeCollectedB: Decimal }
export interface PartnerMove {
  partnerId: string; from: number | null; to: number | null; valuationA: number | null; valuationB: number | null;
  amountToBeCollected: Decimal | null; partner: { externalId: string; name: string };
}
export interface Comparison {
  asOf: string; segment: string; movedCount: number; partnersEvaluated: number;
  a: ComparisonSide; b: ComparisonSide; matrix: MigrationCell[];
  moved: { edges: { node: PartnerMove }[] };
}

const SIDE = `partners excluded amountToBeCollected byPriority { priority count amountToBeCollected }
  bySpecialist { specialistId specialist { name } count amountToBeCollected }`;

export const COMPARE_QUERY: TypedDocumentNode<{ compareStrategies: Comparison }, { a: unknown; b: unknown; asOf: string; segment: string }> = gql`
  query StudioCompareStrategies($a: JSON!, $b: JSON!, $asOf: Date!, $segment: String!) {
    compareStrategies(a: $a, b: $b, asOf: $asOf, segment: $segment) {
      asOf segment movedCount partnersEvaluated
      a { ${SIDE} }
      b { ${SIDE} }
      matrix { from to count amountToBeCollectedA amountToBeCollectedB }
      moved(first: 25) { edges { node {
        partnerId from to valuationA valuationB amountToBeCollected partner { externalId name }
      } } }
    }
  }
`;

export interface RuleSummary { name: string; points: number; priority: number | null; role: string }
export interface Band { priority: number; label: string; minPercent: number }
export interface StrategyDiff {
  identical: boolean;
  rulesAdded: RuleSummary[];
  rulesRemoved: RuleSummary[];
  rulesChanged: { name: string; changes: string[]; before: RuleSummary; after: RuleSummary }[];
  pointsChanged: { name: string; before: number; after: number }[];
  bandsAdded: { priority: number; before: Band | null; after: Band | null }[];
  bandsRemoved: { priority: number; before: Band | null; after: Band | null }[];
  bandsChanged: { priority: number; before: Band | null; after: Band | null }[];
  settingsChanged: { field: string; before: unknown; after: unknown }[];
}

const RULE = `name points priority role`;
const BAND = `priority before { priority label minPercent } after { priority label minPercent }`;

export const DIFF_QUERY: TypedDocumentNode<{ strategyDiff: StrategyDiff }, { from: string; to: string }> = gql`
  query StudioStrategyDiff($from: ID!, $to: ID!) {
    strategyDiff(from: $from, to: $to) {
      identical
      rulesAdded { ${RULE} }
      rulesRemoved { ${RULE} }
      rulesChanged { name changes before { ${RULE} } after { ${RULE} } }
      pointsChanged { name before after }
      bandsAdded { ${BAND} }
      bandsRemoved { ${BAND} }
      bandsChanged { ${BAND} }
      settingsChanged { field before after }
    }
  }
`;

export interface AuditEntry { id: string; action: string; actorName: string; actorRole: string; at: string; details: Record<string, unknown> }

export const AUDIT_QUERY: TypedDocumentNode<{ auditLog: { edges: { node: AuditEntry }[] } }, { key: string }> = gql`
  query StudioStrategyAudit($key: String!) {
    auditLog(entityType: "STRATEGY", entityId: $key, first: 100) {
      edges { node { id action actorName actorRole at details } }
    }
  }
`;

type VersionResult = { id: string; version: number; status: string; revision: number; document: StrategyDoc; strategy: { key: string } };
const VERSION_RESULT = `id version status revision document strategy { key }`;

export const CREATE_STRATEGY: TypedDocumentNode<{ createStrategy: VersionResult }, { input: { key: string; name: string; currency?: string; document?: unknown } }> = gql`
  mutation StudioCreateStrategy($input: CreateStrategyInput!) { createStrategy(input: $input) { ${VERSION_RESULT} } }
`;

export const COPY_VERSION: TypedDocumentNode<{ copyStrategyVersion: VersionResult }, { input: { versionId: string; key?: string; name?: string } }> = gql`
  mutation StudioCopyStrategyVersion($input: CopyStrategyVersionInput!) { copyStrategyVersion(input: $input) { ${VERSION_RESULT} } }
`;

export const UPDATE_DRAFT: TypedDocumentNode<{ updateStrategyDraft: VersionResult }, { input: { versionId: string; revision: number; document: unknown } }> = gql`
  mutation StudioUpdateStrategyDraft($input: UpdateStrategyDraftInput!) { updateStrategyDraft(input: $input) { ${VERSION_RESULT} updatedAt } }
`;

export const ACTIVATE_VERSION: TypedDocumentNode<{ activateStrategyVersion: { groups: string[]; version: { id: string; version: number; status: string }; retired: { id: string; version: number } | null } }, { versionId: string }> = gql`
  mutation StudioActivateStrategyVersion($versionId: ID!) {
    activateStrategyVersion(versionId: $versionId) { groups version { id version status } retired { id version } }
  }
`;

export const RETIRE_VERSION: TypedDocumentNode<{ retireStrategyVersion: { id: string; status: string } }, { versionId: string }> = gql`
  mutation StudioRetireStrategyVersion($versionId: ID!) { retireStrategyVersion(versionId: $versionId) { id status } }
`;

export interface PreviewExplanation {
  facts: Record<string, unknown>;
  rules: { name: string; role: string; points: number; fired: boolean }[];
}

/** Why a previewed partner scored as it did: the fact values the rules read (fetched when opened). */
export const PREVIEW_WHY_QUERY: TypedDocumentNode<{ worklistItem: { explanation: PreviewExplanation | null } | null }, { runId: string; partnerId: string }> = gql`
  query StudioPreviewWhy($runId: ID!, $partnerId: ID!) {
    worklistItem(runId: $runId, partnerId: $partnerId) {
      explanation { facts rules { name role points fired } }
    }
  }
`;
