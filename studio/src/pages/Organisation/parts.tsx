/** The organisation page's building blocks: a card around a table, pills and key tags. */
import type { ReactElement, ReactNode } from 'react';
import { errorMessage } from '../../lib/errors';

/** A titled card with its action (New …), the load state and the table. */
export function TableCard({
  title,
  description,
  action,
  loading,
  error,
  empty,
  children,
}: {
  title: string;
  description: ReactNode;
  action?: ReactNode;
  loading: boolean;
  error?: unknown;
  /** Said instead of the table when there is nothing to list. */
  empty?: string | null;
  children: ReactNode;
}): ReactElement {
  return (
    <section className="card table-card org-card" aria-label={title}>
      <div className="card-header org-card-header">
        <div>
          <h2>{title}</h2>
          <p className="muted">{description}</p>
        </div>
        {action}
      </div>
      {error != null && (
        <div className="notice org-inline-notice" role="alert">
          Could not load {title.toLowerCase()}: {errorMessage(error)}
        </div>
      )}
      {loading && (
        <>
          <div className="skeleton skeleton-label" />
          {[0, 1, 2].map((i) => (
            <div key={i} className="skeleton skeleton-row" />
          ))}
        </>
      )}
      {!loading && empty ? <div className="empty">{empty}</div> : !loading && children}
    </section>
  );
}

/** Active or inactive, as a pill. */
export function ActivePill({ active }: { active: boolean }): ReactElement {
  return <span className={`org-pill ${active ? 'is-ok' : 'is-off'}`}>{active ? 'Active' : 'Inactive'}</span>;
}

/** Keys as small tags (a segment's company codes, a profile's segments); a dash for none. */
export function KeyTags({ keys }: { keys: readonly string[] }): ReactElement {
  if (keys.length === 0) return <span className="muted">–</span>;
  return (
    <span className="org-tags">
      {keys.map((k) => (
        <span key={k} className="org-tag">
          {k}
        </span>
      ))}
    </span>
  );
}

/** A name with its key below it (just the key when the name is the key, as imports register them). */
export function Named({ name, code }: { name: string; code: string }): ReactElement {
  if (name === code) return <span className="segment-name">{name}</span>;
  return (
    <>
      <span className="segment-name">{name}</span>
      <span className="segment-key">{code}</span>
    </>
  );
}
