import type { ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link, Navigate, useParams, useSearchParams } from 'react-router';
import { RichText } from '../../components/RichText';
import { WorkTabs } from '../../components/WorkTabs';
import { describeProblem } from '../../lib/errors';
import { segmentWorklistPath } from '../../lib/paths';
import { mayCall, SUPERVISORS } from '../../lib/roles';
import { useViewer } from '../../lib/viewer';
import { SEGMENTS_QUERY } from '../../lib/worklists';
import { ExportButton } from './ExportButton';
import { PriorityMix, RunFigures } from './RunSummary';
import { useSegmentWorklist } from './useSegmentWorklist';
import { WorklistTable } from './WorklistTable';
import '../../components/work.css';
import './worklists.css';

/**
 * /worklists/SEGMENT: the live worklist of a segment, in worklist order: who to chase first, and
 * why. Filters, order and direction live in the URL (worklistUrl.ts); supervisors reassign selected
 * items in one go. /worklists opens the first segment with partners.
 */
export function WorklistsPage(): ReactElement {
  const { segment } = useParams();
  const [params] = useSearchParams();
  const segments = useQuery(SEGMENTS_QUERY);
  const withPartners = segments.data?.arOverview.segments.filter((s) => s.partners > 0) ?? [];
  // Links of older studios named the segment as ?segment=KEY.
  const current = segment ?? params.get('segment') ?? withPartners[0]?.key ?? null;
  const viewer = useViewer();

  if (!segment && current) return <Navigate replace to={segmentWorklistPath(current)} />;
  return (
    <main className="main">
      <header className="page-header">
        <div>
          <h1>Worklists</h1>
          <p className="subtitle">The live worklist of each collection segment, highest priority first.</p>
        </div>
      </header>
      <WorkTabs current="segments" specialist={viewer.specialist} />
      {segments.error && (
        <div className="notice">
          <RichText text={describeProblem(segments.error).title} />
        </div>
      )}
      <div className="tabs" role="tablist" aria-label="Segment">
        {withPartners.map((s) => (
          <Link
            key={s.key}
            to={segmentWorklistPath(s.key)}
            role="tab"
            aria-selected={s.key === current}
            className={`tab${s.key === current ? ' is-active' : ''}`}
          >
            {s.name}
          </Link>
        ))}
      </div>
      {current && <SegmentWorklist key={current} segment={current} canReassign={mayCall(viewer.role, SUPERVISORS)} />}
    </main>
  );
}

/** A segment's live list: the run's figures, partners by priority, and the list. */
function SegmentWorklist({ segment, canReassign }: { segment: string; canReassign: boolean }): ReactElement {
  const list = useSegmentWorklist(segment);
  const { data, error, loading, run } = list;
  if (error) return <WorklistProblem error={error} />;
  if (!data && loading)
    return (
      <div className="card table-card">
        <div className="skeleton skeleton-label" />
        {[0, 1, 2, 3, 4].map((i) => (
          <div key={i} className="skeleton skeleton-row" />
        ))}
      </div>
    );
  if (!run || !data) {
    return (
      <div className="notice">
        {segment} has no live worklist yet. Generate one with <code>pnpm recoup worklist generate --segment {segment}</code>.
      </div>
    );
  }
  return (
    <>
      <RunFigures run={run} currency={list.currency} />
      <PriorityMix run={run} currency={list.currency} selected={list.priority} onSelect={list.setPriority} />
      <ExportButton variables={list.variables} />
      <WorklistTable list={list} totalCount={data.worklist.totalCount} hasNextPage={data.worklist.pageInfo.hasNextPage} canReassign={canReassign} />
    </>
  );
}

function WorklistProblem({ error }: { error: unknown }): ReactElement {
  const problem = describeProblem(error);
  return (
    <div className="card problem" role="alert">
      <div className="problem-body">
        <h2>
          <RichText text={problem.title} />
        </h2>
        {problem.detail && (
          <p>
            <RichText text={problem.detail} />
          </p>
        )}
      </div>
    </div>
  );
}
