/** The organisation page's building blocks: a card around a table, the table with its Edit buttons, pills and key tags. */
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

/** A column of an organisation table: its header and, for a row, its cell. */
export interface OrgColumn<Row> {
  header: ReactNode;
  className?: string;
  cell: (row: Row) => ReactNode;
  /** Attributes of the cell (a title, data-* hooks for tests). */
  attributes?: (row: Row) => Record<string, string | undefined>;
}

/**
 * The organisation's tables: a row header naming the object, its columns, and an Edit button
 * per row for those who may edit (`edit` absent otherwise).
 */
export function OrgTable<Row>({
  rows,
  rowKey,
  rowAttributes,
  className,
  head,
  columns,
  edit,
}: {
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** Attributes of the row: its data-* hooks, a class (the selected row). */
  rowAttributes: (row: Row) => Record<string, string | undefined>;
  className?: string;
  /** The first column: what names the row (a th scope="row"). */
  head: { header: ReactNode; cell: (row: Row) => ReactNode };
  columns: OrgColumn<Row>[];
  edit?: { label: (row: Row) => string; onEdit: (row: Row) => void };
}): ReactElement {
  return (
    <table className={`table org-table${className ? ` ${className}` : ''}`}>
      <thead>
        <tr>
          <th>{head.header}</th>
          {columns.map((c, i) => (
            <th key={i} className={c.className}>
              {c.header}
            </th>
          ))}
          {edit && <th className="org-actions-col" aria-label="Actions" />}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} {...rowAttributes(row)}>
            <th scope="row">{head.cell(row)}</th>
            {columns.map((c, i) => (
              <td key={i} className={c.className} {...c.attributes?.(row)}>
                {c.cell(row)}
              </td>
            ))}
            {edit && (
              <td className="org-actions-col">
                <button type="button" className="button" onClick={() => edit.onEdit(row)} aria-label={edit.label(row)}>
                  Edit
                </button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The card's "New …" button, for those who may edit. */
export function NewButton({ label, show, onClick }: { label: string; show: boolean; onClick: () => void }): ReactElement | null {
  if (!show) return null;
  return (
    <button type="button" className="button button-primary" onClick={onClick}>
      {label}
    </button>
  );
}
