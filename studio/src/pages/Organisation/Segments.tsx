import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { OrgSegmentFieldsFragment } from '../../gql/graphql';
import { formatInteger } from '../../lib/format';
import type { Editing } from './CompanyCodes';
import type { OrgRights } from './OrganisationPage';
import { DeleteZone, Field, FormFoot, KeyChecklist, SidePanel, useSave } from './orgForm';
import { KeyTags, Named, TableCard } from './parts';
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
        action={
          rights.edit && (
            <button type="button" className="button button-primary" onClick={() => setEditing({ key: null })}>
              New segment
            </button>
          )
        }
        loading={!data && loading}
        error={error}
        empty={data && rows.length === 0 ? 'No segment yet. An AR import registers those its partners name.' : null}
      >
        <table className="table org-table">
          <thead>
            <tr>
              <th>Segment</th>
              <th>Currency</th>
              <th>Company codes</th>
              <th>Groups</th>
              <th className="num">Partners</th>
              {rights.edit && <th className="org-actions-col" aria-label="Actions" />}
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr key={s.key} data-key={s.key}>
                <th scope="row">
                  <Named name={s.name} code={s.key} />
                </th>
                <td>{s.currency}</td>
                <td>
                  <KeyTags keys={s.companyCodes} />
                </td>
                <td>
                  <KeyTags keys={s.groups} />
                </td>
                <td className="num">{formatInteger(s.partners)}</td>
                {rights.edit && (
                  <td className="org-actions-col">
                    <button type="button" className="button" onClick={() => setEditing({ key: s.key })} aria-label={`Edit ${s.key}`}>
                      Edit
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
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
