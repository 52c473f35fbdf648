import { currentArRevision } from '../db/ar-revision.entity';
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import type { MoneyAmount } from '../fx/money.types';
import type { ArOverview, SegmentOverview } from './ar-overview.types';

interface SegmentCurrencyRow {
  segment: string;
  currency: string | null;
  partners: string;
  open_items: string;
  overdue_items: string;
  open_amount: string | null;
}

/**
 * Figures kept per database and key date with the AR revision they were read at: on a mirror of
 * millions of items they take seconds, and the studio asks on every page that lists segments.
 * Any write to an AR table bumps the revision (migration ArRevision), so a kept value is exact.
 */
const kept = new WeakMap<Database, Map<string, { revision: string; figures: Promise<Figures> }>>();
const KEY_DATES_KEPT = 8;

interface Figures {
  rows: SegmentCurrencyRow[];
  totals: MoneyAmount[];
}

/** The AR mirror at a glance, per segment and currency, at key date `asOf`. */
export async function arOverview(ctx: RequestContext, asOf: string): Promise<ArOverview> {
  const [{ rows, totals }, names] = await Promise.all([
    figuresOf(ctx.db, asOf),
    // Segment names are organisation data, outside the AR revision: always read.
    ctx.db.dataSource.query<Array<{ key: string; name: string }>>(`SELECT key, name FROM collection_segments`),
  ]);
  const nameOf = new Map(names.map((n) => [n.key, n.name]));
  const segments = new Map<string, SegmentOverview>();
  for (const row of rows) {
    let segment = segments.get(row.segment);
    if (!segment) {
      segment = {
        key: row.segment,
        name: nameOf.get(row.segment) ?? row.segment,
        partners: Number(row.partners),
        openItems: 0,
        overdueItems: 0,
        openAmounts: [],
      };
      segments.set(row.segment, segment);
    }
    segment.openItems += Number(row.open_items);
    segment.overdueItems += Number(row.overdue_items);
    if (row.currency && row.open_amount !== null) segment.openAmounts.push({ currency: row.currency, amount: row.open_amount });
  }
  const list = [...segments.values()];
  return {
    asOf,
    partners: list.reduce((n, s) => n + s.partners, 0),
    openItems: list.reduce((n, s) => n + s.openItems, 0),
    overdueItems: list.reduce((n, s) => n + s.overdueItems, 0),
    openAmounts: totals,
    segments: list,
  };
}

/**
 * Reads today's figures ahead of the first request that asks (seconds on a big mirror); errors
 * are left for that request to meet.
 */
export function warmArOverview(db: Database, asOf: string): void {
  figuresOf(db, asOf).catch(() => undefined);
}

async function figuresOf(db: Database, asOf: string): Promise<Figures> {
  // The revision before the read: a write during it leaves the value marked older than it is.
  const revision = await currentArRevision(db.dataSource);
  let byDate = kept.get(db);
  if (!byDate) kept.set(db, (byDate = new Map()));
  const entry = byDate.get(asOf);
  if (entry && entry.revision === revision) return entry.figures;
  const figures = readFigures(db, asOf);
  byDate.delete(asOf);
  byDate.set(asOf, { revision, figures });
  figures.catch(() => byDate.get(asOf)?.figures === figures && byDate.delete(asOf));
  for (const key of [...byDate.keys()].slice(0, Math.max(0, byDate.size - KEY_DATES_KEPT))) byDate.delete(key);
  return figures;
}

async function readFigures(db: Database, asOf: string): Promise<Figures> {
  const rows: Array<SegmentCurrencyRow & { totals: MoneyAmount[] | null }> = await db.dataSource.query(
    `WITH partner_counts AS (
       SELECT segment, count(*) AS partners FROM partners GROUP BY segment
     ), item_sums AS (
       SELECT p.segment, i.currency::text AS currency,
              count(*) AS open_items,
              count(*) FILTER (WHERE i.due_date < $1::date) AS overdue_items,
              sum(i.open_amount) AS open_amount
         FROM open_items i JOIN partners p ON p.id = i.partner_id
        WHERE i.open_amount > 0
        GROUP BY p.segment, i.currency
     )
     SELECT pc.segment, x.currency, pc.partners,
            coalesce(x.open_items, 0) AS open_items, coalesce(x.overdue_items, 0) AS overdue_items, x.open_amount::text AS open_amount,
            -- Totals per currency from the same scan, summed in SQL so money stays exact.
            (SELECT json_agg(t ORDER BY t.currency) FROM (SELECT currency, sum(open_amount)::text AS amount FROM item_sums GROUP BY currency) t) AS totals
       FROM partner_counts pc
       LEFT JOIN item_sums x ON x.segment = pc.segment
      ORDER BY pc.segment, x.currency`,
    [asOf],
  );
  return { rows, totals: rows[0]?.totals ?? [] };
}
