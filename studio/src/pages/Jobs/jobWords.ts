/** Jobs, steps and times in words for the jobs page. */

/** What each step of the nightly cycle does, in the order of a night. */
export const STEP_WORDS: Record<string, { label: string; does: string }> = {
  IMPORT: { label: 'Import', does: 'loads the AR delta from the drop directory' },
  JUDGE: { label: 'Judging', does: 'judges promises and installments' },
  DUNNING: { label: 'Dunning', does: 'runs dunning: notices into the outbox' },
  WORKLISTS: { label: 'Worklist generation', does: 'generates the live worklists of every segment' },
  ANALYTICS: { label: 'Analytics snapshots', does: 'brings the daily analytics snapshots up to the cycle date' },
  CORRESPONDENCE: { label: 'Correspondence', does: 'sends the e-mail notices of the outbox' },
};

export function stepLabel(step: string): string {
  return STEP_WORDS[step]?.label ?? step;
}

/** The worklist jobs that are not steps: a segment of the WORKLISTS step, a part of a large run. */
const JOB_TYPE_WORDS: Record<string, string> = {
  'worklist-segment': 'Worklist of a segment',
  'worklist-part': 'Worklist run part',
};

/** A job type (engine queue `cycle-worklists`) as its step's name; the worklist jobs in words; other types as they are. */
export function jobTypeLabel(type: string): string {
  const match = /^cycle-([a-z_]+)$/.exec(type);
  return match ? stepLabel(match[1]!.toUpperCase()) : (JOB_TYPE_WORDS[type] ?? type);
}

/** The states a job can be in, in the order the filter shows them. */
export const JOB_STATES = ['QUEUED', 'RETRY', 'RUNNING', 'FAILED', 'DONE', 'CANCELLED'] as const;
export type JobStateName = (typeof JOB_STATES)[number];

export const STATE_WORDS: Record<JobStateName, string> = {
  QUEUED: 'Queued',
  RETRY: 'Retry',
  RUNNING: 'Running',
  FAILED: 'Failed',
  DONE: 'Done',
  CANCELLED: 'Cancelled',
};

export function isJobState(value: string | null): value is JobStateName {
  return (JOB_STATES as readonly string[]).includes(value ?? '');
}

/** States with work still to do: the page refreshes itself while a job is in one. */
export const ACTIVE_STATES: readonly string[] = ['QUEUED', 'RETRY', 'RUNNING'];

/** A length of time: "under 0.1 s", "0.4 s", "12 s", "3 min 5 s", "2 h 10 min". */
export function durationWords(seconds: number): string {
  if (seconds < 0.1) return 'under 0.1 s';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** How far away a moment is: "in 2 h 27 min", "in 3 days". */
export function untilWords(at: Date, now: number): string {
  const minutes = Math.round((at.getTime() - now) / 60_000);
  if (minutes < 1) return 'in under a minute';
  if (minutes < 60) return `in ${minutes} min`;
  if (minutes < 48 * 60) return `in ${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `in ${Math.round(minutes / 1440)} days`;
}

/** A moment in a time zone with the zone's name: "Mon, Dec 7, 01:00 UTC". */
export function zonedWords(at: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
      timeZoneName: 'short',
    }).format(at);
  } catch {
    return at.toISOString();
  }
}

const WEEKDAYS: Record<string, string> = { '*': 'every day', '1-5': 'Monday to Friday', '0,6': 'Saturdays and Sundays', '6,0': 'Saturdays and Sundays' };

/** The usual shapes of a nightly cron in words ("every day at 01:30"); null for anything else (the expression is shown). */
export function cronWords(cron: string): string | null {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [minute, hour, dayOfMonth, month, weekday] = fields as [string, string, string, string, string];
  if (!/^\d{1,2}$/.test(minute) || !/^\d{1,2}$/.test(hour) || dayOfMonth !== '*' || month !== '*') return null;
  const days = WEEKDAYS[weekday];
  if (!days || Number(minute) > 59 || Number(hour) > 23) return null;
  return `${days} at ${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`;
}

const whenFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function whenWords(at: string | Date): string {
  return whenFormat.format(new Date(at));
}

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** The time of day only (where the row already says the date). */
export function timeWords(at: string | Date): string {
  return timeFormat.format(new Date(at));
}

/** The steps in the order of a night, for columns. */
export const CYCLE_STEP_ORDER: readonly string[] = Object.keys(STEP_WORDS);
