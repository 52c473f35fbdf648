import type { ReactElement, ReactNode } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link, Outlet, ScrollRestoration, isRouteErrorResponse, useRouteError } from 'react-router';
import { AlertIcon } from './components/Icons';
import { Sidebar } from './components/Sidebar';
import { graphql } from './gql';
import { PageLoadError } from './lib/page-load-error';
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

/** The layout itself threw: the problem said in a fresh shell, with the sidebar to go elsewhere. */
export function PageError(): ReactElement {
  return (
    <Shell>
      <RouteError />
    </Shell>
  );
}

/**
 * A page that threw while rendering, or whose code could not be loaded: said in place, with the
 * sidebar still there to go elsewhere. Code that cannot be loaded is most often a tab opened
 * before the studio was updated, which a reload mends: the message says so and offers it.
 */
export function RouteError(): ReactElement {
  const error = useRouteError();
  if (error instanceof PageLoadError) {
    return (
      <ProblemCard title="This page could not be loaded">
        <p>The studio may have been updated since this tab was opened. Reload to get its current version.</p>
        <p className="muted">{error.message}</p>
        <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
          Reload
        </button>
      </ProblemCard>
    );
  }
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : String(error);
  return (
    <ProblemCard title="This page ran into a problem">
      <p>{message}</p>
      <p className="muted">
        Reload the page, or go back to the <Link to={OVERVIEW_PATH}>overview</Link>.
      </p>
    </ProblemCard>
  );
}

function ProblemCard({ title, children }: { title: string; children: ReactNode }): ReactElement {
  return (
    <main className="main">
      <section className="card problem" role="alert">
        <AlertIcon className="problem-icon" width={22} height={22} />
        <div className="problem-body">
          <h2>{title}</h2>
          {children}
        </div>
      </section>
    </main>
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
