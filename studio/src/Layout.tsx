import type { ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link, Outlet, ScrollRestoration, isRouteErrorResponse, useRouteError } from 'react-router';
import { AlertIcon } from './components/Icons';
import { Sidebar } from './components/Sidebar';
import { graphql } from './gql';
import { OVERVIEW_PATH } from './lib/paths';

/** The API's version for the sidebar; the same normalised Health object the overview reads. */
const VERSION_QUERY = graphql(`
  query StudioVersion {
    health {
      status
      database
      version
    }
  }
`);

/** Every page: the sidebar beside the page of the URL. */
export function Layout(): ReactElement {
  return (
    <Shell>
      <Outlet />
    </Shell>
  );
}

/** A page that threw while rendering: said in place, with the sidebar still there to go elsewhere. */
export function PageError(): ReactElement {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : String(error);
  return (
    <Shell>
      <main className="main">
        <section className="card problem" role="alert">
          <AlertIcon className="problem-icon" width={22} height={22} />
          <div className="problem-body">
            <h2>This page ran into a problem</h2>
            <p>{message}</p>
            <p className="muted">
              Reload the page, or go back to the <Link to={OVERVIEW_PATH}>overview</Link>.
            </p>
          </div>
        </section>
      </main>
    </Shell>
  );
}

function Shell({ children }: { children: ReactElement }): ReactElement {
  // One small request on any page; on the overview the cache already holds it.
  const { data } = useQuery(VERSION_QUERY, { fetchPolicy: 'cache-first' });
  return (
    <div className="layout">
      <Sidebar version={data?.health.version} />
      {children}
      {/* New pages start at the top; Back and Forward return to where the page was scrolled. */}
      <ScrollRestoration />
    </div>
  );
}
