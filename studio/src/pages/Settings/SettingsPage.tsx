import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { graphql } from '../../gql';
import { errorMessage } from '../../lib/errors';
import { CONFIGURATORS, mayCall } from '../../lib/roles';
import { useViewer } from '../../lib/viewer';
import '../../components/work.css';
import './settings.css';

const LISTS_QUERY = graphql(`
  query StudioSettingsLists {
    contactResults {
      code
      description
      completesWorklistItem
      active
    }
    disputeRootCauses {
      code
      description
      active
    }
  }
`);

const SAVE_RESULT_MUTATION = graphql(`
  mutation StudioSaveContactResult($input: ContactResultInput!) {
    saveContactResult(input: $input) {
      code
      description
      completesWorklistItem
      active
    }
  }
`);

const SAVE_CAUSE_MUTATION = graphql(`
  mutation StudioSaveDisputeRootCause($input: DisputeRootCauseInput!) {
    saveDisputeRootCause(input: $input) {
      code
      description
      active
    }
  }
`);

/** Every form that offers the lists reads them again (the contact and dispute forms). */
const REFETCH = ['StudioSettingsLists', 'StudioWorkConfig'];

/** A row of either list; `completes` only for contact results. */
interface Entry {
  code: string;
  description: string;
  active: boolean;
  completes?: boolean;
}

/** /settings: the configurable lists the contact and dispute forms offer; CONFIGURATORS edit them, others read. */
export function SettingsPage(): ReactElement {
  const { data, error } = useQuery(LISTS_QUERY);
  const { role } = useViewer();
  const edit = mayCall(role, CONFIGURATORS);
  const [saveResult] = useMutation(SAVE_RESULT_MUTATION, { refetchQueries: REFETCH });
  const [saveCause] = useMutation(SAVE_CAUSE_MUTATION, { refetchQueries: REFETCH });
  return (
    <main className="main">
      <header className="page-header">
        <div>
          <h1>Settings</h1>
          <p className="subtitle">The lists people choose from when they record a contact or work a dispute. A code in use is deactivated, never deleted.</p>
        </div>
      </header>
      {error && (
        <div className="notice" role="alert">
          {error.message}
        </div>
      )}
      {data && (
        <div className="settings-lists">
          <EntryList
            title="Contact results"
            hint="Once any is configured, a contact's result must be an active code."
            entries={data.contactResults.map((r) => ({ code: r.code, description: r.description, active: r.active, completes: r.completesWorklistItem }))}
            withCompletes
            edit={edit}
            save={async (e) => {
              await saveResult({
                variables: { input: { code: e.code, description: e.description, active: e.active, completesWorklistItem: e.completes ?? false } },
              });
            }}
          />
          <EntryList
            title="Dispute root causes"
            hint="Only active causes can be set on a dispute."
            entries={data.disputeRootCauses}
            edit={edit}
            save={async (e) => {
              await saveCause({ variables: { input: { code: e.code, description: e.description, active: e.active } } });
            }}
          />
        </div>
      )}
    </main>
  );
}

function EntryList({
  title,
  hint,
  entries,
  withCompletes = false,
  edit,
  save,
}: {
  title: string;
  hint: string;
  entries: Entry[];
  withCompletes?: boolean;
  edit: boolean;
  save: (e: Entry) => Promise<void>;
}): ReactElement {
  return (
    <section className="card table-card" aria-label={title}>
      <div className="card-header">
        <h2>{title}</h2>
        <p className="muted">{hint}</p>
      </div>
      <table className="table settings-table">
        <thead>
          <tr>
            <th>Code</th>
            <th>Description</th>
            {withCompletes && <th>Completes the item</th>}
            <th>Active</th>
            {edit && <th aria-label="Actions" />}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <EntryRow key={e.code} entry={e} withCompletes={withCompletes} edit={edit} save={save} />
          ))}
          {edit && <EntryRow key={`new-${entries.length}`} entry={null} withCompletes={withCompletes} edit save={save} />}
          {!edit && entries.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                None configured.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

/** One entry, edited in place (or the empty row that adds one); saved by its button, the server's message under it. */
function EntryRow({
  entry,
  withCompletes,
  edit,
  save,
}: {
  entry: Entry | null;
  withCompletes: boolean;
  edit: boolean;
  save: (e: Entry) => Promise<void>;
}): ReactElement {
  const [draft, setDraft] = useState<Entry>(entry ?? { code: '', description: '', active: true, completes: false });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const changed = !entry || draft.description !== entry.description || draft.active !== entry.active || draft.completes !== entry.completes;
  const name = entry ? entry.code : 'new entry';
  if (!edit && entry)
    return (
      <tr>
        <td className="segment-key">{entry.code}</td>
        <td>{entry.description}</td>
        {withCompletes && <td>{entry.completes ? 'yes' : 'no'}</td>}
        <td>{entry.active ? 'yes' : 'no'}</td>
      </tr>
    );
  return (
    <tr className={entry ? undefined : 'settings-new'}>
      <td>
        {entry ? (
          <span className="segment-key">{entry.code}</span>
        ) : (
          <input aria-label="New code" value={draft.code} placeholder="NEW_CODE" onChange={(e) => setDraft({ ...draft, code: e.target.value.toUpperCase() })} />
        )}
      </td>
      <td>
        <input aria-label={`Description of ${name}`} value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} />
        {problem && (
          <span className="work-error" role="alert">
            {problem}
          </span>
        )}
      </td>
      {withCompletes && (
        <td>
          <input
            type="checkbox"
            aria-label={`${name} completes the worklist item`}
            checked={draft.completes ?? false}
            onChange={(e) => setDraft({ ...draft, completes: e.target.checked })}
          />
        </td>
      )}
      <td>
        <input type="checkbox" aria-label={`${name} active`} checked={draft.active} onChange={(e) => setDraft({ ...draft, active: e.target.checked })} />
      </td>
      <td>
        <button
          type="button"
          className={entry ? 'button' : 'button button-primary'}
          disabled={busy || !changed || !draft.code.trim() || !draft.description.trim()}
          aria-label={entry ? `Save ${entry.code}` : 'Add'}
          onClick={() => {
            setBusy(true);
            setProblem(null);
            save({ ...draft, code: draft.code.trim(), description: draft.description.trim() })
              .catch((err: unknown) => setProblem(errorMessage(err)))
              .finally(() => setBusy(false));
          }}
        >
          {entry ? 'Save' : 'Add'}
        </button>
      </td>
    </tr>
  );
}
