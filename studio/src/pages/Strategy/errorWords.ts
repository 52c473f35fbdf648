/**
 * The server names a validation error by its JSON path (`priorities[0].minPercent`) in the
 * engine's vocabulary; a consultant knows the fields on screen ("Start of P1"). This maps one to
 * the other, so errors read in the editor's words wherever they are shown.
 */
import type { StrategyDoc } from '../../lib/strategyDocument';

export interface ErrorInWords {
  /** The field as the editor labels it. */
  field: string;
  message: string;
}

const SETTINGS: Record<string, string> = {
  '': 'The strategy',
  key: 'Key',
  name: 'Name',
  currency: 'Currency',
  minPercent: 'On the list from',
  maxValuation: 'Max valuation',
  agingBuckets: 'Ageing buckets',
  priorities: 'Priority bands',
  rules: 'Rules',
};

/** Whole messages the server words for the document, said for the screen (each pattern matches the whole message). */
const MESSAGES: Array<[RegExp, string]> = [
  [/^minPercent must be a number from 0 to 100.*$/, 'Type a percent from 0 to 100, with at most two decimals.'],
  [/^maxValuation must be null.*$/, 'Leave it empty (the sum of the positive points) or type a whole number of points, 1 or more.'],
  [/^Two bands start at (.+) %\.$/, 'Another band starts at $1 % too: each band needs a start of its own.'],
  [/^A band with minPercent 0 is required.*$/, 'The lowest band must start at 0 %, so that every partner gets a priority.'],
  [/^priorities must list at least one band.*$/, 'Keep at least one band, the lowest starting at 0 %.'],
  [/^Priority (\d+) is used by two bands\.$/, 'P$1 is used by two bands.'],
  [/^points must be a whole number from -?(\d+) to (\d+)\.$/, 'Type whole points from -$1 to $2.'],
  [/^label must be a non-empty text.*$/, 'Give the band a name.'],
  [/^name must be a non-empty text.*$/, 'Give it a name.'],
  [/^The rule name "(.+)" is already used by rules\[(\d+)\].*$/, 'Another rule is already called “$1”: give each rule its own name.'],
];

function bandAt(doc: StrategyDoc, i: number): string {
  const band = Array.isArray(doc.priorities) ? doc.priorities[i] : undefined;
  return band && typeof band.priority === 'number' ? `P${band.priority}` : `band ${i + 1}`;
}

function ruleAt(doc: StrategyDoc, i: number): string {
  const rule = Array.isArray(doc.rules) ? doc.rules[i] : undefined;
  return rule && typeof rule.name === 'string' && rule.name ? `rule “${rule.name}”` : `rule ${i + 1}`;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The field a path names, as the editor labels it. */
export function fieldOf(path: string, doc: StrategyDoc): string {
  if (path in SETTINGS) return SETTINGS[path]!;
  const band = /^priorities\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (band) {
    const name = bandAt(doc, Number(band[1]));
    if (band[2] === 'minPercent') return `Start of ${name}`;
    if (band[2] === 'label') return `Label of ${name}`;
    return name;
  }
  const bucket = /^agingBuckets\[(\d+)\]/.exec(path);
  if (bucket) return `Ageing bucket ${Number(bucket[1]) + 1}`;
  const rule = /^rules\[(\d+)\](?:\.(.*))?$/.exec(path);
  if (rule) {
    const name = ruleAt(doc, Number(rule[1]));
    const rest = rule[2] ?? '';
    if (rest === 'name') return `Name of ${name}`;
    if (rest.startsWith('event.params.points')) return `Points of ${name}`;
    if (rest.startsWith('event')) return `Role of ${name}`;
    if (rest.startsWith('conditions')) return `A condition of ${name}`;
    return capital(name);
  }
  return 'The strategy';
}

/** The server's message, said in the editor's words (unknown messages pass with engine names spelled out). */
export function messageInWords(message: string): string {
  for (const [pattern, words] of MESSAGES) if (pattern.test(message)) return message.replace(pattern, words);
  return message
    .replace(/\bminPercent\b/g, 'the start percent')
    .replace(/\bmaxValuation\b/g, 'max valuation')
    .replace(/\b(rules|priorities)\[(\d+)\]/g, (_, list: string, i: string) => `${list === 'rules' ? 'rule' : 'band'} ${Number(i) + 1}`);
}

export function inWords(error: { path: string; message: string }, doc: StrategyDoc): ErrorInWords {
  return { field: fieldOf(error.path, doc), message: messageInWords(error.message) };
}
