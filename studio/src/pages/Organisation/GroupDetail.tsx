import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { Money } from '../../components/Money';
import type { OrgAbsenceFieldsFragment, OrgGroupFieldsFragment, OrgSpecialistFieldsFragment, StudioOrgGroupDetailQuery } from '../../gql/graphql';
import { today } from '../../lib/dates';
import { errorMessage } from '../../lib/errors';
import { formatAsOf, formatInteger } from '../../lib/format';
import { organisationPath, segmentWorklistPath, withSearch } from '../../lib/paths';
import type { OrgRights } from './OrganisationPage';
import { ActivePill, OrgTable } from './parts';
import { GENERATE_WORKLIST, GROUP_DETAIL_QUERY, SUBSTITUTE_ITEMS_QUERY } from './queries';
import { SpecialistForm } from './SpecialistForm';

type Load = StudioOrgGroupDetailQuery['specialists'][number];
type Run = StudioOrgGroupDetailQuery['worklistRun'];

/** A specialist of the group with their work on the live worklist and who stands in for whom today. */
interface Row {
  specialist: OrgSpecialistFieldsFragment;
  load: Load | undefined;
  /** Their absence today (with its substitute). */
  away: OrgAbsenceFieldsFragment | undefined;
  /** The absences today they stand in for. */
  standsInFor: OrgAbsenceFieldsFragment[];
}

/** One group: its specialists with their load on the segment's live worklist, and generating that worklist. */
export function GroupDetail({
  group,
  groups,
  rights,
  onEdit,
}: {
  group: OrgGroupFieldsFragment;
  groups: string[];
  rights: OrgRights;
  onEdit: () => void;
}): ReactElement {
  const day = today();
  const { data, loading, error } = useQuery(GROUP_DETAIL_QUERY, {
    variables: { group: group.key, segment: group.segment, today: day },
    fetchPolicy: 'cache-and-network',
  });
  const [editing, setEditing] = useState<{ userName: string | null } | null>(null);
  const rows = rowsOf(data);
  const open = editing?.userName ? rows.find((r) => r.specialist.userName === editing.userName)?.specialist : undefined;
  const maxItems = Math.max(1, ...rows.map((r) => r.load?.openItems ?? 0));
  return (
    <section className="card table-card org-card org-group" aria-label={`Group ${group.key}`}>
      <div className="card-header org-card-header">
        <div>
          <h2>
            {group.name} <span className="org-key">{group.key}</span>
          </h2>
          <p className="muted">
            Works segment <b>{group.segment}</b> with {group.strategy ? <b>{group.strategy}</b> : 'no strategy yet'} · {group.active ? 'active' : 'inactive'}
          </p>
        </div>
        <div className="page-actions">
          {rights.edit && (
            <>
              <button type="button" className="button" onClick={onEdit}>
                Edit group
              </button>
              <button type="button" className="button button-primary" onClick={() => setEditing({ userName: null })}>
                Add specialist
              </button>
            </>
          )}
        </div>
      </div>
      <RunBar group={group} run={data?.worklistRun ?? null} rights={rights} />
      {error && (
        <div className="notice org-inline-notice" role="alert">
          {errorMessage(error)}
        </div>
      )}
      {!data && loading && <div className="skeleton skeleton-row" />}
      {data && rows.length === 0 && <div className="empty">No specialist in this group yet: its worklist items would stay unassigned.</div>}
      {rows.length > 0 && (
        <SpecialistTable
          rows={rows}
          maxItems={maxItems}
          currency={data?.worklistRun?.currency ?? null}
          segment={group.segment}
          rights={rights}
          onEdit={(userName) => setEditing({ userName })}
        />
      )}
      {editing && (editing.userName === null || open) && (
        <SpecialistForm key={`${editing.userName}:${open?.version}`} current={open} group={group.key} groups={groups} onClose={() => setEditing(null)} />
      )}
    </section>
  );
}

/** The group's specialists joined with their live work and today's absences. */
function rowsOf(data: StudioOrgGroupDetailQuery | undefined): Row[] {
  if (!data) return [];
  const absences = data.specialistAbsences.edges.map((e) => e.node);
  return data.specialistList.edges.map(({ node }) => ({
    specialist: node,
    load: data.specialists.find((s) => s.id === node.id),
    away: absences.find((a) => a.userName === node.userName),
    standsInFor: absences.filter((a) => a.substitute === node.userName),
  }));
}

