/**
 * Whether the organisation is configured enough to run worklists, and what is missing: one SQL
 * pass over segments, collection groups, their strategies' active versions and their active
 * specialists. Previews carry the findings as warnings; a run on the active strategies (a live
 * run) refuses while a finding blocks it, naming what to configure first.
 */
import type { Database } from '../db/database';
import { WorklistNotConfiguredError } from './worklist.errors';
import type { WorklistWarningCode } from './worklist-readiness.types';

export interface WorklistWarningInfo {
  code: WorklistWarningCode;
  /** For people: what is wrong and what it does to the worklist. */
  message: string;
  segment: string | null;
  group: string | null;
  strategy: string | null;
  /** A live run (generateWorklist) of the segment is refused until this is configured. */
  blocksGeneration: boolean;
  /** What to configure, for the refusal's message. */
  configure: string | null;
}

export interface WorklistReadiness {
  warnings: WorklistWarningInfo[];
  /** Segments worked by an active collection group: what a live run without segments takes. */
  workedSegments: string[];
  /** What a preview without a segment scores: the worked segments, or every segment with partners while none is worked. */
  previewSegments: string[];
}

interface GroupRow {
  segment: string;
  has_partners: boolean;
  group_key: string | null;
  group_active: boolean | null;
  strategy_key: string | null;
  strategy_found: boolean;
  version_id: string | null;
  specialists: number;
}

/**
 * The findings for the given segments (default: every segment, plus whether any group exists at
 * all). An unknown segment yields nothing: the run that follows answers NOT_FOUND for it.
 */
export async function worklistReadiness(db: Database, segments?: string[] | null): Promise<WorklistReadiness> {
  const rows: GroupRow[] = await db.dataSource.query(
    `SELECT s.key AS segment, EXISTS (SELECT 1 FROM partners p WHERE p.segment = s.key) AS has_partners,
        g.key AS group_key, g.active AS group_active, g.strategy_key, st.id IS NOT NULL AS strategy_found, v.id::text AS version_id,
        (SELECT count(*)::integer FROM specialists sp WHERE sp.group_key = g.key AND sp.active) AS specialists
       FROM collection_segments s
       LEFT JOIN collection_groups g ON g.segment_key = s.key
       LEFT JOIN strategies st ON st.key = g.strategy_key
       LEFT JOIN strategy_versions v ON v.strategy_id = st.id AND v.status = 'ACTIVE'
      WHERE $1::text[] IS NULL OR s.key = ANY($1::text[])
      ORDER BY s.key, g.key`,
    [segments ?? null],
  );
  const bySegment = groupBySegment(rows);
  const warnings = [...bySegment].flatMap(([segment, groups]) => segmentWarnings(segment, groups));
  const workedSegments = [...bySegment].filter(([, groups]) => groups.some((g) => g.group_active)).map(([segment]) => segment);
  if (!segments) warnings.unshift(...organisationWarnings(bySegment.size, workedSegments.length));
  const withPartners = [...bySegment].filter(([, groups]) => groups[0]!.has_partners).map(([segment]) => segment);
  return { warnings, workedSegments, previewSegments: workedSegments.length ? workedSegments : withPartners };
}

/**
 * A run on the segments' active strategies may start: else WorklistNotConfiguredError listing
 * every blocking finding. Without segments (every worked segment), an organisation with no
 * worked segment at all is refused too, rather than producing no run at all.
 */
export function assertReadyToGenerate(readiness: WorklistReadiness, segments?: string[] | null): void {
  const relevant = segments ? readiness.warnings : readiness.warnings.filter((w) => w.segment === null || readiness.workedSegments.includes(w.segment));
  const blocking = relevant.filter((w) => w.blocksGeneration);
  if (!segments && !readiness.workedSegments.length) blocking.push(...readiness.warnings.filter((w) => w.blocksGeneration && w.segment !== null));
  if (blocking.length) throw new WorklistNotConfiguredError(segments?.length === 1 ? segments[0]! : null, blocking);
}

/**
 * The segments a run takes, checked: those asked for, else the worked ones. A run on the active
 * strategies (no document given) must be ready (assertReadyToGenerate); a preview of a document
 * on an organisation with no worked segment scores every segment with partners.
 */
export async function segmentsToRun(db: Database, segments: string[] | undefined, document: unknown): Promise<string[]> {
  const usesActiveStrategies = document === undefined;
  if (segments && !usesActiveStrategies) return segments;
  const readiness = await worklistReadiness(db, segments);
  if (usesActiveStrategies) assertReadyToGenerate(readiness, segments);
  return segments ?? (usesActiveStrategies ? readiness.workedSegments : readiness.previewSegments);
}

// ---- steps --------------------------------------------------------------------------------

