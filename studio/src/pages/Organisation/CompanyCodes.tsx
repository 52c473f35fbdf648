import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { OrgCompanyCodeFieldsFragment } from '../../gql/graphql';
import type { OrgRights } from './OrganisationPage';
import { CheckField, DeleteZone, Field, FormFoot, orNull, useSave } from './orgForm';
import { SidePanel } from '../../components/SidePanel';
import { ActivePill, Named, NewButton, OrgTable, TableCard } from './parts';
import { COMPANY_CODES_QUERY, DELETE_COMPANY_CODE, SAVE_COMPANY_CODE } from './queries';

/** Which object a panel is open for: a new one, or the one with this key. */
export type Editing = { key: string | null } | null;

const REFETCH = ['StudioOrgCompanyCodes', 'StudioOrgSegments'];

/** The company codes: the legal entities posting receivables, with their promise tolerance. */
export function CompanyCodes({ rights }: { rights: OrgRights }): ReactElement {
  const { data, loading, error, refetch } = useQuery(COMPANY_CODES_QUERY, { fetchPolicy: 'cache-and-network' });
  const [editing, setEditing] = useState<Editing>(null);
  const rows = data?.companyCodes ?? [];
  const open = editing?.key ? rows.find((r) => r.code === editing.key) : undefined;
  return (
    <>
      <TableCard
        title="Company codes"
        description="Legal entities posting receivables; a promise is kept when paid within its tolerance days."
        action={<NewButton label="New company code" show={rights.edit} onClick={() => setEditing({ key: null })} />}
        loading={!data && loading}
        error={error}
        empty={data && rows.length === 0 ? 'No company code yet. An AR import registers those its items name.' : null}
      >
        <OrgTable
          rows={rows}
          rowKey={(c) => c.code}
          rowAttributes={(c) => ({ 'data-key': c.code })}
          head={{ header: 'Company', cell: (c) => <Named name={c.name} code={c.code} /> }}
          columns={[
            { header: 'Country', cell: (c) => c.country ?? <span className="muted">–</span> },
            { header: 'Currency', cell: (c) => c.currency ?? <span className="muted">–</span> },
            { header: 'Tolerance', className: 'num', cell: (c) => `${c.promiseToleranceDays} ${c.promiseToleranceDays === 1 ? 'day' : 'days'}` },
            { header: 'Status', cell: (c) => <ActivePill active={c.active} /> },
          ]}
          edit={rights.edit ? { label: (c) => `Edit ${c.code}`, onEdit: (c) => setEditing({ key: c.code }) } : undefined}
        />
      </TableCard>
      {editing && (editing.key === null || open) && (
        <CompanyCodeForm key={`${editing.key}:${open?.version}`} current={open} onClose={() => setEditing(null)} onReload={() => void refetch()} />
      )}
    </>
  );
}

const FIELDS = ['code', 'name', 'country', 'currency', 'promiseToleranceDays', 'active'] as const;

function CompanyCodeForm({ current, onClose, onReload }: { current?: OrgCompanyCodeFieldsFragment; onClose: () => void; onReload: () => void }): ReactElement {
  const [code, setCode] = useState(current?.code ?? '');
  const [name, setName] = useState(current?.name ?? '');
  const [country, setCountry] = useState(current?.country ?? '');
  const [currency, setCurrency] = useState(current?.currency ?? '');
  const [tolerance, setTolerance] = useState(String(current?.promiseToleranceDays ?? 3));
  const [active, setActive] = useState(current?.active ?? true);
  const [save] = useMutation(SAVE_COMPANY_CODE, { refetchQueries: REFETCH, awaitRefetchQueries: true });
  const [remove] = useMutation(DELETE_COMPANY_CODE, { refetchQueries: REFETCH, awaitRefetchQueries: true });
  const input = {
    code,
    name,
    country: orNull(country),
    currency: orNull(currency),
    promiseToleranceDays: tolerance.trim() === '' ? null : Number(tolerance),
    active,
    version: current?.version ?? null,
  };
  const { problem, busy, onSubmit } = useSave(FIELDS, () => save({ variables: { input } }), onClose);
  const errors = problem.fields;
  return (
    <SidePanel title={current ? `Edit company code ${current.code}` : 'New company code'} onClose={onClose}>
      <form className="org-form" onSubmit={onSubmit} noValidate>
        <Field name="code" label="Code" error={errors.code} hint="1–40 characters: A–Z a–z 0–9 _ -">
          <input value={code} onChange={(e) => setCode(e.target.value)} disabled={!!current} required autoFocus={!current} />
        </Field>
        <Field name="name" label="Name" error={errors.name}>
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <div className="org-field-row">
          <Field name="country" label="Country" error={errors.country} hint="ISO 3166, e.g. DE">
            <input value={country} onChange={(e) => setCountry(e.target.value)} />
          </Field>
          <Field name="currency" label="Currency" error={errors.currency} hint="ISO 4217, e.g. EUR">
            <input value={currency} onChange={(e) => setCurrency(e.target.value)} />
          </Field>
        </div>
        <Field name="promiseToleranceDays" label="Promise tolerance (days)" error={errors.promiseToleranceDays} hint="0–365">
          <input type="number" value={tolerance} onChange={(e) => setTolerance(e.target.value)} />
        </Field>
        <CheckField name="active" label="Active" checked={active} onChange={setActive} error={errors.active} />
        <FormFoot problem={problem} busy={busy} creating={!current} onCancel={onClose} onReload={onReload} />
      </form>
      {current && (
        <DeleteZone
          what={`company code ${current.code}`}
          onDelete={() => remove({ variables: { code: current.code, version: current.version } })}
          onDeactivate={current.active ? () => save({ variables: { input: { ...stored(current), active: false } } }) : undefined}
          onDone={onClose}
        />
      )}
    </SidePanel>
  );
}

/** The stored company code as a save's input (deactivating changes only the flag). */
function stored({ code, name, country, currency, promiseToleranceDays, active, version }: OrgCompanyCodeFieldsFragment) {
  return { code, name, country, currency, promiseToleranceDays, active, version };
}
