import type { ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { VERSION_QUERY } from './lib/api';
import { Overview } from './components/Overview';
import { Sidebar } from './components/Sidebar';
import { Worklists } from './components/Worklists';
import { usePath } from './lib/router';
import { StrategiesPage } from './strategies/StrategiesPage';
import { Customer360, CustomerSearch } from './work/Customer360';
import { Loads } from './work/Loads';
import { MyWorklist } from './work/MyWorklist';

export function App(): ReactElement {
  // One small request on any page; on the overview the cache already holds it.
  const { data } = useQuery(VERSION_QUERY, { fetchPolicy: 'cache-first' });
  const path = usePath();
  return (
    <div className="layout">
      <Sidebar version={data?.health.version} path={path} />
      {path.startsWith('/strategies') ? <StrategiesPage path={path} /> : workPage(path) ?? (path.startsWith('/worklists') ? <Worklists /> : <Overview />)}
    </div>
  );
}

/** Specialist, supervisor and customer pages (studio/src/work). */
function workPage(path: string): ReactElement | null {
  if (path === '/worklists/mine') return <MyWorklist path={path} />;
  if (path === '/worklists/loads') return <Loads path={path} />;
  const customer = /^\/customers\/([^/]+)$/.exec(path);
  if (customer) return <Customer360 key={customer[1]} id={customer[1]!} />;
  if (path === '/customers' || path === '/customers/') return <CustomerSearch />;
  return null;
}
