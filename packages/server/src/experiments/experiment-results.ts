/**
 * The arms of an experiment compared on their realised outcomes, with the backtest's figures and
 * intervals (backtests/: measureOutcomes, summariseOutcomes, bootstrapDifference; no outcome
 * computation of our own). Each live run of the experiment lists partners per arm at its key
 * date D (experiment_listings); a run is measured once its window (D, D + h] has passed (D + h
 * before today), so every figure is realised. A partner is the bootstrap's unit: its rows at
 * every measured key date are drawn together, the two arms apart (unpaired).
 */
import {
  auc,
  bootstrapDifference,
  captureAtCapacity,
  collectedShareOf,
  measureOutcomes,
  summariseOutcomes,
  type OutcomeFigures,
  type OutcomeList,
  type PartnerOutcome,
} from '../backtests';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError } from '../graphql/errors';
import { today } from '../graphql/scalars';
import { BASIS_POINTS, ExperimentArm } from '../worklists';
import { findExperiment } from './experiment.service';
import type { ExperimentArmFigures, ExperimentDifference, ExperimentResults } from './experiment.types';

/** When the group has no daily capacity of its own: the top partners a group works in a day. */
export const DEFAULT_DAILY_CAPACITY = 100;
const CONFIDENCE = 0.95;

type Figure = { name: string; lowerIsBetter: boolean; of: (rows: PartnerOutcome[], capacity: number) => number | null };

/** The compared figures: the backtest's, promises broken per partner (arms differ in size). */
const FIGURES: Figure[] = [
  { name: 'collectedShare', lowerIsBetter: false, of: (rows) => collectedShareOf(rows) },
  { name: 'cureRate', lowerIsBetter: false, of: (rows) => summariseOutcomes(rows, 0).cureRate },
  { name: 'rollRate', lowerIsBetter: true, of: (rows) => summariseOutcomes(rows, 0).rollRate },
  { name: 'promisesBrokenPerPartner', lowerIsBetter: true, of: (rows) => (rows.length ? summariseOutcomes(rows, 0).promisesBroken / rows.length : null) },
  { name: 'captureAtCapacity', lowerIsBetter: false, of: (rows, capacity) => captureAtCapacity(rows, capacity) },
  { name: 'auc', lowerIsBetter: false, of: (rows) => auc(rows) },
];

export interface ResultsOptions {
  horizonDays?: number | null;
  /** Bootstrap resamples (default 400). */
  resamples?: number;
}

export async function experimentResults(ctx: Pick<RequestContext, 'db'>, rawId: string, options: ResultsOptions = {}): Promise<ExperimentResults> {
  const horizonDays = options.horizonDays ?? 30;
  if (!Number.isInteger(horizonDays) || horizonDays < 1 || horizonDays > 365) throw new BadUserInputError('horizonDays must be 1 to 365', 'horizonDays');
  const experiment = await findExperiment(ctx, rawId);
  const { lists, currency, capacity } = await measuredLists(ctx, experiment.id, experiment.group, horizonDays);
  const outcomes = lists.length ? await measureOutcomes(ctx.db, lists.map((l) => l.list), { horizonDays, currency: currency! }) : [];
  const rows = { CHAMPION: [] as PartnerOutcome[], CHALLENGER: [] as PartnerOutcome[] };
  outcomes.forEach((list, i) => rows[lists[i]!.arm].push(...list));
  // The arms share the group's working day in proportion to their size.
  const capacities = {
    CHALLENGER: Math.round((capacity * experiment.shareBasisPoints) / BASIS_POINTS),
    CHAMPION: capacity - Math.round((capacity * experiment.shareBasisPoints) / BASIS_POINTS),
  };
  const dates = [...new Set(lists.map((l) => l.list.asOf))].sort();
  const resamples = options.resamples ?? 400;
  return {
    experiment,
    horizonDays,
    runs: dates.length,
    firstAsOf: dates[0] ?? null,
    lastAsOf: dates[dates.length - 1] ?? null,
    confidence: CONFIDENCE,
    champion: armFigures(ExperimentArm.CHAMPION, summariseOutcomes(rows.CHAMPION, capacities.CHAMPION)),
    challenger: armFigures(ExperimentArm.CHALLENGER, summariseOutcomes(rows.CHALLENGER, capacities.CHALLENGER)),
    differences: FIGURES.map((f, n) => difference(f, rows.CHAMPION, rows.CHALLENGER, capacities, resamples, n + 1)),
  };
}

