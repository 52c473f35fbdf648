/**
 * The backtest's figures in words a functional consultant reads: what each figure means, and
 * whether a difference is beyond noise (its whole 95% interval on one side of zero).
 */
import type { StudioFigureDifferenceFragment } from '../../gql/graphql';

export type FigureName = 'collectedShare' | 'captureAtCapacity' | 'auc';

export const FIGURE_WORDS: Record<FigureName, { name: string; meaning: (horizon: number, capacity: number) => string }> = {
  collectedShare: {
    name: 'Collected share',
    meaning: (h) => `of the amount to be collected at the key date came in within ${h} days`,
  },
  captureAtCapacity: {
    name: 'Capture at capacity',
    meaning: (_, k) => `of the money collected sat with the ${k.toLocaleString()} partners ranked first (what the team works in a day)`,
  },
  auc: {
    name: 'Ranking quality (AUC)',
    meaning: () => 'chance that a partner who went bad (rolled to 90+ days or was not cured) was ranked above one who did not; 0.5 is a coin toss',
  },
};

export function percent(x: number | null | undefined, digits = 1): string {
  return x == null ? '–' : `${(x * 100).toFixed(digits)}%`;
}

export function ratio(x: number | null | undefined): string {
  return x == null ? '–' : x.toFixed(3);
}

/** A difference in percentage points (shares) or plain (AUC), signed; what rounds to zero has no sign. */
export function signedDifference(figure: string, x: number | null): string {
  if (x === null) return '–';
  const text = figure === 'auc' ? x.toFixed(3) : (x * 100).toFixed(1);
  const unsigned = /^-?0\.0+$/.test(text) ? text.replace('-', '') : text;
  const signed = unsigned.startsWith('-') ? `−${unsigned.slice(1)}` : /^0\.0+$/.test(unsigned) ? unsigned : `+${unsigned}`;
  return figure === 'auc' ? signed : `${signed} pt`;
}

export type Verdict = 'BETTER' | 'WORSE' | 'NO_CLEAR_DIFFERENCE' | 'UNKNOWN';

export const VERDICT_WORDS: Record<Verdict, string> = {
  BETTER: 'Better, beyond noise',
  WORSE: 'Worse, beyond noise',
  NO_CLEAR_DIFFERENCE: 'Within noise',
  UNKNOWN: 'Not measurable',
};

type Difference = StudioFigureDifferenceFragment['differences'][number];

/** One sentence: how B differs from A on a figure and what the interval says about it. */
export function differenceSentence(d: Difference, label: string, against: string): string {
  const name = FIGURE_WORDS[d.figure as FigureName]?.name ?? d.figure;
  if (d.difference === null || d.low === null || d.high === null) {
    return `${name}: cannot be compared (the figure is not defined for one side, e.g. no partner went bad or none was cured).`;
  }
  if (d.difference === 0 && d.low === 0 && d.high === 0) return `${name}: exactly the same for ${label} and ${against}, in every resample.`;
  const by = `${signedDifference(d.figure, d.difference)} (95% interval ${signedDifference(d.figure, d.low)} to ${signedDifference(d.figure, d.high)})`;
  switch (d.verdict as Verdict) {
    case 'BETTER':
      return `${name}: ${label} is ahead of ${against} by ${by}. The whole interval is above zero, so this is very unlikely to be chance.`;
    case 'WORSE':
      return `${name}: ${label} is behind ${against} by ${by}. The whole interval is below zero, so this is very unlikely to be chance.`;
    default:
      return `${name}: ${label} differs from ${against} by ${by}. The interval includes zero, so the data cannot tell them apart.`;
  }
}

/** Round ticks for a share axis from 0 to at least `max` (0.1, 0.2, 0.25, 0.5 or 1 apart, at most 6 steps). */
export function shareTicks(max: number): number[] {
  const top = Math.max(max, 0.01);
  const step = [0.1, 0.2, 0.25, 0.5, 1, 2].find((s) => top / s <= 6) ?? Math.ceil(top / 6);
  const ticks: number[] = [];
  for (let t = 0; t < top + step - 1e-9; t += step) ticks.push(Math.round(t * 100) / 100);
  return ticks;
}