/** The segment's live worklist (key date, partners on it) and the button that generates a new one for today. */
function RunBar({ group, run, rights }: { group: OrgGroupFieldsFragment; run: Run; rights: OrgRights }): ReactElement {
  const [generate, { loading }] = useMutation(GENERATE_WORKLIST, {
    refetchQueries: ['StudioOrgGroupDetail', 'StudioOrgSubstituteItems'],
    awaitRefetchQueries: true,
  });
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const asOf = today();
  const onGenerate = () => {
    setOutcome(null);
    generate({ variables: { segment: group.segment, asOf } })
      .then((r) => {
        const made = r.data?.generateWorklist;
        setOutcome({
          ok: true,
          text: `Generated: ${formatInteger(made?.partnersOnList ?? 0)} partners of ${group.segment} on the list at ${formatAsOf(asOf)}.`,
        });
      })
      .catch((e: unknown) => setOutcome({ ok: false, text: errorMessage(e) }));
  };
  return (
    <div className="org-run">
      <p>
        {run ? (
          <>
            Live worklist of <Link to={segmentWorklistPath(group.segment)}>{group.segment}</Link>: key date {formatAsOf(run.asOf)},{' '}
            {formatInteger(run.partnersOnList)} partners on the list.
          </>
        ) : (
          <>{group.segment} has no live worklist yet.</>
        )}
      </p>
      {rights.generate && (
        <button type="button" className="button" disabled={loading} onClick={onGenerate}>
          {loading ? 'Generating…' : `Generate worklist for ${group.segment}`}
        </button>
      )}
      {outcome && (
        <p className={outcome.ok ? 'org-run-ok' : 'org-run-error'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </p>
      )}
    </div>
  );
}

function SpecialistTable({
  rows,
  maxItems,
  currency,
  segment,
  rights,
  onEdit,
}: {
  rows: Row[];
  maxItems: number;
  currency: string | null;
  segment: string;
  rights: OrgRights;
  onEdit: (userName: string) => void;
}): ReactElement {
  return (
    <OrgTable
      rows={rows}
      className="org-specialists"
      rowKey={(row) => row.specialist.id}
      rowAttributes={(row) => ({ 'data-user': row.specialist.userName })}
      head={{
        header: 'Specialist',
        cell: (row) => (
          <>
            <span className="segment-name">{row.specialist.name}</span>
            <span className="segment-key">{row.specialist.userName}</span>
          </>
        ),
      }}
      columns={[
        {
          header: 'E-mail',
          className: 'org-email',
          cell: (row) => (row.specialist.email ? <Email address={row.specialist.email} /> : <span className="muted">–</span>),
        },
        { header: 'Today', cell: (row) => <TodayCell row={row} /> },
        {
          header: 'Open items',
          className: 'org-load-col',
          cell: (row) => (
            <>
              <LoadBar items={row.load?.openItems ?? 0} max={maxItems} />
              {row.standsInFor.length > 0 && !rights.specialist && <SubstituteShare segment={segment} specialistId={row.specialist.id} />}
            </>
          ),
        },
        {
          header: 'To be collected',
          className: 'num',
          attributes: () => ({ 'data-amount': '' }),
          cell: (row) => (currency && row.load ? <Money amount={row.load.amountToBeCollected} currency={currency} /> : (row.load?.amountToBeCollected ?? '–')),
        },
      ]}
      edit={rights.edit ? { label: (row) => `Edit ${row.specialist.userName}`, onEdit: (row) => onEdit(row.specialist.userName) } : undefined}
    />
  );
}

/** Active or not, and today's absence or stand-in. */
function TodayCell({ row }: { row: Row }): ReactElement {
  return (
    <span className="org-today">
      <ActivePill active={row.specialist.active} />
      {(row.away || row.load?.absentToday) && (
        <span className="org-pill is-warn" data-absent>
          Absent{row.away?.substituteName ? ` · ${row.away.substituteName} stands in` : ''}
        </span>
      )}
      {row.standsInFor.map((a) => (
        <span key={a.id} className="org-pill is-info" data-stands-in={a.userName}>
          Stands in for {a.name}
        </span>
      ))}
      {row.away && (
        <Link className="org-small-link" to={withSearch(organisationPath('absences'), { group: row.away.group ?? undefined })}>
          until {formatAsOf(row.away.endsOn)}
        </Link>
      )}
    </span>
  );
}

/** Open items as a figure and a bar against the group's largest load. */
function LoadBar({ items, max }: { items: number; max: number }): ReactElement {
  return (
    <span className="org-load">
      <b className="org-load-count" data-open-items>
        {formatInteger(items)}
      </b>
      <span className="org-load-track">
        <span className="org-load-fill" style={{ width: `${(items / max) * 100}%` }} />
      </span>
    </span>
  );
}

/** Of a substitute's open items, how many they have standing in for someone. */
function SubstituteShare({ segment, specialistId }: { segment: string; specialistId: string }): ReactElement | null {
  const { data } = useQuery(SUBSTITUTE_ITEMS_QUERY, { variables: { segment, specialistId }, fetchPolicy: 'cache-and-network' });
  if (!data) return null;
  return (
    <span className="org-hint" data-substitute-items>
      {formatInteger(data.worklist.totalCount)} as substitute
    </span>
  );
}

/** An e-mail address that may break before its @ in a narrow column, and nowhere else. */
function Email({ address }: { address: string }): ReactElement {
  const at = address.indexOf('@');
  if (at <= 0) return <>{address}</>;
  return (
    <>
      <span className="org-email-part">{address.slice(0, at)}</span>
      <span className="org-email-part">{address.slice(at)}</span>
    </>
  );
}
