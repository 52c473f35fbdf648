import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { OrgAbsenceFieldsFragment } from '../../gql/graphql';
import { today } from '../../lib/dates';
import { DeleteZone, Field, FormFoot, useSave } from './orgForm';
import { SidePanel } from '../../components/SidePanel';
import { DELETE_ABSENCE, GROUP_SPECIALISTS_QUERY, SAVE_ABSENCE } from './queries';

const FIELDS = ['userName', 'startsOn', 'endsOn', 'substitute'] as const;
const REFETCH = ['StudioOrgAbsences', 'StudioOrgGroupDetail'];

/**
 * Records or changes an absence. The specialist is picked within a group, and the substitute
 * among that group's other active specialists (the API refuses anyone else, and a substitute
 * who is away on those days, naming the field).
 */
export function AbsenceForm({
  current,
  group,
  groups,
  onClose,
}: {
  current?: OrgAbsenceFieldsFragment;
  /** The group filtered on, for a new absence. */
  group: string | null;
  groups: { key: string; name: string }[];
  onClose: () => void;
}): ReactElement {
  const [groupKey, setGroupKey] = useState(current?.group ?? group ?? groups[0]?.key ?? '');
  const [userName, setUserName] = useState(current?.userName ?? '');
  const [startsOn, setStartsOn] = useState(current?.startsOn ?? today());
  const [endsOn, setEndsOn] = useState(current?.endsOn ?? today());
  const [substitute, setSubstitute] = useState(current?.substitute ?? '');
  const members = useQuery(GROUP_SPECIALISTS_QUERY, { variables: { group: groupKey }, skip: !groupKey });
  const specialists = members.data?.specialistList.edges.map((e) => e.node) ?? [];
  const [save] = useMutation(SAVE_ABSENCE, { refetchQueries: REFETCH, awaitRefetchQueries: true });
  const [remove] = useMutation(DELETE_ABSENCE, { refetchQueries: REFETCH, awaitRefetchQueries: true });
  const input = { id: current?.id ?? null, userName, startsOn, endsOn, substitute: substitute || null, version: current?.version ?? null };
  const { problem, busy, onSubmit } = useSave(FIELDS, () => save({ variables: { input } }), onClose);
  const errors = problem.fields;
  const pickGroup = (key: string) => {
    setGroupKey(key);
    setUserName('');
    setSubstitute('');
  };
  return (
    <SidePanel title={current ? `Edit absence of ${current.name}` : 'Record an absence'} onClose={onClose}>
      <form className="org-form" onSubmit={onSubmit} noValidate>
        <Field name="group" label="Group">
          <select value={groupKey} onChange={(e) => pickGroup(e.target.value)}>
            {!groupKey && <option value="">Choose a group…</option>}
            {groups.map((g) => (
              <option key={g.key} value={g.key}>
                {g.name} ({g.key})
              </option>
            ))}
          </select>
        </Field>
        <Field name="userName" label="Specialist" error={errors.userName}>
          <select value={userName} onChange={(e) => setUserName(e.target.value)}>
            <option value="">Choose who is away…</option>
            {specialists.map((s) => (
              <option key={s.userName} value={s.userName}>
                {s.name} ({s.userName}){s.active ? '' : ' · inactive'}
              </option>
            ))}
          </select>
        </Field>
        <div className="org-field-row">
          <Field name="startsOn" label="First day" error={errors.startsOn}>
            <input type="date" value={startsOn} onChange={(e) => setStartsOn(e.target.value)} />
          </Field>
          <Field name="endsOn" label="Last day" error={errors.endsOn}>
            <input type="date" value={endsOn} onChange={(e) => setEndsOn(e.target.value)} />
          </Field>
        </div>
        <Field name="substitute" label="Substitute" error={errors.substitute} hint="An active specialist of the same group who is not away then.">
          <select value={substitute} onChange={(e) => setSubstitute(e.target.value)}>
            <option value="">No substitute: deal the work within the group</option>
            {specialists
              .filter((s) => s.active && s.userName !== userName)
              .map((s) => (
                <option key={s.userName} value={s.userName}>
                  {s.name} ({s.userName})
                </option>
              ))}
          </select>
        </Field>
        <FormFoot problem={problem} busy={busy} creating={!current} onCancel={onClose} />
      </form>
      {current && (
        <DeleteZone
          what={`the absence of ${current.name}`}
          onDelete={() => remove({ variables: { id: current.id, version: current.version } })}
          onDone={onClose}
        />
      )}
    </SidePanel>
  );
}
