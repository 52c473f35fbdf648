/**
 * What the import contract does not carry but a collections department records as it works, so
 * that the demo's analytics have figures: the specialist who made each contact (commission
 * credits authors) and, for each decided dispute, its resolution and root cause. Set-based and
 * deterministic (a function of the imported ids and reasons); only empty fields are filled.
 */
import type { Database } from '../db/database';

/** Root causes the demo's dispute reasons come from (a telecom's billing chain). */
export const DEMO_ROOT_CAUSES: ReadonlyArray<{ code: string; description: string; reasons: readonly string[] }> = [
  { code: 'PRICING', description: 'Price or contract terms in the master data', reasons: ['PRICE', 'RATE_DISAGREEMENT', 'CONTRACT_TERMS'] },
  { code: 'RATING', description: 'Usage rated wrongly (traffic, roaming, quantities)', reasons: ['QUANTITY', 'TRAFFIC_VOLUME', 'ROAMING_CHARGES'] },
  { code: 'SERVICE_QUALITY', description: 'Service outage or degradation credited', reasons: ['SERVICE_OUTAGE'] },
  { code: 'BILLING_PROCESS', description: 'Billing run error or duplicate invoice', reasons: ['BILLING_ERROR', 'DUPLICATE_INVOICE'] },
  { code: 'INVOICE_DELIVERY', description: 'Invoice not delivered to the customer', reasons: ['NOT_RECEIVED'] },
  { code: 'CUSTOMER_ERROR', description: 'Claim unfounded: the customer pays', reasons: [] },
];

export async function seedDemoWork(db: Database): Promise<void> {
  await db.dataSource.transaction(async (m) => {
    await creditContactAuthors(m);
    await decideDisputes(m);
  });
}

type Runner = { query: (sql: string, values?: unknown[]) => Promise<unknown> };

/**
 * Each partner is worked by one specialist of its collection group: its fixed specialist, else
 * the group's active specialists in turn by partner id (the way a team splits its accounts).
 */
async function creditContactAuthors(m: Runner): Promise<void> {
  await m.query(
    `WITH staff AS (SELECT s.id, s.group_key, row_number() OVER (PARTITION BY s.group_key ORDER BY s.id) - 1 AS seat,
                           count(*) OVER (PARTITION BY s.group_key) AS seats
                      FROM specialists s WHERE s.active),
          owner AS (SELECT p.id AS partner_id, coalesce(p.specialist_id, st.id) AS specialist_id
                      FROM partners p JOIN staff st ON st.group_key = p.collection_group_key AND st.seat = p.id % st.seats)
     UPDATE contacts c SET author_specialist_id = o.specialist_id
       FROM owner o WHERE o.partner_id = c.partner_id AND c.author_specialist_id IS NULL`,
  );
}

/**
 * A rejected dispute (rejected now or on its way to CLOSED): the customer pays, root cause
 * CUSTOMER_ERROR. A resolved one: a credit memo, or a write-off for about one in five (by its
 * id's hash), with the root cause its reason points to (the billing process when it gave none).
 */
async function decideDisputes(m: Runner): Promise<void> {
  for (const cause of DEMO_ROOT_CAUSES) {
    await m.query(`INSERT INTO dispute_root_causes (code, description) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING`, [cause.code, cause.description]);
  }
  const reasons = DEMO_ROOT_CAUSES.flatMap((c) => c.reasons.map((r) => [r, c.code]));
  await m.query(
    `WITH cause AS (SELECT * FROM unnest($1::text[], $2::text[]) AS x(reason, code)),
          decided AS (SELECT d.id, d.reason,
                             d.status = 'REJECTED' OR EXISTS (SELECT 1 FROM dispute_status_changes h WHERE h.dispute_id = d.id AND h.status = 'REJECTED') AS rejected,
                             abs(hashtext(d.external_id)) % 5 = 0 AS written_off
                        FROM disputes d WHERE d.status IN ('RESOLVED', 'REJECTED', 'CLOSED') AND d.resolution IS NULL)
     UPDATE disputes d
        SET resolution = CASE WHEN x.rejected THEN 'CUSTOMER_PAYS' WHEN x.written_off THEN 'WRITE_OFF' ELSE 'CREDIT_MEMO' END,
            root_cause = CASE WHEN x.rejected THEN 'CUSTOMER_ERROR' ELSE coalesce((SELECT c.code FROM cause c WHERE c.reason = x.reason), 'BILLING_PROCESS') END
       FROM decided x WHERE x.id = d.id`,
    [reasons.map((r) => r[0]), reasons.map((r) => r[1])],
  );
}
