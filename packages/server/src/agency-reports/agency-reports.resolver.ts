import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { AgencyPaymentImportView } from '../agencies';
import type { RequestContext } from '../graphql/context';
import { importAgencyPaymentsApi } from './agency-reports.service';

@Resolver()
export class AgencyReportResolver {
  @Mutation(() => AgencyPaymentImportView, {
    description:
      'Imports an agency payment report (agency_payments.csv text: agency, item_id, payment_date, amount, currency) as `pnpm recoup import` does: each payment clears its placed item; a bad row is BAD_USER_INPUT naming its line and column, and nothing is written; a re-import applies nothing again.',
  })
  importAgencyPayments(@Ctx() ctx: RequestContext, @Arg('csv', () => String, { description: 'The report, CSV text with its header line.' }) csv: string) {
    return importAgencyPaymentsApi(ctx, csv);
  }
}
