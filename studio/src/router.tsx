import { createBrowserRouter, type RouteObject } from 'react-router';
import { Layout, PageError } from './Layout';
import { OverviewPage } from './pages/Overview/OverviewPage';
import { StrategiesPage } from './pages/Strategies/StrategiesPage';
import { StrategyPage } from './pages/Strategy/StrategyPage';
import { WorklistsPage } from './pages/Worklists/WorklistsPage';
import { MyWorklistPage } from './pages/MyWorklist/MyWorklistPage';
import { LoadsPage } from './pages/Loads/LoadsPage';
import { CustomersPage } from './pages/Customers/CustomersPage';
import { CustomerPage } from './pages/Customer/CustomerPage';
import { OrganisationPage } from './pages/Organisation/OrganisationPage';
import { NotFoundPage } from './pages/NotFound/NotFoundPage';
import { GenerateWorklistPage } from './pages/Runs/GenerateWorklistPage';
import { SettingsPage } from './pages/Settings/SettingsPage';
import { DunningPage } from './pages/Dunning/DunningPage';
import { BacktestsPage } from './pages/Backtests/BacktestsPage';
import { ExperimentsPage } from './pages/Experiments/ExperimentsPage';
import { AnalyticsPage } from './pages/Analytics/AnalyticsPage';
import { JobsPage } from './pages/Jobs/JobsPage';
import { RecoveryPage } from './pages/Agencies/RecoveryPage';

/**
 * The studio's URLs (lib/paths.ts builds them). Filters and selections are search params of
 * these paths; the server answers every path but /graphql and /health with the studio.
 */
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <PageError />,
    children: [
      { index: true, element: <OverviewPage /> },
      // ?version=N (the version open), ?segment=&asOf= (preview and comparison), ?a=&b= (compared sides)
      { path: 'strategies', element: <StrategiesPage /> },
      { path: 'strategies/:key/:tab?', element: <StrategyPage /> },
      // /worklists goes to the first segment's list; ?priority=N&order=…
      { path: 'worklists', element: <WorklistsPage /> },
      { path: 'worklists/mine', element: <MyWorklistPage /> }, // ?specialist=ID&partner=ID
      { path: 'worklists/loads', element: <LoadsPage /> }, // ?specialist=ID
      { path: 'worklists/:segment', element: <WorklistsPage /> },
      { path: 'customers', element: <CustomersPage /> },
      { path: 'customers/:id', element: <CustomerPage /> }, // :id or ext:EXTERNAL_ID; ?after=CURSOR (open items page)
      // /organisation/segments, …/profiles, …/groups (?group=KEY), …/absences (?group=&from=&to=); company codes at /organisation
      { path: 'organisation/:tab?', element: <OrganisationPage /> },
      { path: 'runs', element: <GenerateWorklistPage /> }, // ?segment=KEY
      { path: 'settings', element: <SettingsPage /> }, // contact results, dispute root causes
      { path: 'dunning', element: <DunningPage /> }, // a run proposal (dry run) and its notices
      { path: 'backtests', element: <BacktestsPage /> }, // strategies scored at past key dates, measured by what happened
      // ?from=&to=&granularity=&companyCode=&segment=&group=&specialist=&currency= (defaults when absent)
      { path: 'analytics', element: <AnalyticsPage /> },
      { path: 'experiments', element: <ExperimentsPage /> }, // ?group=KEY: champion/challenger
      { path: 'jobs', element: <JobsPage /> }, // ?state=QUEUED|RETRY|RUNNING|FAILED|DONE|CANCELLED; the nightly cycle's schedule and runs
      // /recovery (placement proposal), …/placements, …/payments, …/settlement (?agency=&month=), …/agencies
      { path: 'recovery/:tab?', element: <RecoveryPage /> },
      { path: '*', element: <NotFoundPage /> },
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
