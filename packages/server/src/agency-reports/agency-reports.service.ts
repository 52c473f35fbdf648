/**
 * An agency's payment report uploaded in the studio (issue 22), a feature of its own because it
 * joins two (agencies, whose types it answers with, and import, whose code it runs; import already
 * depends on agencies): the agency_payments.csv text goes
 * through the same import code as `pnpm recoup import` (importAgencyPayments), in one transaction.
 * The first bad row is a BAD_USER_INPUT naming the line and the column, and nothing is written.
 */
import type { RequestContext } from '../graphql/context';
import { BadUserInputError, DomainError } from '../graphql/errors';
import { ImportError, importAgencyPayments } from '../import';
import type { AgencyPaymentImportView } from '../agencies';

/** Reports larger than this belong to `pnpm recoup import` (a file on disk, streamed). */
const MAX_REPORT_CHARS = 5_000_000;

export async function importAgencyPaymentsApi(ctx: RequestContext, csv: string): Promise<AgencyPaymentImportView> {
  if (csv.length > MAX_REPORT_CHARS)
    throw new BadUserInputError(`The report is larger than ${MAX_REPORT_CHARS} characters: import it with pnpm recoup import`, 'csv');
  try {
    return await ctx.db.dataSource.transaction(async (m) => {
      const [{ last }] = await m.query(`SELECT coalesce(max(payment_id), 0)::text AS last FROM agency_payments`);
      const result = await importAgencyPayments(m, [csv]);
      const cleared: Array<{ item: string }> = await m.query(
        `SELECT DISTINCT i.external_id AS item FROM agency_payments ap JOIN payments y ON y.id = ap.payment_id JOIN open_items i ON i.id = y.item_id
          WHERE ap.payment_id > $1::bigint AND i.open_amount = 0 ORDER BY 1`,
        [last],
      );
      return { rows: result.rows, applied: result.inserted, alreadyApplied: result.unchanged, clearedItems: cleared.map((c) => c.item) };
    });
  } catch (error) {
    // The line (1 is the header) and the CSV column at fault, for the studio to point at.
    if (error instanceof ImportError) throw new DomainError('BAD_USER_INPUT', error.message, { path: 'csv', line: error.line, column: error.column });
    throw error;
  }
}
