import type { ReactElement } from 'react';
import { Link, useLocation } from 'react-router';
import { OVERVIEW_PATH } from '../../lib/paths';

/** A path the studio has no page for (an old bookmark, a typo). */
export function NotFoundPage(): ReactElement {
  const { pathname } = useLocation();
  return (
    <main className="main">
      <header className="page-header">
        <div>
          <h1>Page not found</h1>
          <p className="subtitle">
            The studio has no page at <code>{pathname}</code>.
          </p>
        </div>
      </header>
      <div className="notice">
        Pick a section in the sidebar, or go to the <Link to={OVERVIEW_PATH}>overview</Link>.
      </div>
    </main>
  );
}
