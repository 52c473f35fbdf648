import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import type { OrgGroupFieldsFragment, StudioOrgGroupsQuery } from '../../gql/graphql';
import { organisationPath, strategyPath, withSearch } from '../../lib/paths';
import { useSearchParam } from '../../lib/searchParams';
import type { Editing } from './CompanyCodes';
import { GroupDetail } from './GroupDetail';
import type { OrgRights } from './OrganisationPage';
import { CheckField, DeleteZone, Field, FormFoot, useSave } from './orgForm';
import { SidePanel } from '../../components/SidePanel';
import { ActivePill, Named, NewButton, OrgTable, TableCard } from './parts';
import { DELETE_GROUP, GROUPS_QUERY, SAVE_GROUP } from './queries';

type Options = Pick<StudioOrgGroupsQuery, 'collectionSegments' | 'strategies'>;
type StrategyOption = StudioOrgGroupsQuery['strategies']['edges'][number]['node'];
const REFETCH = ['StudioOrgGroups', 'StudioOrgGroupKeys', 'StudioOrgSegments'];

/** The collection groups (?group=KEY opens one): each works a segment with a strategy and has specialists. */
export function Groups({ rights }: { rights: OrgRights }): ReactElement {
  const { data, loading, error, refetch } = useQuery(GROUPS_QUERY, { fetchPolicy: 'cache-and-network' });
  const [editing, setEditing] = useState<Editing>(null);
  const [picked, pick] = useSearchParam('group');
  const rows = data?.collectionGroups ?? [];
  const strategies = data?.strategies.edges.map((e) => e.node) ?? [];
  const selected = rows.find((g) => g.key === picked) ?? rows[0];
  const open = editing?.key ? rows.find((r) => r.key === editing.key) : undefined;
  return (
    <>
      <TableCard
        title="Collection groups"
        description="A group works one segment with one strategy; its specialists share the segment's worklist."
        action={<NewButton label="New group" show={rights.edit} onClick={() => setEditing({ key: null })} />}
        loading={!data && loading}
        error={error}
        empty={data && rows.length === 0 ? 'No collection group yet: nothing is assigned until a group works a segment.' : null}
      >
        <GroupTable rows={rows} selected={selected?.key} strategies={strategies} rights={rights} onEdit={(key) => setEditing({ key })} />
      </TableCard>
      {selected && (
        <GroupDetail key={selected.key} group={selected} rights={rights} onEdit={() => setEditing({ key: selected.key })} groups={rows.map((g) => g.key)} />
      )}
      {editing && (editing.key === null || open) && (
        <GroupForm
          key={`${editing.key}:${open?.version}`}
          current={open}
          options={data!}
          onClose={() => setEditing(null)}
          onSaved={(key) => {
            setEditing(null);
            if (key !== selected?.key) pick(key);
          }}
          onReload={() => void refetch()}
        />
      )}
    </>
  );
}

function GroupTable({
  rows,
  selected,
  strategies,
  rights,
  onEdit,
}: {
  rows: OrgGroupFieldsFragment[];
  selected?: string;
  strategies: StrategyOption[];
  rights: OrgRights;
  onEdit: (key: string) => void;
}): ReactElement {
  return (
    <OrgTable
      rows={rows}
      rowKey={(g) => g.key}
      rowAttributes={(g) => ({ 'data-key': g.key, className: g.key === selected ? 'is-selected' : undefined })}
      head={{
        header: 'Group',
        cell: (g) => (
          <Link className="org-row-link" to={withSearch(organisationPath('groups'), { group: g.key })} aria-current={g.key === selected ? 'true' : undefined}>
            <Named name={g.name} code={g.key} />
          </Link>
        ),
      }}
      columns={[
        { header: 'Segment', cell: (g) => g.segment },
        { header: 'Strategy', cell: (g) => <StrategyCell strategy={g.strategy} strategies={strategies} /> },
        { header: 'Specialists', className: 'num', cell: (g) => g.specialistCount },
        {
          header: 'Daily capacity',
          className: 'num',
          cell: (g) => g.dailyCapacity ?? <span title="Not set: a backtest assumes 30 partners a day per active specialist">not set</span>,
        },
        { header: 'Status', cell: (g) => <ActivePill active={g.active} /> },
      ]}
      edit={rights.edit ? { label: (g) => `Edit ${g.key}`, onEdit: (g) => onEdit(g.key) } : undefined}
    />
  );
}

