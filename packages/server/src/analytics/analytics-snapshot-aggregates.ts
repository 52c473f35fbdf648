/**
 * The per-day aggregates the snapshot refresh keeps besides the positions, in the order it builds
 * them: the KPI report's flows and each report's own (analytics-snapshot-*.ts; the worklists' keyed by
 * their runs' key dates).
 */
import type { DailyAggregate } from './analytics-snapshot-sql';
import { DAILY_CONTACTS } from './analytics-snapshot-contacts';
import { DAILY_DISPUTES } from './analytics-snapshot-disputes';
import { DAILY_FLOWS } from './analytics-snapshot-flows';
import { DAILY_PROMISES } from './analytics-snapshot-promises';
import { WORKLIST_RUNS } from './analytics-snapshot-worklists';

export const DAILY_AGGREGATES: readonly DailyAggregate[] = [DAILY_FLOWS, DAILY_CONTACTS, DAILY_DISPUTES, DAILY_PROMISES, WORKLIST_RUNS];
