import type { ReactElement } from 'react';
import { NetworkStatus } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { AlertIcon, RefreshIcon } from '../../components/Icons';
import { RichText } from '../../components/RichText';
import { graphql } from '../../gql';
import type { StudioOverviewQuery } from '../../gql/graphql';
import { GRAPHQL_PATH } from '../../lib/api';
import { describeProblem } from '../../lib/errors';
import { formatAsOf } from '../../lib/format';
import { FirstRunGuide } from './FirstRunGuide';
import { KeyFigures } from './KeyFigures';
import { SegmentTable } from './SegmentTable';

/** The API's health (shared in the cache with the sidebar's version) and the AR overview. */
const OVERVIEW_QUERY = graphql(`
  query StudioOverview {
    health {
      status
      database
      version
    }
    arOverview {
      ...ArOverviewFields
    }
  }
`);

export const AR_OVERVIEW_FIELDS = graphql(`
  fragment ArOverviewFields on ArOverview {
    partners
    openItems
    overdueItems
    openAmounts {
      currency
      amount
    }
    segments {
      key
      name
      partners
      openItems
      overdueItems
      openAmounts {
        currency
        amount
      }
    }
    asOf
  }
`);

function DatabaseBadge({ health }: { health: StudioOverviewQuery['health'] }): ReactElement {
  const ok = health.status.toLowerCase() === 'ok';
  const kind =
    health.database === 'embedded' ? 'Embedded database (PGlite)' : health.database === 'postgres' ? 'PostgreSQL database' : `Database: ${health.database}`;
  return (
    <span className={`badge ${ok ? 'badge-ok' : 'badge-warn'}`} title={`API status: ${health.status}`}>
      <span className="dot" aria-hidden="true" />
      {kind}
      {!ok && <span className="badge-extra">· {health.status}</span>}
    </span>
  );
}

function Skeleton(): ReactElement {
  return (
    <div aria-hidden="true">
      <div className="figures">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="card figure">
            <div className="skeleton skeleton-label" />
            <div className="skeleton skeleton-value" />
            <div className="skeleton skeleton-foot" />
          </div>
        ))}
      </div>
      <div className="card table-card">
        <div className="skeleton skeleton-label" />
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="skeleton skeleton-row" />
        ))}
      </div>
    </div>
  );
}

/** `/`: the receivables at a glance, and whether the API and its database are up. */
export function OverviewPage(): ReactElement {
  const { data, error, loading, networkStatus, refetch } = useQuery(OVERVIEW_QUERY, {
    notifyOnNetworkStatusChange: true,
  });
  const refreshing = networkStatus === NetworkStatus.refetch;
  const retry = (): void => {
    void refetch().catch(() => undefined); // the error is rendered from the hook's state
  };

  let subtitle = `Loading the receivables overview from ${GRAPHQL_PATH}…`;
  if (data) subtitle = `Accounts receivable as of ${formatAsOf(data.arOverview.asOf)}`;
  else if (error) subtitle = 'The overview is not available right now.';

  return (
    <main className="main" aria-busy={loading}>
      <header className="page-header">
        <div>
          <h1>Overview</h1>
          <p className="subtitle">{subtitle}</p>
        </div>
        <div className="page-actions">
          {data && <DatabaseBadge health={data.health} />}
          {error && !data && (
            <span className="badge badge-error">
              <span className="dot" aria-hidden="true" />
              API unavailable
            </span>
          )}
          {data && (
            <button type="button" className="button" onClick={retry} disabled={loading}>
              <RefreshIcon className={refreshing ? 'spin' : undefined} />
              {refreshing ? 'Refreshing' : 'Refresh'}
            </button>
          )}
        </div>
      </header>

      {error && !data ? (
        <ProblemPanel error={error} onRetry={retry} retrying={loading} />
      ) : data ? (
        <>
          {data.arOverview.openItems === 0 && data.arOverview.partners === 0 && (
            <div className="notice">No receivables have been imported yet. Once partners and open items are mirrored into Recoup, they appear here.</div>
          )}
          <FirstRunGuide />
          <KeyFigures overview={data.arOverview} />
          <SegmentTable overview={data.arOverview} />
        </>
      ) : (
        <Skeleton />
      )}
    </main>
  );
}

function ProblemPanel({ error, onRetry, retrying }: { error: unknown; onRetry: () => void; retrying: boolean }): ReactElement {
  const problem = describeProblem(error);
  return (
    <section className="card problem" role="alert">
      <AlertIcon className="problem-icon" width={22} height={22} />
      <div className="problem-body">
        <h2>
          <RichText text={problem.title} />
        </h2>
        {problem.detail && (
          <p>
            <RichText text={problem.detail} />
          </p>
        )}
        {problem.messages && problem.messages.length > 0 && (
          <ul className="problem-messages">
            {problem.messages.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        )}
        {problem.hint && (
          <p className="muted">
            <RichText text={problem.hint} />
          </p>
        )}
        <button type="button" className="button button-primary" onClick={onRetry} disabled={retrying}>
          {retrying ? 'Trying again…' : 'Try again'}
        </button>
      </div>
    </section>
  );
}
