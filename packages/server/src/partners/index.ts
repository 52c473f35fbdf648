/** The public entry of partners/: what other features and the composition root may use. */
export { ArOverviewResolver } from './ar-overview.resolver';
export { warmArOverview } from './ar-overview.service';
export { PartnerRecord } from './partner-record';
export { PartnerSearchResolver } from './partner-search.resolver';
export { BusinessPartner } from './partner.entity';
