/**
 * The arms of an experiment compared on their realised outcomes, with the backtest's figures and
 * intervals (backtests/: measureOutcomes, summariseOutcomes, bootstrapListFigures, bootstrapDifference; no outcome
 * computation of our own). Each live run of the experiment lists partners per arm at its key
 * date D (experiment_listings); a run is measured once its window (D, D + h] has passed (D + h
 * before today), so every figure is realised. Each partner counts once, from the first measured
 * run that listed it (its entry into the test): daily runs with overlapping windows would
 * otherwise count one payment up to h times, and the partners are the bootstrap's independent
 * units (the two arms drawn apart: unpaired).
 */
import {
  bootstrapDifference,
  bootstrapListFigures,
  captureAtCapacity,
  measureOutcomes,
  PARTNERS_PER_SPECIALIST_DAY,
  summariseOutcomes,
  verdictOf,
  type BootstrapDifference,
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

const CONFIDENCE = 0.95;

type Figure = {
  name: string;
  lowerIsBetter: boolean;
  /**
   * A rate as a ratio of sums over partners (numerator, denominator): its interval comes from the
   * backtest's weighted bootstrap (bootstrapListFigures, its collected share over rows carrying
   * these sums), O(partners) a resample without copying rows.
   */
  ratio?: { num: (r: PartnerOutcome) => number; den: (r: PartnerOutcome) => number };
};

/** The compared figures: the backtest's, and promises broken per partner (the arms differ in size). */
const FIGURES: Figure[] = [
  { name: 'collectedShare', lowerIsBetter: false },
  { name: 'cureRate', lowerIsBetter: false, ratio: { num: (r) => (r.cured === true ? 1 : 0), den: (r) => (r.cured === null ? 0 : 1) } },
  { name: 'rollRate', lowerIsBetter: true, ratio: { num: (r) => (r.rolled ? 1 : 0), den: () => 1 } },
  { name: 'promisesBrokenPerPartner', lowerIsBetter: true, ratio: { num: (r) => r.promisesBroken, den: () => 1 } },
  { name: 'captureAtCapacity', lowerIsBetter: false },
  { name: 'auc', lowerIsBetter: false },
];

/** Resamples of every interval; capture at capacity, ranked against each arm's own capacity, sorts every resample and takes fewer. */
const RESAMPLES = 1000;
const CAPTURE_RESAMPLES = 200;

export interface ResultsOptions {
  horizonDays?: number | null;
}

export async function experimentResults(ctx: Pick<RequestContext, 'db'>, rawId: string, options: ResultsOptions = {}): Promise<ExperimentResults> {
  const horizonDays = options.horizonDays ?? 30;
  if (!Number.isInteger(horizonDays) || horizonDays < 1 || horizonDays > 365) throw new BadUserInputError('horizonDays must be 1 to 365', 'horizonDays');
  const experiment = await findExperiment(ctx, rawId);
  const { lists, span, currency, capacity } = await measuredLists(ctx, experiment.id, experiment.group, horizonDays);
  const outcomes = lists.length
    ? await measureOutcomes(
        ctx.db,
        lists.map((l) => l.list),
        { horizonDays, currency: currency! },
      )
    : [];
  const rows = { CHAMPION: [] as PartnerOutcome[], CHALLENGER: [] as PartnerOutcome[] };
  outcomes.forEach((list, i) => rows[lists[i]!.arm].push(...list));
  // The arms share the group's working day in proportion to their size.
  const capacities = {
    CHALLENGER: Math.round((capacity * experiment.shareBasisPoints) / BASIS_POINTS),
    CHAMPION: capacity - Math.round((capacity * experiment.shareBasisPoints) / BASIS_POINTS),
  };
  return {
    experiment,
    horizonDays,
    currency,
    runs: span.runs,
    firstAsOf: span.first,
    lastAsOf: span.last,
    confidence: CONFIDENCE,
    champion: armFigures(ExperimentArm.CHAMPION, summariseOutcomes(rows.CHAMPION, capacities.CHAMPION)),
    challenger: armFigures(ExperimentArm.CHALLENGER, summariseOutcomes(rows.CHALLENGER, capacities.CHALLENGER)),
    differences: differences(rows.CHAMPION, rows.CHALLENGER, capacities),
  };
}

/**
 * Each partner's entry listing (its first measured run), as lists per key date and arm, the runs'
 * currency (one: the arms share it) and the group's daily capacity.
 */
async function measuredLists(
  ctx: Pick<RequestContext, 'db'>,
  experimentId: string,
  group: string,
  horizonDays: number,
): Promise<{
  lists: Array<{ arm: 'CHAMPION' | 'CHALLENGER'; list: OutcomeList }>;
  span: { runs: number; first: string | null; last: string | null };
  currency: string | null;
  capacity: number;
}> {
  const rows: Array<{
    as_of: string;
    arm: 'CHAMPION' | 'CHALLENGER';
    currency: string;
    partners: string[];
    valuations: number[];
    priorities: number[];
    amounts: string[];
  }> = await ctx.db.dataSource.query(
    `WITH entry AS (SELECT DISTINCT ON (l.partner_id) l.* FROM experiment_listings l
          WHERE l.experiment_id = $1 AND l.as_of + $2::integer < $3::date ORDER BY l.partner_id, l.as_of, l.run_id)
       SELECT l.as_of::text AS as_of, l.arm, r.currency::text AS currency,
          array_agg(l.partner_id::text ORDER BY l.partner_id) AS partners, array_agg(l.valuation ORDER BY l.partner_id) AS valuations,
          array_agg(l.priority ORDER BY l.partner_id) AS priorities, array_agg(l.to_be_collected::text ORDER BY l.partner_id) AS amounts
         FROM entry l JOIN worklist_runs r ON r.id = l.run_id
        GROUP BY l.as_of, l.arm, r.currency ORDER BY l.as_of, l.arm`,
    [experimentId, horizonDays, today()],
  );
  const [span]: Array<{ runs: number; first: string | null; last: string | null }> = await ctx.db.dataSource.query(
    `SELECT count(DISTINCT as_of)::integer AS runs, min(as_of)::text AS first, max(as_of)::text AS last FROM experiment_listings
      WHERE experiment_id = $1 AND as_of + $2::integer < $3::date`,
    [experimentId, horizonDays, today()],
  );
  // As the backtest takes it: the group's daily capacity, else a day of its active specialists.
  const [g]: Array<{ daily_capacity: number | null; specialists: number }> = await ctx.db.dataSource.query(
    `SELECT g.daily_capacity, (SELECT count(*)::integer FROM specialists s WHERE s.group_key = g.key AND s.active) AS specialists
       FROM collection_groups g WHERE g.key = $1`,
    [group],
  );
  const capacity = g?.daily_capacity ?? Math.max(1, g?.specialists ?? 0) * PARTNERS_PER_SPECIALIST_DAY;
  const currencies = new Set(rows.map((r) => r.currency));
  if (currencies.size > 1)
    throw new BadUserInputError(`The experiment's runs are in several currencies (${[...currencies].join(', ')}); results need one`, 'id');
  return {
    span: span!,
    currency: rows[0]?.currency ?? null,
    capacity,
    lists: rows.map((r) => ({
      arm: r.arm,
      list: {
        asOf: r.as_of,
        partners: r.partners.map((partnerId, i) => ({
          partnerId,
          valuation: Number(r.valuations[i]),
          priority: Number(r.priorities[i]),
          toBeCollected: r.amounts[i]!,
        })),
      },
    })),
  };
}

function armFigures(arm: ExperimentArm, f: OutcomeFigures): ExperimentArmFigures {
  return { arm, ...f };
}

/** Challenger minus champion per figure, each with its unpaired interval (seeded: the same data gives the same intervals). */
function differences(champion: PartnerOutcome[], challenger: PartnerOutcome[], capacities: { CHAMPION: number; CHALLENGER: number }): ExperimentDifference[] {
  const options = (seed: number) => ({ paired: false, resamples: RESAMPLES, seed, confidence: CONFIDENCE });
  const listed = bootstrapListFigures(champion, challenger, capacities.CHAMPION, options(1));
  const asRatio = (rows: PartnerOutcome[], ratio: NonNullable<Figure['ratio']>) =>
    rows.map((r) => ({ ...r, collected: String(ratio.num(r)), toBeCollected: String(ratio.den(r)) }));
  return FIGURES.map((f, n) => {
    if (f.name === 'collectedShare') return withVerdict(f, listed.collectedShare);
    if (f.name === 'auc') return withVerdict(f, listed.auc);
    if (f.ratio) return withVerdict(f, bootstrapListFigures(asRatio(champion, f.ratio), asRatio(challenger, f.ratio), 0, options(n + 1)).collectedShare);
    return withVerdict(f, captureDifference(champion, challenger, capacities, n + 1));
  });
}

/** Capture at capacity, each arm ranked against its own capacity: the arms hold different partners, so a resample's first row names its arm. */
function captureDifference(
  champion: PartnerOutcome[],
  challenger: PartnerOutcome[],
  capacities: { CHAMPION: number; CHALLENGER: number },
  seed: number,
): BootstrapDifference {
  const championIds = new Set(champion.map((r) => r.partnerId));
  const capacityOf = (rows: PartnerOutcome[]) => (rows.length && championIds.has(rows[0]!.partnerId) ? capacities.CHAMPION : capacities.CHALLENGER);
  return bootstrapDifference((rows) => captureAtCapacity(rows, capacityOf(rows)), champion, challenger, {
    paired: false,
    resamples: CAPTURE_RESAMPLES,
    seed,
    confidence: CONFIDENCE,
  });
}

/** The backtest's verdict, turned round where less is better. */
function withVerdict(figure: Figure, { difference, low, high }: BootstrapDifference): ExperimentDifference {
  const verdict = verdictOf({ difference, low, high });
  const flipped = figure.lowerIsBetter ? (({ BETTER: 'WORSE', WORSE: 'BETTER' } as Record<string, string>)[verdict] ?? verdict) : verdict;
  return { figure: figure.name, difference, low, high, verdict: flipped };
}
