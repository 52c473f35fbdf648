import type { ReactElement, ReactNode } from 'react';
import type { AnalyticsFilter, AnalyticsGranularity, AnalyticsGroupBy } from '../../gql/graphql';
import { errorMessage } from '../../lib/errors';

/** What every tab's charts are drawn for: the URL's filters. */
export interface TabProps {
  filter: AnalyticsFilter;
  granularity: AnalyticsGranularity;
  groupBy: AnalyticsGroupBy | null;
  /** The signed-in role (ADMIN, SUPERVISOR, SPECIALIST). */
  role: string | null;
  withinDays: number;
}

export const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
export const amountFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const dayFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
export const compactFormat = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
export const PALETTE = ['#2563eb', '#16a34a', '#ea580c', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#64748b'];

/** A decimal string as a chart coordinate (drawing only; the CSV keeps the string). */
export const plot = (d: string | null | undefined): number | null => (d === null || d === undefined ? null : Number(d));
/** A decimal string for reading: grouped digits, two decimals; '–' when absent. */
export const amountText = (d: string | null | undefined): string => (d === null || d === undefined ? '–' : amountFormat.format(Number(d)));
/** A percentage or ratio string for reading; '–' when absent (nothing to divide by). */
export const figureText = (d: string | null | undefined, unit = ''): string =>
  d === null || d === undefined ? '–' : `${numberFormat.format(Number(d))}${unit}`;
/** A rate in % for reading, always with two decimals (80.83%, 40.00%) so a column's figures align; '–' when absent. */
export const percentText = (d: string | null | undefined): string => (d === null || d === undefined ? '–' : `${amountFormat.format(Number(d))}%`);
/** A count of days for reading with one decimal (21.5, 18.0); '–' when absent. */
export const daysText = (d: string | null | undefined): string => (d === null || d === undefined ? '–' : dayFormat.format(Number(d)));
/** A bucket's axis label: the month (2026-07) or the week's Monday (07-06). */
export const bucketLabel = (start: string, granularity: AnalyticsGranularity) => (granularity === 'MONTH' ? start.slice(0, 7) : start.slice(5));
/** A code (PHONE, CUSTOMER_PAYS) as words; the key null as "none". */
export const keyWords = (key: string | null | undefined): string => (key ? key.charAt(0) + key.slice(1).toLowerCase().replace(/_/g, ' ') : 'none');
export const tooltipNumber = (v: unknown) => (typeof v === 'number' ? numberFormat.format(v) : '–');
export const tooltipAmount = (v: unknown) => (typeof v === 'number' ? amountFormat.format(v) : '–');

export function Problem({ error }: { error: unknown }): ReactElement {
  return (
    <p className="notice" role="alert">
      {errorMessage(error)}
    </p>
  );
}

export function Loading(): ReactElement {
  return <p className="muted analytics-loading">Loading…</p>;
}

export function Empty({ children }: { children: ReactNode }): ReactElement {
  return <p className="muted analytics-loading">{children}</p>;
}

/** A chart body: the error, the loading line, the empty line or the chart. */
export function ChartBody({
  error,
  loading,
  empty,
  emptyText,
  children,
}: {
  error: unknown;
  loading: boolean;
  empty: boolean;
  emptyText: string;
  children: ReactNode;
}): ReactElement {
  if (error) return <Problem error={error} />;
  if (loading) return <Loading />;
  if (empty) return <Empty>{emptyText}</Empty>;
  return <>{children}</>;
}

/** A row of figure tiles (the studio's `.figures` cards). */
export function Tiles({
  label,
  tiles,
}: {
  label: string;
  tiles: Array<{ label: string; value: ReactNode; foot?: ReactNode; testId?: string; title?: string }>;
}): ReactElement {
  return (
    <div className={`figures${tiles.length === 3 ? ' figures-3' : ''} analytics-tiles`} aria-label={label}>
      {tiles.map((t) => (
        <div key={t.label} className="card figure" title={t.title} aria-label={`${t.label} tile`}>
          <span className="figure-label">{t.label}</span>
          <span className="figure-value" data-testid={t.testId}>
            {t.value}
          </span>
          {t.foot && <span className="figure-foot">{t.foot}</span>}
        </div>
      ))}
    </div>
  );
}

export interface Column<T> {
  header: string;
  /** What the header means, when its few words cannot say it all (the header's tooltip). */
  title?: string;
  /** A header of several words that may take two lines, so that a wide table still fits at 1280 px. */
  wrap?: boolean;
  /** Cells kept on one line (a month 2026-04 is not broken at its hyphen). */
  nowrap?: boolean;
  cell: (row: T) => ReactNode;
  /** Right-aligned figures. */
  num?: boolean;
}

const classes = (...names: Array<string | false | undefined>): string | undefined => names.filter(Boolean).join(' ') || undefined;

/** A table of figures, one row per unit: the first column is the row's header. */
export function FigureTable<T>({
  label,
  columns,
  rows,
  rowKey,
}: {
  label: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T, index: number) => string;
}): ReactElement {
  const [first, ...rest] = columns;
  return (
    <div className="table-scroll">
      <table className="table analytics-table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={classes(c.num && 'num', c.wrap && 'analytics-th-wrap')} title={c.title}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={rowKey(r, i)}>
              <th scope="row">{first!.cell(r)}</th>
              {rest.map((c) => (
                <td key={c.header} className={classes(c.num && 'num', c.nowrap && 'analytics-nowrap')}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A group's name as a table shows it; the null key is "nobody" for people, else "none". */
export function GroupName({ group, none = 'None' }: { group: { key?: string | null; label?: string | null }; none?: string }): ReactElement {
  return group.key === null || group.key === undefined ? <span className="muted">{none}</span> : <>{group.label ?? group.key}</>;
}
