/** The public entry of agency-reports/: the studio's upload of an agency payment report. */
export { AgencyReportResolver } from './agency-reports.resolver';