/**
 * The experiment's listings per measured run and arm (runs whose window has passed), the runs'
 * currency (one: the arms share it, and a group's strategy currency is its segment's) and the
 * group's daily capacity (DEFAULT_DAILY_CAPACITY without one).
 */
async function measuredLists(
  ctx: Pick<RequestContext, 'db'>,
  experimentId: string,
  group: string,
  horizonDays: number,
): Promise<{ lists: Array<{ arm: 'CHAMPION' | 'CHALLENGER'; list: OutcomeList }>; currency: string | null; capacity: number }> {
  const rows: Array<{ as_of: string; arm: 'CHAMPION' | 'CHALLENGER'; currency: string; partners: string[]; valuations: number[]; priorities: number[]; amounts: string[] }> =
    await ctx.db.dataSource.query(
      `SELECT l.as_of::text AS as_of, l.arm, r.currency::text AS currency,
          array_agg(l.partner_id::text ORDER BY l.partner_id) AS partners, array_agg(l.valuation ORDER BY l.partner_id) AS valuations,
          array_agg(l.priority ORDER BY l.partner_id) AS priorities, array_agg(l.to_be_collected::text ORDER BY l.partner_id) AS amounts
         FROM experiment_listings l JOIN worklist_runs r ON r.id = l.run_id
        WHERE l.experiment_id = $1 AND l.as_of + $2::integer < $3::date
        GROUP BY l.run_id, l.as_of, l.arm, r.currency ORDER BY l.as_of, l.run_id, l.arm`,
      [experimentId, horizonDays, today()],
    );
  // A key date run twice (a re-run) counts once: its latest run.
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) latest.set(`${r.as_of}:${r.arm}`, r);
  const [g]: Array<{ capacity: string | null }> = await ctx.db.dataSource.query(`SELECT to_jsonb(g) ->> 'daily_capacity' AS capacity FROM collection_groups g WHERE g.key = $1`, [group]);
  const capacity = g?.capacity ? Number(g.capacity) : DEFAULT_DAILY_CAPACITY;
  const currencies = new Set(rows.map((r) => r.currency));
  if (currencies.size > 1) throw new BadUserInputError(`The experiment's runs are in several currencies (${[...currencies].join(', ')}); results need one`, 'id');
  return {
    currency: rows[0]?.currency ?? null,
    capacity,
    lists: [...latest.values()].map((r) => ({
      arm: r.arm,
      list: {
        asOf: r.as_of,
        partners: r.partners.map((partnerId, i) => ({ partnerId, valuation: Number(r.valuations[i]), priority: Number(r.priorities[i]), toBeCollected: r.amounts[i]! })),
      },
    })),
  };
}

function armFigures(arm: ExperimentArm, f: OutcomeFigures): ExperimentArmFigures {
  return { arm, ...f };
}

function difference(
  figure: Figure,
  champion: PartnerOutcome[],
  challenger: PartnerOutcome[],
  capacities: { CHAMPION: number; CHALLENGER: number },
  resamples: number,
  seed: number,
): ExperimentDifference {
  // Each arm is ranked against its own capacity; the arms hold different partners, so a resample's first row names its arm.
  const championIds = new Set(champion.map((r) => r.partnerId));
  const capacityOf = (rows: PartnerOutcome[]) => (rows.length && championIds.has(rows[0]!.partnerId) ? capacities.CHAMPION : capacities.CHALLENGER);
  const { difference, low, high } = bootstrapDifference((rows) => figure.of(rows, capacityOf(rows)), champion, challenger, {
    paired: false,
    resamples,
    seed,
    confidence: CONFIDENCE,
  });
  const verdict =
    low === null || high === null ? 'UNKNOWN' : low > 0 ? (figure.lowerIsBetter ? 'WORSE' : 'BETTER') : high < 0 ? (figure.lowerIsBetter ? 'BETTER' : 'WORSE') : 'NOISE';
  return { figure: figure.name, difference, low, high, verdict };
}
