import type { AgencyReport } from '../../packages/server/src/agencies';

/** An analyticsAgencies row as the API answers it. */
export type AgencyRowLike = AgencyReport['rows'][number];

/** The row as its exports hold it (the studio's CSV and the CLI's): the fields in order, values as the API gives them. */
export function agencyRowFields(r: AgencyRowLike): Array<string | number | null> {
  return [
    r.agency,
    r.agencyName,
    r.placementMonth,
    r.group.key,
    r.group.label,
    r.placements,
    r.placedAmount,
    r.recoveredAmount,
    r.recoveryRate,
    r.daysToFirstPayment,
    r.commissionDue,
  ];
}