/** The group's strategy, linked, and whether it has a live version to score with. */
function StrategyCell({ strategy, strategies }: { strategy: string | null | undefined; strategies: StrategyOption[] }): ReactElement {
  if (!strategy) return <span className="org-pill is-warn">None yet</span>;
  const found = strategies.find((s) => s.key === strategy);
  return (
    <>
      <Link className="work-link" to={strategyPath(strategy)}>
        {found?.name ?? strategy}
      </Link>
      <span className="segment-key">{found?.activeVersion ? `${strategy} · live v${found.activeVersion.version}` : `${strategy} · no live version`}</span>
    </>
  );
}

const FIELDS = ['key', 'name', 'segment', 'strategy', 'active', 'dailyCapacity'] as const;

function GroupForm({
  current,
  options,
  onClose,
  onSaved,
  onReload,
}: {
  current?: OrgGroupFieldsFragment;
  options: Options;
  onClose: () => void;
  /** The group is saved (a new one is opened). */
  onSaved: (key: string) => void;
  onReload: () => void;
}) {
  const [key, setKey] = useState(current?.key ?? '');
  const [name, setName] = useState(current?.name ?? '');
  const [segment, setSegment] = useState(current?.segment ?? '');
  const [strategy, setStrategy] = useState(current?.strategy ?? '');
  const [active, setActive] = useState(current?.active ?? true);
  const [capacity, setCapacity] = useState(current?.dailyCapacity == null ? '' : String(current.dailyCapacity));
  const [save] = useMutation(SAVE_GROUP, { refetchQueries: REFETCH, awaitRefetchQueries: true });
  const [remove] = useMutation(DELETE_GROUP, { refetchQueries: REFETCH, awaitRefetchQueries: true });
  const input = {
    key,
    name,
    segment,
    strategy: strategy || null,
    active,
    dailyCapacity: capacity.trim() === '' ? null : Number(capacity),
    version: current?.version ?? null,
  };
  const { problem, busy, onSubmit } = useSave(
    FIELDS,
    () => save({ variables: { input } }),
    () => onSaved(key),
  );
  const errors = problem.fields;
  const strategies = options.strategies.edges.map((e) => e.node);
  return (
    <SidePanel title={current ? `Edit group ${current.key}` : 'New collection group'} onClose={onClose}>
      <form className="org-form" onSubmit={onSubmit} noValidate>
        <Field name="key" label="Key" error={errors.key} hint="1–40 characters: A–Z a–z 0–9 _ -">
          <input value={key} onChange={(e) => setKey(e.target.value)} disabled={!!current} autoFocus={!current} />
        </Field>
        <Field name="name" label="Name" error={errors.name}>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field name="segment" label="Segment" error={errors.segment}>
          <select value={segment} onChange={(e) => setSegment(e.target.value)}>
            <option value="">Choose a segment…</option>
            {options.collectionSegments.map((s) => (
              <option key={s.key} value={s.key}>
                {s.name} ({s.key}, {s.currency})
              </option>
            ))}
          </select>
        </Field>
        <Field name="strategy" label="Strategy" error={errors.strategy} hint="Its live version scores the group's worklist.">
          <select value={strategy} onChange={(e) => setStrategy(e.target.value)}>
            <option value="">None yet</option>
            {strategies.map((s) => (
              <option key={s.key} value={s.key}>
                {s.name} ({s.key}){s.activeVersion ? '' : ' · no live version'}
              </option>
            ))}
          </select>
        </Field>
        <Field
          name="dailyCapacity"
          label="Daily capacity (partners)"
          error={errors.dailyCapacity}
          hint="How many partners the group works in a day; backtests measure how much the top of the list collects. Empty: 30 per active specialist."
        >
          <input type="number" min={1} value={capacity} onChange={(e) => setCapacity(e.target.value)} />
        </Field>
        <CheckField name="active" label="Active (inactive groups get no work)" checked={active} onChange={setActive} error={errors.active} />
        <FormFoot problem={problem} busy={busy} creating={!current} onCancel={onClose} onReload={onReload} />
      </form>
      {current && (
        <DeleteZone
          what={`group ${current.key}`}
          onDelete={() => remove({ variables: { key: current.key, version: current.version } })}
          onDeactivate={current.active ? () => save({ variables: { input: { ...stored(current), active: false } } }) : undefined}
          onDone={onClose}
        />
      )}
    </SidePanel>
  );
}

function stored({ key, name, segment, strategy, active, dailyCapacity, version }: OrgGroupFieldsFragment) {
  return { key, name, segment, strategy: strategy ?? null, active, dailyCapacity: dailyCapacity ?? null, version };
}