function groupBySegment(rows: GroupRow[]): Map<string, GroupRow[]> {
  const bySegment = new Map<string, GroupRow[]>();
  for (const row of rows) bySegment.set(row.segment, [...(bySegment.get(row.segment) ?? []), row]);
  return bySegment;
}

/** Findings about the organisation as a whole (only when every segment is looked at). */
function organisationWarnings(segments: number, worked: number): WorklistWarningInfo[] {
  if (!segments) {
    return [
      warning('NO_SEGMENT', 'No collection segment exists yet: import partners first (partners.csv names their segments).', {
        configure: 'partners and their segments (pnpm recoup import DIR)',
      }),
    ];
  }
  if (worked) return [];
  return [
    warning('NO_COLLECTION_GROUP', 'No collection group is configured: nothing will be assigned and no worklist can be generated until one works a segment.', {
      configure: 'a collection group for a segment, naming a strategy with an active version',
    }),
  ];
}

/** Findings about one segment and its groups, in the order a person fixes them. */
function segmentWarnings(segment: string, rows: GroupRow[]): WorklistWarningInfo[] {
  const groups = rows.filter((r) => r.group_key !== null);
  const active = groups.filter((g) => g.group_active);
  const inactive = groups
    .filter((g) => !g.group_active)
    .map((g) =>
      warning('INACTIVE_GROUP', `Segment ${segment}: collection group ${g.group_key} is inactive and works nothing.`, {
        segment,
        group: g.group_key,
        blocks: false,
      }),
    );
  if (!active.length) return [...inactive, withoutGroup(segment, groups)];
  return [...inactive, ...active.flatMap((g) => strategyWarnings(segment, g)), ...mixedVersions(segment, active), ...withoutSpecialists(segment, active)];
}

function withoutGroup(segment: string, groups: GroupRow[]): WorklistWarningInfo {
  const inactive = groups.length ? ` (only inactive ones: ${groups.map((g) => g.group_key).join(', ')})` : '';
  return warning('SEGMENT_WITHOUT_GROUP', `Segment ${segment}: no collection group works this segment${inactive}, so nothing will be assigned.`, {
    segment,
    configure: `an active collection group for segment ${segment}, naming a strategy with an active version`,
  });
}

/** A run takes one version per segment (a missing one is a strategy warning already). */
function mixedVersions(segment: string, active: GroupRow[]): WorklistWarningInfo[] {
  const versions = new Set(active.map((g) => g.version_id));
  if (versions.size < 2 || versions.has(null)) return [];
  const strategies = active.map((g) => `${g.group_key}: ${g.strategy_key}`).join(', ');
  return [
    warning('MIXED_STRATEGY_VERSIONS', `Segment ${segment}: its collection groups use different strategy versions (${strategies}).`, {
      segment,
      configure: `one strategy for every collection group of segment ${segment}`,
    }),
  ];
}

/** Not blocking: the run still scores the segment, and a partner's fixed specialist still gets the item. */
function withoutSpecialists(segment: string, active: GroupRow[]): WorklistWarningInfo[] {
  return active
    .filter((g) => g.specialists === 0)
    .map((g) =>
      warning('NO_ACTIVE_SPECIALIST', `Segment ${segment}: collection group ${g.group_key} has no active specialist, so its items stay unassigned.`, {
        segment,
        group: g.group_key,
        blocks: false,
      }),
    );
}

/** The group's strategy: named, existing, with an active version. */
function strategyWarnings(segment: string, g: GroupRow): WorklistWarningInfo[] {
  const group = g.group_key;
  const strategy = g.strategy_key;
  if (!strategy) {
    return [
      warning('GROUP_WITHOUT_STRATEGY', `Segment ${segment}: collection group ${group} has no strategy.`, {
        segment,
        group,
        configure: `a strategy for collection group ${group}`,
      }),
    ];
  }
  if (!g.strategy_found) {
    return [
      warning('UNKNOWN_STRATEGY', `Segment ${segment}: strategy ${strategy} of group ${group} does not exist.`, {
        segment,
        group,
        strategy,
        configure: `strategy ${strategy} (named by group ${group}) with an active version`,
      }),
    ];
  }
  if (!g.version_id) {
    return [
      warning('STRATEGY_WITHOUT_ACTIVE_VERSION', `Segment ${segment}: strategy ${strategy} of group ${group} has no active version.`, {
        segment,
        group,
        strategy,
        configure: `an active version of strategy ${strategy}`,
      }),
    ];
  }
  return [];
}

function warning(
  code: WorklistWarningCode,
  message: string,
  about: { segment?: string; group?: string | null; strategy?: string | null; configure?: string; blocks?: boolean },
): WorklistWarningInfo {
  return {
    code,
    message,
    segment: about.segment ?? null,
    group: about.group ?? null,
    strategy: about.strategy ?? null,
    blocksGeneration: about.blocks ?? true,
    configure: about.configure ?? null,
  };
}
