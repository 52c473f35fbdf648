import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { OrgSegmentFieldsFragment } from '../../gql/graphql';
import { formatInteger } from '../../lib/format';
import type { Editing } from './CompanyCodes';
import type { OrgRights } from './OrganisationPage';
import { DeleteZone, Field, FormFoot, KeyChecklist, useSave } from './orgForm';
import { SidePanel } from '../../components/SidePanel';
import { KeyTags, Named, NewButton, OrgTable, TableCard } from './parts';
import { DELETE_SEGMENT, SAVE_SEGMENT, SEGMENTS_QUERY } from './queries';

const REFETCH = ['StudioOrgSegments', 'StudioOrgProfiles', 'StudioOrgGroups'];

/** The collection segments: which company codes each covers, its currency, the groups working it. */
export function Segments({ rights }: { rights: OrgRights }): ReactElement {
  const { data, loading, error, refetch } = useQuery(SEGMENTS_QUERY, { fetchPolicy: 'cache-and-network' });
  const [editing, setEditing] = useState<Editing>(null);
  const rows = data?.collectionSegments ?? [];
  const open = editing?.key ? rows.find((r) => r.key === editing.key) : undefined;
  return (
    <>
      <TableCard
        title="Segments"
        description="A segment covers company codes, is scored in its currency and worked by collection groups."
        action={<NewButton label="New segment" show={rights.edit} onClick={() => setEditing({ key: null })} />}
        loading={!data && loading}
        error={error}
        empty={data && rows.length === 0 ? 'No segment yet. An AR import registers those its partners name.' : null}
      >
        <OrgTable
          rows={rows}
          rowKey={(s) => s.key}
          rowAttributes={(s) => ({ 'data-key': s.key })}
          head={{ header: 'Segment', cell: (s) => <Named name={s.name} code={s.key} /> }}
          columns={[
            { header: 'Currency', cell: (s) => s.currency },
            { header: 'Company codes', cell: (s) => <KeyTags keys={s.companyCodes} /> },
            { header: 'Groups', cell: (s) => <KeyTags keys={s.groups} /> },
            { header: 'Partners', className: 'num', cell: (s) => formatInteger(s.partners) },
          ]}
          edit={rights.edit ? { label: (s) => `Edit ${s.key}`, onEdit: (s) => setEditing({ key: s.key }) } : undefined}
        />
      </TableCard>
      {editing && (editing.key === null || open) && (
        <SegmentForm
          key={`${editing.key}:${open?.version}`}
          current={open}
          companyCodes={data?.companyCodes ?? []}
          onClose={() => setEditing(null)}
          onReload={() => void refetch()}
        />
      )}
    </>
  );
}

const FIELDS = ['key', 'name', 'currency', 'companyCodes'] as const;

function SegmentForm({
  current,
  companyCodes,
  onClose,
  onReload,
}: {
  current?: OrgSegmentFieldsFragment;
  companyCodes: { code: string; name: string; active: boolean }[];
  onClose: () => void;
  onReload: () => void;
}): ReactElement {
  const [key, setKey] = useState(current?.key ?? '');
  const [name, setName] = useState(current?.name ?? '');
  const [currency, setCurrency] = useState(current?.currency ?? '');
  const [codes, setCodes] = useState<string[]>(current?.companyCodes ?? []);
  const [save] = useMutation(SAVE_SEGMENT, { refetchQueries: REFETCH, awaitRefetchQueries: true });
  const [remove] = useMutation(DELETE_SEGMENT, { refetchQueries: REFETCH, awaitRefetchQueries: true });
  const input = { key, name, currency, companyCodes: codes, version: current?.version ?? null };
  const { problem, busy, onSubmit } = useSave(FIELDS, () => save({ variables: { input } }), onClose);
  const errors = problem.fields;
  return (
    <SidePanel title={current ? `Edit segment ${current.key}` : 'New segment'} onClose={onClose}>
      <form className="org-form" onSubmit={onSubmit} noValidate>
        <Field name="key" label="Key" error={errors.key} hint="1–40 characters: A–Z a–z 0–9 _ -">
          <input value={key} onChange={(e) => setKey(e.target.value)} disabled={!!current} autoFocus={!current} />
        </Field>
        <Field name="name" label="Name" error={errors.name}>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field name="currency" label="Currency" error={errors.currency} hint="ISO 4217: the segment is scored and shown in it">
          <input value={currency} onChange={(e) => setCurrency(e.target.value)} />
        </Field>
        <KeyChecklist
          name="companyCodes"
          label="Company codes it covers"
          options={companyCodes.map((c) => ({ key: c.code, label: c.active ? c.name : `${c.name} (inactive)`, muted: !c.active }))}
          value={codes}
          onChange={setCodes}
          error={errors.companyCodes}
        />
        <FormFoot problem={problem} busy={busy} creating={!current} onCancel={onClose} onReload={onReload} />
      </form>
      {current && (
        <DeleteZone what={`segment ${current.key}`} onDelete={() => remove({ variables: { key: current.key, version: current.version } })} onDone={onClose} />
      )}
    </SidePanel>
  );
}
