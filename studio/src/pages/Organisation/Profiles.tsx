import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { StudioOrgProfilesQuery } from '../../gql/graphql';
import type { Editing } from './CompanyCodes';
import type { OrgRights } from './OrganisationPage';
import { DeleteZone, Field, FormFoot, KeyChecklist, useSave } from './orgForm';
import { SidePanel } from '../../components/SidePanel';
import { KeyTags, Named, NewButton, OrgTable, TableCard } from './parts';
import { DELETE_PROFILE, PROFILES_QUERY, SAVE_PROFILE } from './queries';

type Profile = StudioOrgProfilesQuery['collectionProfiles'][number];
const REFETCH = ['StudioOrgProfiles'];

/** The collection profiles: bundles of segments a partner can be given. */
export function Profiles({ rights }: { rights: OrgRights }): ReactElement {
  const { data, loading, error, refetch } = useQuery(PROFILES_QUERY, { fetchPolicy: 'cache-and-network' });
  const [editing, setEditing] = useState<Editing>(null);
  const rows = data?.collectionProfiles ?? [];
  const open = editing?.key ? rows.find((r) => r.key === editing.key) : undefined;
  const segmentName = new Map((data?.collectionSegments ?? []).map((s) => [s.key, s.name]));
  return (
    <>
      <TableCard
        title="Profiles"
        description="A profile bundles segments; partners are given one."
        action={<NewButton label="New profile" show={rights.edit} onClick={() => setEditing({ key: null })} />}
        loading={!data && loading}
        error={error}
        empty={data && rows.length === 0 ? 'No profile yet.' : null}
      >
        <OrgTable
          rows={rows}
          rowKey={(p) => p.key}
          rowAttributes={(p) => ({ 'data-key': p.key })}
          head={{ header: 'Profile', cell: (p) => <Named name={p.name} code={p.key} /> }}
          columns={[
            {
              header: 'Segments',
              cell: (p) => <KeyTags keys={p.segments} />,
              attributes: (p) => ({ title: p.segments.map((s) => segmentName.get(s) ?? s).join(', ') }),
            },
          ]}
          edit={rights.edit ? { label: (p) => `Edit ${p.key}`, onEdit: (p) => setEditing({ key: p.key }) } : undefined}
        />
      </TableCard>
      {editing && (editing.key === null || open) && (
        <ProfileForm
          key={`${editing.key}:${open?.version}`}
          current={open}
          segments={data?.collectionSegments ?? []}
          onClose={() => setEditing(null)}
          onReload={() => void refetch()}
        />
      )}
    </>
  );
}

const FIELDS = ['key', 'name', 'segments'] as const;

function ProfileForm({
  current,
  segments,
  onClose,
  onReload,
}: {
  current?: Profile;
  segments: { key: string; name: string }[];
  onClose: () => void;
  onReload: () => void;
}): ReactElement {
  const [key, setKey] = useState(current?.key ?? '');
  const [name, setName] = useState(current?.name ?? '');
  const [picked, setPicked] = useState<string[]>(current?.segments ?? []);
  const [save] = useMutation(SAVE_PROFILE, { refetchQueries: REFETCH, awaitRefetchQueries: true });
  const [remove] = useMutation(DELETE_PROFILE, { refetchQueries: REFETCH, awaitRefetchQueries: true });
  const input = { key, name, segments: picked, version: current?.version ?? null };
  const { problem, busy, onSubmit } = useSave(FIELDS, () => save({ variables: { input } }), onClose);
  const errors = problem.fields;
  return (
    <SidePanel title={current ? `Edit profile ${current.key}` : 'New profile'} onClose={onClose}>
      <form className="org-form" onSubmit={onSubmit} noValidate>
        <Field name="key" label="Key" error={errors.key} hint="1–40 characters: A–Z a–z 0–9 _ -">
          <input value={key} onChange={(e) => setKey(e.target.value)} disabled={!!current} autoFocus={!current} />
        </Field>
        <Field name="name" label="Name" error={errors.name}>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <KeyChecklist
          name="segments"
          label="Segments"
          options={segments.map((s) => ({ key: s.key, label: s.name }))}
          value={picked}
          onChange={setPicked}
          error={errors.segments}
        />
        <FormFoot problem={problem} busy={busy} creating={!current} onCancel={onClose} onReload={onReload} />
      </form>
      {current && (
        <DeleteZone what={`profile ${current.key}`} onDelete={() => remove({ variables: { key: current.key, version: current.version } })} onDone={onClose} />
      )}
    </SidePanel>
  );
}
