import { useState, type ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import type { OrgAbsenceFieldsFragment } from '../../gql/graphql';
import { addDays, today } from '../../lib/dates';
import { formatAsOf } from '../../lib/format';
import { useSearchParam } from '../../lib/searchParams';
import { AbsenceForm } from './AbsenceForm';
import type { OrgRights } from './OrganisationPage';
import { NewButton, OrgTable, TableCard } from './parts';
import { ABSENCES_QUERY, GROUP_KEYS_QUERY } from './queries';

/** The first day of this month and the last day of the month after next: the period shown by default. */
function defaultPeriod(): { from: string; to: string } {
  const day = today();
  const from = `${day.slice(0, 8)}01`;
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 3);
  return { from, to: addDays(d.toISOString().slice(0, 10), -1) };
}

/** Days from a to b (YYYY-MM-DD), b included. */
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000) + 1;
}

/** /organisation/absences?group=&from=&to=: absences overlapping the period, by first day, with their substitutes. */
export function Absences({ rights }: { rights: OrgRights }): ReactElement {
  const [group, setGroup] = useSearchParam('group');
  const [fromParam, setFrom] = useSearchParam('from');
  const [toParam, setTo] = useSearchParam('to');
  const period = defaultPeriod();
  const from = fromParam ?? period.from;
  const to = toParam ?? period.to;
  const groups = useQuery(GROUP_KEYS_QUERY);
  const { data, loading, error, fetchMore } = useQuery(ABSENCES_QUERY, { variables: { group, from, to }, fetchPolicy: 'cache-and-network' });
  const [editing, setEditing] = useState<{ id: string | null } | null>(null);
  const rows = data?.specialistAbsences.edges.map((e) => e.node) ?? [];
  const open = editing?.id ? rows.find((r) => r.id === editing.id) : undefined;
  const page = data?.specialistAbsences.pageInfo;
  return (
    <>
      <form className="card org-filters" aria-label="Filter absences" onSubmit={(e) => e.preventDefault()}>
        <label className="work-field">
          Group
          <select value={group ?? ''} onChange={(e) => setGroup(e.target.value, { replace: true })}>
            <option value="">All groups</option>
            {groups.data?.collectionGroups.map((g) => (
              <option key={g.key} value={g.key}>
                {g.name} ({g.key})
              </option>
            ))}
          </select>
        </label>
        <label className="work-field">
          From
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value || null, { replace: true })} />
        </label>
        <label className="work-field">
          To
          <input type="date" value={to} onChange={(e) => setTo(e.target.value || null, { replace: true })} />
        </label>
        <span className="muted org-filters-note">Absences overlapping the period, by first day.</span>
      </form>
      <TableCard
        title="Absences"
        description="While a specialist is away their substitute takes their fixed partners; without one their work is dealt within the group."
        action={<NewButton label="Record absence" show={rights.edit} onClick={() => setEditing({ id: null })} />}
        loading={!data && loading}
        error={error}
        empty={data && rows.length === 0 ? `No absence between ${formatAsOf(from)} and ${formatAsOf(to)}.` : null}
      >
        <AbsenceTable rows={rows} from={from} to={to} rights={rights} onEdit={(id) => setEditing({ id })} />
        {page?.hasNextPage && (
          <div className="table-foot">
            <button
              type="button"
              className="button"
              onClick={() =>
                void fetchMore({
                  variables: { after: page.endCursor },
                  updateQuery: (prev, { fetchMoreResult }) => ({
                    specialistAbsences: {
                      ...fetchMoreResult.specialistAbsences,
                      edges: [...prev.specialistAbsences.edges, ...fetchMoreResult.specialistAbsences.edges],
                    },
                  }),
                })
              }
            >
              Show more
            </button>
          </div>
        )}
      </TableCard>
      {editing && (editing.id === null || open) && (
        <AbsenceForm
          key={`${editing.id}:${open?.version}`}
          current={open}
          group={group}
          groups={groups.data?.collectionGroups ?? []}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}

function AbsenceTable({
  rows,
  from,
  to,
  rights,
  onEdit,
}: {
  rows: OrgAbsenceFieldsFragment[];
  from: string;
  to: string;
  rights: OrgRights;
  onEdit: (id: string) => void;
}): ReactElement {
  const day = today();
  return (
    <OrgTable
      rows={rows}
      className="org-absences"
      rowKey={(a) => a.id}
      rowAttributes={(a) => ({ 'data-absence': a.id, 'data-user': a.userName })}
      head={{
        header: 'Specialist',
        cell: (a) => (
          <>
            <span className="segment-name">{a.name}</span>
            <span className="segment-key">
              {a.userName}
              {a.group ? ` · ${a.group}` : ''}
            </span>
          </>
        ),
      }}
      columns={[
        {
          header: 'Away',
          className: 'org-nowrap',
          cell: (a) => (
            <>
              {formatAsOf(a.startsOn)} – {formatAsOf(a.endsOn)}
              <span className="segment-key">
                {daysBetween(a.startsOn, a.endsOn)} {daysBetween(a.startsOn, a.endsOn) === 1 ? 'day' : 'days'} · <AbsenceState absence={a} day={day} />
              </span>
            </>
          ),
        },
        {
          header: 'Substitute',
          attributes: (a) => ({ 'data-substitute': a.substitute ?? '' }),
          cell: (a) =>
            a.substitute ? (
              <>
                <span className="segment-name">{a.substituteName}</span>
                <span className="segment-key">{a.substitute}</span>
              </>
            ) : (
              <span className="muted">None: dealt within the group</span>
            ),
        },
        {
          header: (
            <span className="org-timeline-head">
              <span>{formatAsOf(from)}</span>
              <span>{formatAsOf(to)}</span>
            </span>
          ),
          className: 'org-timeline-col',
          cell: (a) => <Timeline absence={a} from={from} to={to} day={day} />,
        },
      ]}
      edit={rights.edit ? { label: (a) => `Edit absence of ${a.userName} from ${a.startsOn}`, onEdit: (a) => onEdit(a.id) } : undefined}
    />
  );
}

function AbsenceState({ absence, day }: { absence: OrgAbsenceFieldsFragment; day: string }): ReactElement {
  if (absence.endsOn < day) return <span>past</span>;
  if (absence.startsOn > day) return <span>upcoming</span>;
  return <b className="org-now">away today</b>;
}

/** The absence as a bar on the period, with today marked. */
function Timeline({ absence, from, to, day }: { absence: OrgAbsenceFieldsFragment; from: string; to: string; day: string }): ReactElement {
  const span = Math.max(1, daysBetween(from, to));
  const start = absence.startsOn < from ? from : absence.startsOn;
  const end = absence.endsOn > to ? to : absence.endsOn;
  const left = ((daysBetween(from, start) - 1) / span) * 100;
  const width = (Math.max(0, daysBetween(start, end)) / span) * 100;
  const todayAt = day >= from && day <= to ? ((daysBetween(from, day) - 0.5) / span) * 100 : null;
  return (
    <span className="org-timeline" aria-hidden="true">
      <span className="org-timeline-bar" style={{ left: `${left}%`, width: `${width}%` }} />
      {todayAt !== null && <span className="org-timeline-today" style={{ left: `${todayAt}%` }} />}
    </span>
  );
}
