/**
 * partners.csv's optional assignment columns (DESIGN.md "Organisation files"): profile,
 * collection_group and specialist (a user name). Present in the header, they are staged with the
 * partner's other cells, checked in SQL over all staged rows at once (a partners file can hold
 * millions of rows) and upserted into profile_key, collection_group_key and specialist_id.
 * Absent, the partner's stored assignment stays as it is, and the file loads as it always did.
 */
import type { PoolClient } from 'pg';
import { ImportError } from './ar-import.errors';
import { stageTableName, type TableMerge } from './ar-import.tables';
import type { CsvFileSpec } from './csv-contract';

/** Each assignment column: the partners column it fills and the expression over the staged row `s`. */
const ASSIGNMENT_TARGETS: Record<string, { target: string; expression: string; join?: string }> = {
  profile: { target: 'profile_key', expression: 's.profile' },
  collection_group: { target: 'collection_group_key', expression: 's.collection_group' },
  specialist: { target: 'specialist_id', expression: 'asg_sp.id', join: 'LEFT JOIN specialists asg_sp ON asg_sp.user_name = s.specialist' },
};

/** The partners merge for a file read with `spec`: unchanged without assignment columns. */
export function withAssignments(merge: TableMerge, spec: CsvFileSpec): TableMerge {
  const assignments = spec.columns.map((c) => c.name).filter((name) => name in ASSIGNMENT_TARGETS);
  if (assignments.length === 0) return merge;
  const targets = assignments.map((name) => ASSIGNMENT_TARGETS[name]!);
  return {
    ...merge,
    spec,
    columns: [...merge.columns, ...targets.map((t): [string, string] => [t.target, t.expression])],
    joins: [...(merge.joins ?? []), ...targets.flatMap((t) => (t.join ? [t.join] : []))],
    assignments,
  };
}

interface BadAssignment {
  line: number;
  problem: string;
  profile: string | null;
  grp: string | null;
  specialist: string | null;
  segment: string;
  group_segment: string | null;
  specialist_group: string | null;
}

/**
 * The first staged row (by line) whose assignment names what does not fit: an unknown profile;
 * an unknown or inactive group, or one working another segment; an unknown or inactive
 * specialist, or one who is no member of the partner's group (the given one, else the segment's
 * only active group; without the column, the partner's stored group). One pass over the staged
 * rows, joined by hash to the small organisation tables.
 */
export async function checkPartnerAssignments(client: PoolClient, merge: TableMerge): Promise<void> {
  if (!merge.assignments?.length) return;
  const { rows } = await client.query<BadAssignment>(assignmentCheckSql(merge, merge.assignments));
  const bad = rows[0];
  if (bad) throw assignmentError(merge, bad);
}

/** The staged rows' first bad assignment: line, problem code and what the message names. */
function assignmentCheckSql(merge: TableMerge, assignments: readonly string[]): string {
  const has = (column: string): boolean => assignments.includes(column);
  const profile = has('profile') ? 's.profile' : 'NULL::text';
  const given = has('collection_group') ? 's.collection_group' : 'cur.collection_group_key::text';
  const specialist = has('specialist') ? 's.specialist' : 'NULL::text';
  // In the order a row is judged; the group's own checks only where the file names the group.
  const problems: Array<[string, string]> = [
    [`${profile} IS NOT NULL AND pr.key IS NULL`, 'profile unknown'],
    ...(has('collection_group')
      ? ([
          [`${given} IS NOT NULL AND g.key IS NULL`, 'group unknown'],
          [`${given} IS NOT NULL AND NOT g.active`, 'group inactive'],
          [`${given} IS NOT NULL AND g.segment_key <> s.segment`, 'group segment'],
        ] as Array<[string, string]>)
      : []),
    [`${specialist} IS NOT NULL AND sp.id IS NULL`, 'specialist unknown'],
    [`${specialist} IS NOT NULL AND NOT sp.active`, 'specialist inactive'],
    [`${specialist} IS NOT NULL AND coalesce(${given}, og.key) IS NULL`, 'specialist no group'],
    [`${specialist} IS NOT NULL AND sp.group_key IS DISTINCT FROM coalesce(${given}, og.key)`, 'specialist group'],
  ];
  return `WITH only_group AS (SELECT segment_key, min(key) AS key FROM collection_groups WHERE active GROUP BY segment_key HAVING count(*) = 1),
     checked AS (
       SELECT s.line, s.segment, ${profile} AS profile, coalesce(${given}, og.key) AS grp, ${specialist} AS specialist,
              g.segment_key AS group_segment, sp.group_key AS specialist_group,
              CASE ${problems.map(([when, code]) => `WHEN ${when} THEN '${code}'`).join(' ')} END AS problem
         FROM ${stageTableName(merge.table)} s
         ${has('collection_group') ? '' : 'LEFT JOIN partners cur ON cur.external_id = s.partner_id'}
         LEFT JOIN collection_profiles pr ON pr.key = ${profile}
         LEFT JOIN collection_groups g ON g.key = ${given}
         LEFT JOIN only_group og ON og.segment_key = s.segment
         LEFT JOIN specialists sp ON sp.user_name = ${specialist}
        WHERE ${assignments.map((c) => `s.${c} IS NOT NULL`).join(' OR ')})
     SELECT * FROM checked WHERE problem IS NOT NULL ORDER BY line LIMIT 1`;
}

function assignmentError(merge: TableMerge, bad: BadAssignment): ImportError {
  const file = merge.spec?.file ?? 'partners.csv';
  const q = JSON.stringify;
  const fail = (column: string, problem: string) => new ImportError(file, bad.line, column, problem);
  switch (bad.problem) {
    case 'profile unknown':
      return fail('profile', `profile ${q(bad.profile)} is neither in collection_profiles.csv nor in the database`);
    case 'group unknown':
      return fail('collection_group', `collection group ${q(bad.grp)} is neither in collection_groups.csv nor in the database`);
    case 'group inactive':
      return fail('collection_group', `collection group ${q(bad.grp)} is inactive`);
    case 'group segment':
      return fail('collection_group', `collection group ${q(bad.grp)} works segment ${bad.group_segment}, not the partner's segment ${bad.segment}`);
    case 'specialist unknown':
      return fail('specialist', `specialist ${q(bad.specialist)} is neither in specialists.csv nor in the database`);
    case 'specialist inactive':
      return fail('specialist', `specialist ${q(bad.specialist)} is inactive`);
    case 'specialist no group':
      return fail('collection_group', `a fixed specialist needs the partner's collection group: segment ${bad.segment} has no single active group`);
    default:
      return fail('specialist', `specialist ${q(bad.specialist)} works in group ${bad.specialist_group ?? '(none)'}, not in the partner's group ${bad.grp}`);
  }
}
