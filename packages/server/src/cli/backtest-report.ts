/**
 * `pnpm recoup backtest`: its arguments and its report as text (the same figures as the
 * backtestStrategies query; `--format json` prints that result as it is).
 */
import type { BacktestArgs, BacktestComparison, BacktestFigures, BacktestResult } from '../backtests';

/** `KEY` or `KEY@VERSION` (a saved strategy), labelled by itself. */
export function strategyArgument(value: string): BacktestArgs['strategies'][number] {
  const at = value.lastIndexOf('@');
  if (at < 0) return { label: value, strategy: value };
  const version = Number(value.slice(at + 1));
  return { label: value, strategy: value.slice(0, at), version: Number.isInteger(version) ? version : Number.NaN };
}

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null) => (x === null ? '–' : x.toFixed(3));
/** Signed, without a sign on what rounds to zero. */
function signed(text: string): string {
  if (/^-?0\.0+$/.test(text)) return text.replace('-', '');
  return text.startsWith('-') ? text : `+${text}`;
}
const signedPct = (x: number | null) => (x === null ? '–' : `${signed((x * 100).toFixed(1))} pt`);
const signedNum = (x: number | null) => (x === null ? '–' : signed(x.toFixed(3)));

const COLUMNS = ['partners', 'to be collected', 'collected', 'share', 'cure', 'roll 90+', 'broken', 'capture@k', 'AUC'];

function row(name: string, f: BacktestFigures['list']): string[] {
  return [
    name,
    String(f.partners),
    f.toBeCollected,
    f.collected,
    pct(f.collectedShare),
    pct(f.cureRate),
    pct(f.rollRate),
    String(f.promisesBroken),
    pct(f.captureAtCapacity),
    num(f.auc),
  ];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

function figuresTable(f: BacktestFigures): string {
  return table([
    ['', ...COLUMNS],
    row('whole list', f.list),
    ...f.byBand.map((b) => row(`  band ${b.priority ?? '–'}`, b.figures)),
    row('oldest debt first', f.oldestDebtFirst),
    row('largest amount first', f.largestAmountFirst),
  ]);
}

const VERDICTS = { BETTER: 'better beyond noise', WORSE: 'worse beyond noise', NO_CLEAR_DIFFERENCE: 'within noise', UNKNOWN: 'not defined' } as const;

function comparisonLines(c: BacktestComparison): string[] {
  return c.differences.map((d) => {
    const fmt = d.figure === 'auc' ? signedNum : signedPct;
    if (d.difference === null) return `  ${d.figure.padEnd(18)} not defined (a figure is missing on one side)`;
    return `  ${d.figure.padEnd(18)} ${fmt(d.difference).padStart(9)}  [${fmt(d.low)}, ${fmt(d.high)}]  ${VERDICTS[d.verdict] ?? d.verdict}`;
  });
}

/** The report a person reads: per strategy the pooled figures, the key dates' collected share per band, the comparisons. */
export function backtestReport(r: BacktestResult): string {
  const out: string[] = [
    `backtest of segment ${r.segment}: ${r.keyDates.length} key dates ${r.keyDates[0]} .. ${r.keyDates.at(-1)}, horizon ${r.horizonDays} days`,
    `capacity k = ${r.capacity} partners a day (${r.capacitySource}); intervals: ${Math.round(r.confidence * 100)}% bootstrap over partners, ${r.resamples} resamples`,
  ];
  for (const s of r.strategies) {
    out.push(
      '',
      `${s.label}${s.strategyKey ? ` (${s.strategyKey} v${s.version})` : ' (draft)'}, amounts in ${s.currency}, pooled over the key dates:`,
      figuresTable(s.pooled),
    );
    const bands = [...new Set(s.keyDates.flatMap((k) => k.byBand.map((b) => b.priority)))];
    out.push(
      '  collected share per key date:',
      table([
        ['  key date', 'list', ...bands.map((b) => `band ${b ?? '–'}`), 'oldest first', 'largest first'],
        ...s.keyDates.map((k) => [
          `  ${k.asOf}`,
          pct(k.list.collectedShare),
          ...bands.map((b) => pct(k.byBand.find((x) => x.priority === b)?.figures.collectedShare ?? null)),
          pct(k.oldestDebtFirst.collectedShare),
          pct(k.largestAmountFirst.collectedShare),
        ]),
      ]),
    );
    for (const c of s.versusBaselines) out.push(`  ${c.label} vs ${c.against}:`, ...comparisonLines(c));
  }
  for (const c of r.comparisons) out.push('', `${c.label} vs ${c.against} (difference, ${Math.round(r.confidence * 100)}% interval):`, ...comparisonLines(c));
  return out.join('\n');
}

/** The command-line option an argument path of the backtest came from (`strategies[1].version` -> `--strategy`). */
export function optionOf(path: string): string {
  const field = path.split(/[.[]/)[0]!;
  const options: Record<string, string> = {
    horizonDays: '--horizon',
    everyDays: '--every',
    from: '--from',
    to: '--to',
    strategies: '--strategy',
    segment: '--segment',
  };
  return options[field] ?? field;
}
