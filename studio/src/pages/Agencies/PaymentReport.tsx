import { useState, type ReactElement } from 'react';
import { useMutation } from '@apollo/client/react';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import type { StudioRecoveryImportPaymentsMutation } from '../../gql/graphql';
import { errorMessage } from '../../lib/errors';
import type { RecoveryRights } from './RecoveryPage';
import { IMPORT_PAYMENTS } from './queries';

type Imported = StudioRecoveryImportPaymentsMutation['importAgencyPayments'];
/** A refused report: the server's message and, when it names them, the line and column at fault. */
interface Refusal {
  message: string;
  line: number | null;
  column: string | null;
}

const HEADER = 'agency,item_id,payment_date,amount,currency';

/**
 * An agency's payment report (agency_payments.csv) uploaded or pasted: each payment clears its
 * placed item and counts for the agency's commission. One bad row refuses the whole report.
 */
export function PaymentReport({ rights, loading }: { rights: RecoveryRights; loading: boolean }): ReactElement {
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [result, setResult] = useState<Imported | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [run, { loading: busy }] = useMutation(IMPORT_PAYMENTS, { refetchQueries: ['StudioRecoveryPlacements', 'StudioRecoverySettlement'] });
  if (!loading && !rights.supervise) return <p className="notice">Importing an agency&apos;s payment report takes a SUPERVISOR or ADMIN token.</p>;
  return (
    <section className="card recovery-report" aria-label="Payment report">
      <div className="card-header org-card-header">
        <div>
          <h2>Agency payment report</h2>
          <p className="muted">
            The payments an agency collected, as <code>agency_payments.csv</code>: <code>{HEADER}</code>. Each payment is booked on its placed item and clears
            it by the amount; one bad row refuses the whole report and nothing is written. Importing the same report again applies nothing twice.
          </p>
        </div>
      </div>
      <form
        className="recovery-report-form"
        onSubmit={(e) => {
          e.preventDefault();
          setResult(null);
          setRefusal(null);
          run({ variables: { csv } })
            .then(({ data }) => setResult(data?.importAgencyPayments ?? null))
            .catch((err: unknown) => setRefusal(refusalOf(err)));
        }}
      >
        <label className="work-field">
          Report file
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              setFileName(file.name);
              setResult(null);
              setRefusal(null);
              void file.text().then(setCsv);
            }}
          />
        </label>
        <label className="work-field">
          {fileName ? `Contents of ${fileName}` : 'Or paste the report'}
          <textarea
            className="recovery-csv"
            value={csv}
            onChange={(e) => setCsv(e.target.value)}
            rows={8}
            placeholder={`${HEADER}\nAG1,INV-1001,2026-04-15,120.00,EUR`}
          />
        </label>
        <div className="org-form-foot">
          <button type="submit" className="button button-primary" disabled={busy || csv.trim() === ''}>
            {busy ? 'Importing…' : 'Import report'}
          </button>
        </div>
      </form>
      {refusal && (
        <div className="org-problem recovery-refusal" role="alert">
          <p>
            <strong>Nothing was imported.</strong>{' '}
            {refusal.line !== null && (
              <>
                Line {refusal.line}
                {refusal.column ? `, column ${refusal.column}` : ''}:{' '}
              </>
            )}
            {refusal.message}
          </p>
          {refusal.line !== null && csv.split(/\r?\n/)[refusal.line - 1] !== undefined && (
            <pre className="recovery-bad-line">{csv.split(/\r?\n/)[refusal.line - 1]}</pre>
          )}
        </div>
      )}
      {result && (
        <div className="notice is-ok recovery-outcome" role="status">
          <p>
            {result.rows} row{result.rows === 1 ? '' : 's'}: {result.applied} payment{result.applied === 1 ? '' : 's'} applied
            {result.alreadyApplied > 0 ? `, ${result.alreadyApplied} already applied by an earlier import` : ''}.
          </p>
          {result.clearedItems.length > 0 && <p>Cleared: {result.clearedItems.join(', ')}.</p>}
        </div>
      )}
    </section>
  );
}

/** The line and column a BAD_USER_INPUT names (extensions.line, extensions.column), else the message alone. */
function refusalOf(error: unknown): Refusal {
  if (CombinedGraphQLErrors.is(error) && error.errors.length > 0) {
    const [first] = error.errors;
    const extensions = first!.extensions ?? {};
    const line = typeof extensions.line === 'number' ? extensions.line : null;
    const column = typeof extensions.column === 'string' ? extensions.column : null;
    // The message repeats "agency_payments.csv line N, column C: "; the studio shows those apart.
    const message = line !== null ? first!.message.replace(/^[^:]*line \d+(, column [^:]+)?: /, '') : first!.message;
    return { message, line, column };
  }
  return { message: errorMessage(error), line: null, column: null };
}
