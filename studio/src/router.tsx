import { createBrowserRouter, type RouteObject } from 'react-router';
import { Layout, PageError, RouteError } from './Layout';
import { PageLoadError } from './lib/page-load-error';
import { OverviewPage } from './pages/Overview/OverviewPage';
import { StrategiesPage } from './pages/Strategies/StrategiesPage';
import { StrategyPage } from './pages/Strategy/StrategyPage';
import { NotFoundPage } from './pages/NotFound/NotFoundPage';

/**
 * A page loaded when first visited: its code (and what only it uses, such as the chart library)
 * is a chunk of its own, so the first load of the studio parses the strategy pages' code only.
 * The chunk brings only the stylesheets its modules import, so a page imports every stylesheet
 * whose classes it uses (test/studio-styles.test.ts checks).
 */
function page<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M & string): RouteObject['lazy'] {
  return async () => {
    const loaded = await load().catch((error: unknown) => {
      throw new PageLoadError(error);
    });
    return { Component: loaded[name] as React.ComponentType };
  };
}

/**
 * The studio's URLs (lib/paths.ts builds them). Filters and selections are search params of
 * these paths; the server answers every path but /graphql, /health and files (a missing one is a
 * 404, never this page) with the studio.
 */
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    // A problem of the layout itself (the sidebar); a page's problem is said inside the layout, below.
    errorElement: <PageError />,
    children: [
      {
        errorElement: <RouteError />,
        children: [
          { index: true, element: <OverviewPage /> },
          // ?version=N (the version open), ?segment=&asOf= (preview and comparison), ?a=&b= (compared sides)
          { path: 'strategies', element: <StrategiesPage /> },
          { path: 'strategies/:key/:tab?', element: <StrategyPage /> },
          // /worklists goes to the first segment's list; ?priority=N&order=…
          { path: 'worklists', lazy: page(() => import('./pages/Worklists/WorklistsPage'), 'WorklistsPage') },
          { path: 'worklists/mine', lazy: page(() => import('./pages/MyWorklist/MyWorklistPage'), 'MyWorklistPage') }, // ?specialist=ID&partner=ID
          { path: 'worklists/loads', lazy: page(() => import('./pages/Loads/LoadsPage'), 'LoadsPage') }, // ?specialist=ID
          { path: 'worklists/:segment', lazy: page(() => import('./pages/Worklists/WorklistsPage'), 'WorklistsPage') },
          { path: 'customers', lazy: page(() => import('./pages/Customers/CustomersPage'), 'CustomersPage') },
          { path: 'customers/:id', lazy: page(() => import('./pages/Customer/CustomerPage'), 'CustomerPage') }, // :id or ext:EXTERNAL_ID; ?after=CURSOR (open items page)
          // /organisation/segments, …/profiles, …/groups (?group=KEY), …/absences (?group=&from=&to=); company codes at /organisation
          { path: 'organisation/:tab?', lazy: page(() => import('./pages/Organisation/OrganisationPage'), 'OrganisationPage') },
          { path: 'runs', lazy: page(() => import('./pages/Runs/GenerateWorklistPage'), 'GenerateWorklistPage') }, // ?segment=KEY
          { path: 'settings', lazy: page(() => import('./pages/Settings/SettingsPage'), 'SettingsPage') }, // contact results, dispute root causes
          { path: 'dunning', lazy: page(() => import('./pages/Dunning/DunningPage'), 'DunningPage') }, // a run proposal (dry run) and its notices
          { path: 'backtests', lazy: page(() => import('./pages/Backtests/BacktestsPage'), 'BacktestsPage') }, // strategies scored at past key dates, measured by what happened
          // ?from=&to=&granularity=&companyCode=&segment=&group=&specialist=&currency= (defaults when absent)
          { path: 'analytics', lazy: page(() => import('./pages/Analytics/AnalyticsPage'), 'AnalyticsPage') },
          { path: 'experiments', lazy: page(() => import('./pages/Experiments/ExperimentsPage'), 'ExperimentsPage') }, // ?group=KEY: champion/challenger
          { path: 'jobs', lazy: page(() => import('./pages/Jobs/JobsPage'), 'JobsPage') }, // ?state=QUEUED|RETRY|RUNNING|FAILED|DONE|CANCELLED; the nightly cycle's schedule and runs
          // /recovery (placement proposal), …/placements, …/payments, …/settlement (?agency=&month=), …/agencies
          { path: 'recovery/:tab?', lazy: page(() => import('./pages/Agencies/RecoveryPage'), 'RecoveryPage') },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

let router: ReturnType<typeof createBrowserRouter> | undefined;

/**
 * The one router of the page, made on first use: by then the session has taken a sign-in link's
 * `#token=…` out of the address bar, so the router never sees it. Signing out and in keeps it
 * (and the page the person was on).
 */
export function studioRouter(): ReturnType<typeof createBrowserRouter> {
  router ??= createBrowserRouter(routes);
  return router;
}
