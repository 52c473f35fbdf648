import { useEffect, type ReactElement } from 'react';
import { WorkTabs } from '../../components/WorkTabs';
import { useSearchParam, useSetSearchParams } from '../../lib/searchParams';
import { useViewer } from '../../lib/viewer';
import { isDone, totalsBySpecialist, useRunLoads } from '../../lib/worklists';
import { ItemTable } from './ItemTable';
import { ListFigures } from './ListFigures';
import { PartnerPanel } from './PartnerPanel';
import { useMyWorklist } from './useMyWorklist';
import '../../components/work.css';
import './my-worklist.css';

/**
 * /worklists/mine: a specialist's worklist in priority order; open a partner and work it without
 * leaving the page. A supervisor picks the specialist (?specialist=ID); ?partner=ID is the one open.
 */
export function MyWorklistPage(): ReactElement {
  const viewer = useViewer();
  const loads = useRunLoads();
  const specialists = totalsBySpecialist(loads.runs).filter((s) => s.specialistId !== null);
  const [picked, setPicked] = useSearchParam('specialist');
  const setParams = useSetSearchParams();
  const specialistId = viewer.specialist ? null : (picked ?? specialists[0]?.specialistId ?? null);

  // The first specialist, once known, goes into the URL so a reload shows the same list.
  useEffect(() => {
    if (!viewer.specialist && !picked && specialistId) setPicked(specialistId, { replace: true });
  }, [viewer.specialist, picked, specialistId, setPicked]);

  const name = viewer.specialist ? viewer.self?.name : specialists.find((s) => s.specialistId === specialistId)?.name;
  return (
    <main className="main work-main">
      <header className="page-header">
        <div>
          <h1>{viewer.specialist ? 'My worklist' : 'Worklist by specialist'}</h1>
          <p className="subtitle">{name ? `${name} · ` : ''}highest priority first. Open a partner to record what happened.</p>
        </div>
        {!viewer.specialist && !viewer.loading && (
          <label className="work-picker">
            <span>Specialist</span>
            <select aria-label="Specialist" value={specialistId ?? ''} onChange={(e) => setParams({ specialist: e.target.value, partner: null })}>
              {specialists.map((s) => (
                <option key={s.specialistId} value={s.specialistId!}>
                  {s.name} · {s.count}
                </option>
              ))}
            </select>
          </label>
        )}
      </header>
      <WorkTabs current="mine" specialist={viewer.specialist} />
      {!viewer.loading && (viewer.specialist || specialistId) && <ItemList specialistId={specialistId} />}
      {!viewer.loading && !viewer.specialist && !loads.loading && specialists.length === 0 && (
        <div className="notice">No live worklist has items assigned to a specialist yet.</div>
      )}
    </main>
  );
}

/** The list's figures and items; the partner open (?partner=ID) beside them. */
function ItemList({ specialistId }: { specialistId: string | null }): ReactElement {
  const list = useMyWorklist(specialistId);
  const [open, setOpen] = useSearchParam('partner');
  const selected = list.rows.find((r) => r.partnerId === open) ?? null;

  if (list.error)
    return (
      <div className="notice" role="alert">
        {list.error.message}
      </div>
    );
  if (!list.data && list.loading)
    return (
      <div className="card table-card">
        {[0, 1, 2, 3, 4].map((i) => (
          <div key={i} className="skeleton skeleton-row" />
        ))}
      </div>
    );

  return (
    <div className={`work-split${selected ? ' has-panel' : ''}`}>
      <div className="work-list-col">
        <ListFigures total={list.total} done={list.done} summary={list.summary} currency={list.rows[0]?.currency ?? 'EUR'} />
        <ItemTable
          rows={list.rows}
          open={open}
          onOpen={setOpen}
          hasMore={!!list.data?.worklist.pageInfo.hasNextPage}
          total={list.data?.worklist.totalCount ?? 0}
          onMore={list.showMore}
        />
      </div>
      {selected && <PartnerPanel key={selected.partnerId} item={selected} done={isDone(selected)} onClose={() => setOpen(null)} />}
    </div>
  );
}
