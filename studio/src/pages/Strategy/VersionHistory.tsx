import type { ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { formatAsOf } from '../../lib/format';
import { AUDIT_QUERY } from './queries';

/** The strategy's changes from the audit log: who changed what, and when. */
export function VersionHistory({ strategyKey }: { strategyKey: string }): ReactElement {
  const audit = useQuery(AUDIT_QUERY, { variables: { key: strategyKey }, fetchPolicy: 'network-only' });
  return (
    <section className="card table-card" aria-label="History">
      <div className="card-header">
        <h2>History</h2>
        <p className="muted">From the audit log: who changed what, and when.</p>
      </div>
      <ol className="history">
        {audit.data?.auditLog.edges.map(({ node: e }) => (
          <li key={e.id} data-action={e.action}>
            <span className={`history-dot is-${e.action.split('_').pop()!.toLowerCase()}`} />
            <div>
              <div>
                {e.action === 'STRATEGY_VERSION_ACTIVATED' ? (
                  <b>{describeActivation(e.details)}</b>
                ) : (
                  <>
                    <b>{actionLabel(e.action)}</b> {describeDetails(e.details)}
                  </>
                )}
              </div>
              <div className="muted">
                {formatAsOf(e.at)} · {e.actorName} ({e.actorRole.toLowerCase()})
              </div>
            </div>
          </li>
        ))}
        {audit.data && audit.data.auditLog.edges.length === 0 && (
          <li className="muted history-empty">No recorded change yet (the seeded version was loaded directly).</li>
        )}
      </ol>
    </section>
  );
}

const ACTIONS: Record<string, string> = {
  STRATEGY_CREATED: 'Created',
  STRATEGY_DRAFT_UPDATED: 'Draft saved',
  STRATEGY_VERSION_ACTIVATED: 'Activated',
  STRATEGY_VERSION_RETIRED: 'Retired',
  STRATEGY_VERSION_COPIED: 'New draft',
};

function actionLabel(a: string): string {
  return (
    ACTIONS[a] ??
    a
      .replace(/^STRATEGY_/, '')
      .replace(/_/g, ' ')
      .toLowerCase()
      .replace(/^./, (c) => c.toUpperCase())
  );
}

/** A detail the log may record as null (no version retired on a first activation) counts as absent. */
const given = (v: unknown): v is string | number => v !== undefined && v !== null;

function describeDetails(details: unknown): string {
  const d = (details ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (given(d.version)) parts.push(`v${d.version}`);
  if (given(d.revision)) parts.push(`revision ${d.revision}`);
  if (given(d.fromVersion)) parts.push(`from v${d.fromVersion}`);
  if (given(d.retiredVersion)) parts.push(`(v${d.retiredVersion} retired)`);
  if (Array.isArray(d.groups) && d.groups.length) parts.push(`for ${d.groups.join(', ')}`);
  return parts.join(' ');
}

/** "v2 activated, v1 retired, run by G1, G2" or "v1 activated, the first live version; no collection group ran it". */
function describeActivation(details: unknown): string {
  const d = (details ?? {}) as Record<string, unknown>;
  const activated = given(d.version) ? `v${d.version} activated` : 'Activated';
  const retired = given(d.retiredVersion) ? `, v${d.retiredVersion} retired` : ', the first live version';
  const groups = Array.isArray(d.groups) && d.groups.length ? `; run by ${d.groups.join(', ')}` : '; no collection group ran it';
  return `${activated}${retired}${groups}`;
}
