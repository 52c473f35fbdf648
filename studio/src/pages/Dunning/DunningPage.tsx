import { useState, type ReactElement } from 'react';
import { useMutation } from '@apollo/client/react';
import { Link } from 'react-router';
import { Money } from '../../components/Money';
import { graphql } from '../../gql';
import { today } from '../../lib/dates';
import { errorMessage } from '../../lib/errors';
import { customerPath } from '../../lib/paths';
import { mayCall, SUPERVISORS } from '../../lib/roles';
import { useViewer } from '../../lib/viewer';
import { DunningConfig } from './DunningConfig';
import './dunning.css';

/** A dry run: what a dunning run at the date would send, written nowhere. */
const PROPOSE_MUTATION = graphql(`
  mutation StudioDunningProposal($asOf: Date!) {
    runDunning(asOf: $asOf, dryRun: true) {
      asOf
      dryRun
      partners
      items
      notices
      byLevel {
        level
        notices
        items
      }
      sample {
        partnerId
        level
        channel
        recipient
        subject
        body
        totalAmount
        currency
        charge
        chargeCurrency
        itemIds
      }
    }
  }
`);

/** /dunning: a dunning run proposal (dry run) at a key date with the notices it would write (SUPERVISORS). */
export function DunningPage(): ReactElement {
  const { role } = useViewer();
  const [asOf, setAsOf] = useState(today());
  const [propose, { data, loading }] = useMutation(PROPOSE_MUTATION);
  const [problem, setProblem] = useState<string | null>(null);
  const report = data?.runDunning;
  return (
    <main className="main">
      <header className="page-header">
        <div>
          <h1>Dunning</h1>
          <p className="subtitle">What a dunning run at the key date would send: one notice per partner, level and currency. A proposal writes nothing.</p>
        </div>
      </header>
      {!mayCall(role, SUPERVISORS) ? (
        <p className="muted">A supervisor proposes and runs dunning.</p>
      ) : (
        <form
          className="card dunning-propose"
          aria-label="Dunning proposal"
          onSubmit={(e) => {
            e.preventDefault();
            setProblem(null);
            propose({ variables: { asOf } }).catch((err: unknown) => setProblem(errorMessage(err)));
          }}
        >
          <label className="work-field">
            Key date
            <input type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} required />
          </label>
          <button type="submit" className="button button-primary" disabled={loading}>
            {loading ? 'Proposing…' : 'Propose a run'}
          </button>
          {problem && (
            <p className="work-error" role="alert">
              {problem}
            </p>
          )}
        </form>
      )}
      {report && (
        <section className="card dunning-report" aria-label="Proposal">
          <div className="card-header">
            <h2>Proposal at {report.asOf}</h2>
            <span className="muted">dry run: nothing written</span>
          </div>
          <dl className="dunning-figures">
            <div>
              <dt>Partners</dt>
              <dd>{report.partners}</dd>
            </div>
            <div>
              <dt>Items</dt>
              <dd>{report.items}</dd>
            </div>
            <div>
              <dt>Notices</dt>
              <dd>{report.notices}</dd>
            </div>
            {report.byLevel.map((l) => (
              <div key={l.level}>
                <dt>Level {l.level}</dt>
                <dd>
                  {l.notices} notice{l.notices === 1 ? '' : 's'} · {l.items} item{l.items === 1 ? '' : 's'}
                </dd>
              </div>
            ))}
          </dl>
          {report.notices === 0 && <p className="empty">No item reaches a level at this date.</p>}
          <ol className="dunning-notices" aria-label="Notices">
            {report.sample.map((n, i) => (
              <li key={i} className="dunning-notice">
                <div className="dunning-notice-head">
                  <Link to={customerPath(n.partnerId)}>Partner {n.partnerId}</Link>
                  <span className={`work-level l-${Math.min(n.level, 4)}`}>{n.level}</span>
                  <span>{n.channel.toLowerCase()}</span>
                  {n.recipient && <span className="muted">{n.recipient}</span>}
                  <span>
                    <Money amount={n.totalAmount} currency={n.currency} />
                    {Number(n.charge) > 0 && (
                      <>
                        {' '}
                        + charge <Money amount={n.charge} currency={n.chargeCurrency} />
                      </>
                    )}
                  </span>
                </div>
                {n.subject && <div className="dunning-subject">{n.subject}</div>}
                <pre className="dunning-body">{n.body}</pre>
              </li>
            ))}
          </ol>
          {report.sample.length < report.notices && (
            <p className="muted dunning-more">
              The first {report.sample.length} of {report.notices} notices.
            </p>
          )}
        </section>
      )}
      <DunningConfig rendered={report?.sample ?? []} />
    </main>
  );
}
