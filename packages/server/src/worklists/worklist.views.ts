/** Rows as the API shows them: items, runs, partners and specialists, and an item's rules and ageing read with its run. */
import { agingBuckets } from '@recoup/rules';
import type { ExperimentArm } from './worklist-arm.types';
import type { ItemRow, PartnerRow, RunRow, SpecialistRow } from '../graphql/loaders';
import { Partner, WorklistItem, type AgingAmount, type FiredRule, type Specialist, type WorklistRun } from './worklist.types';

export function itemView(row: ItemRow): WorklistItem {
  return Object.assign(new WorklistItem(), {
    id: `${row.run_id}:${row.partner_id}`,
    runId: row.run_id,
    partnerId: row.partner_id,
    specialistOrigin: row.specialist_origin,
    valuation: Number(row.valuation),
    percent: row.percent,
    priority: Number(row.priority),
    amounts: {
      open: row.amount_open,
      overdue: row.amount_overdue,
      due: row.amount_due,
      toBeCollected: row.amount_to_be_collected,
      disputed: row.amount_disputed,
      promised: row.amount_promised,
      broken: row.amount_broken,
      dunned: row.amount_dunned,
    },
    maxDunningLevel: Number(row.max_dunning_level),
    daysOverdue: row.max_days_overdue === null || row.max_days_overdue === undefined ? null : Number(row.max_days_overdue),
    lastPaymentDate: row.last_payment_date,
    resubmissionDate: row.resubmission_date,
    revaluatedAt: row.revaluated_at ? new Date(row.revaluated_at).toISOString() : null,
    completedAt: row.completed_at ? new Date(row.completed_at).toISOString() : null,
    arm: (row.arm ?? null) as ExperimentArm | null,
    row,
  });
}

export function runView(run: RunRow): WorklistRun {
  return {
    id: run.id,
    segment: run.segment_key,
    asOf: run.as_of,
    mode: run.mode,
    status: run.status,
    live: run.live,
    strategyVersionId: run.strategy_version_id,
    experimentId: run.experiment_id ?? null,
    currency: run.currency,
    partnersEvaluated: run.partners_evaluated,
    partnersOnList: run.partners_on_list,
    partnersExcluded: run.partners_excluded,
    error: run.error,
    startedAt: new Date(run.started_at).toISOString(),
    finishedAt: run.finished_at ? new Date(run.finished_at).toISOString() : null,
    progress: {
      phase: run.progress_phase ?? (run.status === 'SUCCEEDED' ? 'done' : 'queued'),
      partnersScored: run.partners_scored,
      partnersTotal: run.partners_total,
      partsDone: run.parts_done,
      partsTotal: run.parts_total,
    },
    rules: run.rules ?? [],
    amountToBeCollected: run.stats?.amountToBeCollected ?? null,
    byPriority: run.stats?.byPriority ?? [],
    bySpecialist: (run.stats?.bySpecialist ?? []).map((s) => ({ ...s, specialistId: s.specialistId === null ? null : String(s.specialistId) })),
  };
}

export function partnerView(row: PartnerRow): Partner {
  return Object.assign(new Partner(), {
    id: row.id,
    externalId: row.external_id,
    name: row.name,
    country: row.country,
    currency: row.currency,
    riskClass: row.risk_class,
    creditLimit: row.credit_limit,
    customerType: row.customer_type,
    segment: row.segment,
    collectionGroup: row.collection_group_key,
    specialistId: row.specialist_id,
  });
}

export function specialistView(row: SpecialistRow): Specialist {
  return { id: row.id, userName: row.user_name, name: row.name, email: row.email, group: row.group_key, active: row.active, version: row.version };
}

/** The fired condition rules of an item: its `fired` bits decoded with the run's rule list. */
export function firedRulesOf(run: RunRow | null, fired: string): FiredRule[] {
  const rules = run?.rules ?? [];
  const out: FiredRule[] = [];
  for (let i = 0; i < fired.length && i < rules.length; i++) if (fired[i] === '1') out.push({ name: rules[i]!.name, points: rules[i]!.points });
  return out;
}

/** An item's open amount per ageing bucket, labelled by the run's ageing limits. */
export function agingOf(run: RunRow | null, aging: string[]): AgingAmount[] {
  const buckets = agingBuckets(run?.aging_limits ?? []);
  return aging.map((amount, i) => ({
    label: buckets[i]?.label ?? `bucket ${i + 1}`,
    fromDays: buckets[i]?.from ?? null,
    toDays: buckets[i]?.to ?? null,
    amount,
  }));
}
