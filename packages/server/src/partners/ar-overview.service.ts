import type { RequestContext } from '../graphql/context';
import type { ArOverview, MoneyAmount, SegmentOverview } from './ar-overview.types';

interface SegmentCurrencyRow {
  segment: string;
  name: string | null;
  currency: string | null;
  partners: string;
  open_items: string;
  overdue_items: string;
  open_amount: string | null;
}

/** The AR mirror at a glance, per segment and currency, at key date `asOf`. */
export async function arOverview(ctx: RequestContext, asOf: string): Promise<ArOverview> {
  const rows: SegmentCurrencyRow[] = await ctx.db.dataSource.query(
    `WITH partner_counts AS (
       SELECT segment, count(*) AS partners FROM partners GROUP BY segment
     ), item_sums AS (
       SELECT p.segment, i.currency,
              count(*) AS open_items,
              count(*) FILTER (WHERE i.due_date < $1::date) AS overdue_items,
              sum(i.open_amount) AS open_amount
         FROM open_items i JOIN partners p ON p.id = i.partner_id
        WHERE i.open_amount > 0
        GROUP BY p.segment, i.currency
     )
     SELECT pc.segment, s.name, x.currency, pc.partners,
            coalesce(x.open_items, 0) AS open_items, coalesce(x.overdue_items, 0) AS overdue_items, x.open_amount
       FROM partner_counts pc
       LEFT JOIN item_sums x ON x.segment = pc.segment
       LEFT JOIN collection_segments s ON s.key = pc.segment
      ORDER BY pc.segment, x.currency`,
    [asOf],
  );
  const segments = new Map<string, SegmentOverview>();
  for (const row of rows) {
    let segment = segments.get(row.segment);
    if (!segment) {
      segment = { key: row.segment, name: row.name ?? row.segment, partners: Number(row.partners), openItems: 0, overdueItems: 0, openAmounts: [] };
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
    openAmounts: await totalsByCurrency(ctx),
    segments: list,
  };
}

async function totalsByCurrency(ctx: RequestContext): Promise<MoneyAmount[]> {
  // Summed in SQL so money stays exact.
  return ctx.db.dataSource.query(
    `SELECT currency, sum(open_amount)::text AS amount FROM open_items WHERE open_amount > 0 GROUP BY currency ORDER BY currency`,
  );
}
