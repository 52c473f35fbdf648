import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { Money } from '../../components/Money';
import { graphql } from '../../gql';
import { today } from '../../lib/dates';
import { errorMessage } from '../../lib/errors';
import { customerPath } from '../../lib/paths';
import { mayCall, SUPERVISORS } from '../../lib/roles';
import { useViewer } from '../../lib/viewer';
import type { StudioDunningProposalMutation } from '../../gql/graphql';
import { DunningConfig } from './DunningConfig';
import '../../components/work.css';
import '../Customer/customer.css';
import './dunning.css';
import { appendPage } from '../../lib/paging';

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
        partner {
          name
        }
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

/** The run itself: notices into the outbox, item levels raised, partners re-valuated. */
const RUN_MUTATION = graphql(`
  mutation StudioDunningRun($asOf: Date!) {
    runDunning(asOf: $asOf) {
      runId
      asOf
      partners
      items
      notices
      revaluated
      emailsSent
    }
  }
`);

const RUNS_QUERY = graphql(`
  query StudioDunningRuns($after: String) {
    dunningRuns(first: 10, after: $after) {
      edges {
        node {
          id
          asOf
          startedAt
          createdBy
          partners
          notices
          items
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const NOTICES_QUERY = graphql(`
  query StudioDunningRunNotices($runId: ID!, $after: String) {
    dunningNotices(runId: $runId, first: 25, after: $after) {
      edges {
        node {
          id
          partnerId
          partner {
            name
          }
          level
          channel
          recipient
          currency
          totalAmount
          charge
          chargeCurrency
          status
          itemIds
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** /dunning: a dunning run proposal (dry run) at a key date with the notices it would write (SUPERVISORS). */
export function DunningPage(): ReactElement {
  const { role } = useViewer();
  const [asOf, setAsOf] = useState(today());
  const [propose, { data, loading }] = useMutation(PROPOSE_MUTATION);
  const [run, running] = useMutation(RUN_MUTATION, { refetchQueries: ['StudioDunningRuns'] });
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  // The run whose notices are shown: the one just run, or one picked from the list.
  const [runId, setRunId] = useState<string | null>(null);
  const [done, setDone] = useState<{ runId: string | null; notices: number; items: number; partners: number; emailsSent: number } | null>(null);
  const report = data?.runDunning;
  const supervises = mayCall(role, SUPERVISORS);
  return (
    <main className="main">
      <header className="page-header">
        <div>
          <h1>Dunning</h1>
          <p className="subtitle">What a dunning run at the key date would send: one notice per partner, level and currency. A proposal writes nothing.</p>
        </div>
      </header>
      {!supervises ? (
        <p className="muted">A supervisor proposes and runs dunning.</p>
      ) : (
        <form
          className="card dunning-propose"
          aria-label="Dunning proposal"
          onSubmit={(e) => {
            e.preventDefault();
            setProblem(null);
            setDone(null);
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
                  <Link to={customerPath(n.partnerId)}>{n.partner.name}</Link>
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
          {supervises && report.notices > 0 && !done && (
            <div className="dunning-run-actions">
              <button type="button" className="button button-primary" disabled={running.loading} onClick={() => setConfirming(true)}>
                {running.loading ? 'Running…' : 'Run dunning'}
              </button>
              <span className="muted">writes these notices and raises the items&apos; levels</span>
            </div>
          )}
          {done && (
            <p className="work-hint is-ok dunning-more" role="status">
              Run #{done.runId} wrote {done.notices} notice{done.notices === 1 ? '' : 's'} for {done.partners} partner{done.partners === 1 ? '' : 's'} and
              raised {done.items} item{done.items === 1 ? '' : 's'} a level
              {done.emailsSent > 0 ? `; ${done.emailsSent} e-mail${done.emailsSent === 1 ? '' : 's'} sent` : ''}.
            </p>
          )}
        </section>
      )}
      {confirming && report && (
        <ConfirmRun
          report={report}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            setProblem(null);
            run({ variables: { asOf: report.asOf } })
              .then(({ data: result }) => {
                const r = result?.runDunning;
                if (!r) return;
                setDone({ runId: r.runId ?? null, notices: r.notices, items: r.items, partners: r.partners, emailsSent: r.emailsSent });
                setRunId(r.runId ?? null);
              })
              .catch((err: unknown) => setProblem(errorMessage(err)));
          }}
        />
      )}
      {supervises && <DunningRuns selected={runId} onSelect={setRunId} />}
      {supervises && runId && <RunNotices key={runId} runId={runId} />}
      <DunningConfig rendered={report?.sample ?? []} />
    </main>
  );
}

type Proposal = StudioDunningProposalMutation['runDunning'];

/** Says what the run will write before it does. */
function ConfirmRun({ report, onCancel, onConfirm }: { report: Proposal; onCancel: () => void; onConfirm: () => void }): ReactElement {
  return (
    <div className="modal-backdrop" onClick={onCancel}>
      <div className="modal card dunning-confirm" role="dialog" aria-modal="true" aria-labelledby="dunning-confirm-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="dunning-confirm-title">Run dunning at {report.asOf}?</h2>
        <p>This writes, in one go:</p>
        <ul>
          <li>
            {report.notices} notice{report.notices === 1 ? '' : 's'} into the outbox, for {report.partners} partner{report.partners === 1 ? '' : 's'}
            {report.byLevel.length > 0 && ` (${report.byLevel.map((l) => `level ${l.level}: ${l.notices}`).join(', ')})`};
          </li>
          <li>
            the dunning level of {report.items} item{report.items === 1 ? '' : 's'}, raised by one;
          </li>
          <li>the worklist items of the dunned partners, valued again.</li>
        </ul>
        <p className="muted">E-mail notices go out when the server has SMTP configured. A run is not undone: the next run starts from the raised levels.</p>
        <div className="modal-actions">
          <button type="button" className="button" onClick={onCancel} autoFocus>
            Cancel
          </button>
          <button type="button" className="button button-primary" onClick={onConfirm}>
            Run dunning: write {report.notices} notice{report.notices === 1 ? '' : 's'}
          </button>
        </div>
      </div>
    </div>
  );
}

const whenFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Past runs, newest first; picking one shows its notices. */
function DunningRuns({ selected, onSelect }: { selected: string | null; onSelect: (runId: string) => void }): ReactElement {
  const { data, error, fetchMore } = useQuery(RUNS_QUERY);
  const runs = data?.dunningRuns.edges.map((e) => e.node) ?? [];
  return (
    <section className="card table-card dunning-config dunning-runs-list" aria-label="Dunning runs">
      <div className="card-header">
        <h2>Dunning runs</h2>
        <span className="muted">newest first</span>
      </div>
      {error && (
        <div className="notice" role="alert">
          {error.message}
        </div>
      )}
      {data && runs.length === 0 && <p className="empty">No dunning run yet.</p>}
      {runs.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>Run</th>
                <th>Key date</th>
                <th>Run at</th>
                <th>By</th>
                <th className="num">Partners</th>
                <th className="num">Notices</th>
                <th className="num">Items raised</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} className={r.id === selected ? 'is-selected' : undefined}>
                  <td>
                    <button type="button" onClick={() => onSelect(r.id)} aria-pressed={r.id === selected}>
                      #{r.id}
                    </button>
                  </td>
                  <td>{r.asOf}</td>
                  <td>{whenFormat.format(new Date(r.startedAt))}</td>
                  <td>{r.createdBy ?? '–'}</td>
                  <td className="num">{r.partners.toLocaleString()}</td>
                  <td className="num">{r.notices.toLocaleString()}</td>
                  <td className="num">{r.items.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data?.dunningRuns.pageInfo.hasNextPage && (
        <div className="dunning-more-row">
          <button
            type="button"
            className="button"
            onClick={() =>
              void fetchMore({
                variables: { after: data.dunningRuns.pageInfo.endCursor },
                updateQuery: appendPage('dunningRuns'),
              })
            }
          >
            Older runs
          </button>
        </div>
      )}
    </section>
  );
}

const CHANNEL_WORDS: Record<string, string> = { LETTER: 'letter', EMAIL: 'e-mail', SMS: 'SMS' };

/** The notices a run wrote, 25 at a time, each partner linked to its 360. */
function RunNotices({ runId }: { runId: string }): ReactElement {
  const { data, error, fetchMore } = useQuery(NOTICES_QUERY, { variables: { runId } });
  const notices = data?.dunningNotices.edges.map((e) => e.node) ?? [];
  return (
    <section className="card table-card dunning-config" aria-label={`Notices of run ${runId}`}>
      <div className="card-header">
        <h2>Notices of run #{runId}</h2>
        <span className="muted">the outbox</span>
      </div>
      {error && (
        <div className="notice" role="alert">
          {error.message}
        </div>
      )}
      {data && notices.length === 0 && <p className="empty">The run wrote no notice.</p>}
      {notices.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>Partner</th>
                <th>Level</th>
                <th>Channel</th>
                <th>To</th>
                <th className="num">Items</th>
                <th className="num">Amount</th>
                <th className="num">Charge</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {notices.map((n) => (
                <tr key={n.id}>
                  <td>
                    <Link to={customerPath(n.partnerId)}>{n.partner.name}</Link>
                  </td>
                  <td>
                    <span className={`work-level l-${Math.min(n.level, 4)}`}>{n.level}</span>
                  </td>
                  <td>{CHANNEL_WORDS[n.channel] ?? n.channel}</td>
                  <td className="muted">{n.recipient ?? '–'}</td>
                  <td className="num">{n.itemIds.length}</td>
                  <td className="num">
                    <Money amount={n.totalAmount} currency={n.currency} />
                  </td>
                  <td className="num">{Number(n.charge) > 0 ? <Money amount={n.charge} currency={n.chargeCurrency} /> : '–'}</td>
                  <td>
                    <span className={`work-status s-${n.status.toLowerCase()}`}>{n.status.toLowerCase()}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data?.dunningNotices.pageInfo.hasNextPage && (
        <div className="dunning-more-row">
          <button
            type="button"
            className="button"
            onClick={() =>
              void fetchMore({
                variables: { after: data.dunningNotices.pageInfo.endCursor },
                updateQuery: appendPage('dunningNotices'),
              })
            }
          >
            More notices
          </button>
        </div>
      )}
    </section>
  );
}
