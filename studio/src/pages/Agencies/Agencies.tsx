import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { SidePanel } from '../../components/SidePanel';
import type { RecoveryAgencyFieldsFragment } from '../../gql/graphql';
import { CheckField, DeleteZone, Field, FormFoot, orNull, useSave } from '../Organisation/orgForm';
import { ActivePill, Named, NewButton, OrgTable, TableCard } from '../Organisation/parts';
import type { RecoveryRights } from './RecoveryPage';
import { AGENCIES_QUERY, DELETE_AGENCY, SAVE_AGENCY } from './queries';

const REFETCH = ['StudioRecoveryAgencies', 'StudioRecoveryProposalOptions'];
const FIELDS = ['key', 'name', 'email', 'commissionPercent', 'countDirectPayments', 'active'] as const;

/** The collection agencies, configured like collection groups: ADMIN creates, edits and deactivates; everyone reads. */
export function Agencies({ rights }: { rights: RecoveryRights }): ReactElement {
  const { data, loading, error, refetch } = useQuery(AGENCIES_QUERY, { fetchPolicy: 'cache-and-network' });
  const [editing, setEditing] = useState<{ key: string | null } | null>(null);
  const rows = data?.agencies ?? [];
  const open = editing?.key ? rows.find((r) => r.key === editing.key) : undefined;
  return (
    <>
      {!rights.admin && <p className="notice org-readonly">Read only: configuring agencies takes an ADMIN token.</p>}
      <TableCard
        title="Collection agencies"
        description="External agencies partners are placed with; each earns its commission percent of what is collected during a placement."
        action={<NewButton label="New agency" show={rights.admin} onClick={() => setEditing({ key: null })} />}
        loading={!data && loading}
        error={error}
        empty={data && rows.length === 0 ? 'No collection agency yet: nothing can be placed until one is set up.' : null}
      >
        <OrgTable
          rows={rows}
          rowKey={(a) => a.key}
          rowAttributes={(a) => ({ 'data-key': a.key })}
          head={{ header: 'Agency', cell: (a) => <Named name={a.name} code={a.key} /> }}
          columns={[
            { header: 'Contact', cell: (a) => a.email ?? <span className="muted">–</span> },
            { header: 'Commission', className: 'num', cell: (a) => `${a.commissionPercent} %` },
            { header: 'Direct payments', cell: (a) => (a.countDirectPayments ? 'earn commission' : 'do not count') },
            { header: 'Status', cell: (a) => <ActivePill active={a.active} /> },
          ]}
          edit={rights.admin ? { label: (a) => `Edit ${a.key}`, onEdit: (a) => setEditing({ key: a.key }) } : undefined}
        />
      </TableCard>
      {editing && (editing.key === null || open) && (
        <AgencyForm key={`${editing.key}:${open?.version}`} current={open} onClose={() => setEditing(null)} onReload={() => void refetch()} />
      )}
    </>
  );
}

function AgencyForm({ current, onClose, onReload }: { current?: RecoveryAgencyFieldsFragment; onClose: () => void; onReload: () => void }): ReactElement {
  const [key, setKey] = useState(current?.key ?? '');
  const [name, setName] = useState(current?.name ?? '');
  const [email, setEmail] = useState(current?.email ?? '');
  const [percent, setPercent] = useState(current?.commissionPercent ?? '');
  const [direct, setDirect] = useState(current?.countDirectPayments ?? true);
  const [active, setActive] = useState(current?.active ?? true);
  const [save] = useMutation(SAVE_AGENCY, { refetchQueries: REFETCH, awaitRefetchQueries: true });
  const [remove] = useMutation(DELETE_AGENCY, { refetchQueries: REFETCH, awaitRefetchQueries: true });
  const input = { key, name, email: orNull(email), commissionPercent: percent.trim(), countDirectPayments: direct, active, version: current?.version ?? null };
  const { problem, busy, onSubmit } = useSave(FIELDS, () => save({ variables: { input } }), onClose);
  const errors = problem.fields;
  return (
    <SidePanel title={current ? `Edit agency ${current.key}` : 'New collection agency'} onClose={onClose}>
      <form className="org-form" onSubmit={onSubmit} noValidate>
        <Field name="key" label="Key" error={errors.key} hint="1–40 characters: A–Z a–z 0–9 _ -; the agency's files and reports name it.">
          <input value={key} onChange={(e) => setKey(e.target.value)} disabled={!!current} autoFocus={!current} />
        </Field>
        <Field name="name" label="Name" error={errors.name}>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field name="email" label="Contact e-mail" error={errors.email}>
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field
          name="commissionPercent"
          label="Commission (%)"
          error={errors.commissionPercent}
          hint="0 to 100, at most two decimals, of what is collected during a placement."
        >
          <input inputMode="decimal" value={percent} onChange={(e) => setPercent(e.target.value)} />
        </Field>
        <CheckField
          name="countDirectPayments"
          label="Payments made to us directly on placed items earn commission too"
          checked={direct}
          onChange={setDirect}
          error={errors.countDirectPayments}
        />
        <CheckField name="active" label="Active (inactive agencies take no new placements)" checked={active} onChange={setActive} error={errors.active} />
        <FormFoot problem={problem} busy={busy} creating={!current} onCancel={onClose} onReload={onReload} />
      </form>
      {current && (
        <DeleteZone
          what={`agency ${current.key}`}
          onDelete={() => remove({ variables: { key: current.key, version: current.version } })}
          onDeactivate={current.active ? () => save({ variables: { input: { ...stored(current), active: false } } }) : undefined}
          onDone={onClose}
        />
      )}
    </SidePanel>
  );
}

function stored({ key, name, email, commissionPercent, countDirectPayments, active, version }: RecoveryAgencyFieldsFragment) {
  return { key, name, email: email ?? null, commissionPercent, countDirectPayments, active, version };
}
