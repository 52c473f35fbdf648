import type { ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { OVERVIEW_QUERY } from './lib/api';
import { Overview } from './components/Overview';
import { Sidebar } from './components/Sidebar';
import { Worklists } from './components/Worklists';
import { usePath } from './lib/router';

export function App(): ReactElement {
  // Served from the cache the overview fills; no second request.
  const { data } = useQuery(OVERVIEW_QUERY, { fetchPolicy: 'cache-only' });
  const path = usePath();
  return (
    <div className="layout">
      <Sidebar version={data?.health.version} path={path} />
      {path.startsWith('/worklists') ? <Worklists /> : <Overview />}
    </div>
  );
}
