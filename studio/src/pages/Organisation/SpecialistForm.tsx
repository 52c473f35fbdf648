import { useState, type ReactElement } from 'react';
import { useMutation } from '@apollo/client/react';
import type { OrgSpecialistFieldsFragment } from '../../gql/graphql';
import { CheckField, DeleteZone, Field, FormFoot, orNull, useSave } from './orgForm';
import { SidePanel } from '../../components/SidePanel';
import { DELETE_SPECIALIST, SAVE_SPECIALIST } from './queries';

const FIELDS = ['userName', 'name', 'email', 'group', 'active'] as const;
const REFETCH = ['StudioOrgGroupDetail', 'StudioOrgGroups', 'StudioOrgGroupSpecialists'];

/** A specialist of a group: create one, or change, move, deactivate or delete them. */
export function SpecialistForm({
  current,
  group,
  groups,
  onClose,
}: {
  current?: OrgSpecialistFieldsFragment;
  /** The group the form was opened from (a new specialist joins it). */
  group: string;
  groups: string[];
  onClose: () => void;
}): ReactElement {
  const [userName, setUserName] = useState(current?.userName ?? '');
  const [name, setName] = useState(current?.name ?? '');
  const [email, setEmail] = useState(current?.email ?? '');
  const [groupKey, setGroupKey] = useState(current ? (current.group ?? '') : group);
  const [active, setActive] = useState(current?.active ?? true);
  const [save] = useMutation(SAVE_SPECIALIST, { refetchQueries: REFETCH, awaitRefetchQueries: true });
  const [remove] = useMutation(DELETE_SPECIALIST, { refetchQueries: REFETCH, awaitRefetchQueries: true });
  const input = { userName, name, email: orNull(email), group: orNull(groupKey), active, version: current?.version ?? null };
  const { problem, busy, onSubmit } = useSave(FIELDS, () => save({ variables: { input } }), onClose);
  const errors = problem.fields;
  return (
    <SidePanel title={current ? `Edit ${current.name}` : `New specialist in ${group}`} onClose={onClose}>
      <form className="org-form" onSubmit={onSubmit} noValidate>
        <Field name="userName" label="User name" error={errors.userName} hint="1–60 characters: A–Z a–z 0–9 . _ @ -">
          <input value={userName} onChange={(e) => setUserName(e.target.value)} disabled={!!current} autoFocus={!current} />
        </Field>
        <Field name="name" label="Name" error={errors.name}>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field name="email" label="E-mail" error={errors.email}>
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field name="group" label="Collection group" error={errors.group}>
          <select value={groupKey} onChange={(e) => setGroupKey(e.target.value)}>
            <option value="">In no group</option>
            {groups.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </Field>
        <CheckField name="active" label="Active (inactive specialists get no new work)" checked={active} onChange={setActive} error={errors.active} />
        <FormFoot problem={problem} busy={busy} creating={!current} onCancel={onClose} />
      </form>
      {current && (
        <DeleteZone
          what={current.name}
          onDelete={() => remove({ variables: { userName: current.userName, version: current.version } })}
          onDeactivate={current.active ? () => save({ variables: { input: { ...stored(current), active: false } } }) : undefined}
          onDone={onClose}
        />
      )}
    </SidePanel>
  );
}

function stored({ userName, name, email, group, active, version }: OrgSpecialistFieldsFragment) {
  return { userName, name, email: email ?? null, group: group ?? null, active, version };
}
