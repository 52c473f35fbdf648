/**
 * A preview scored in memory answers with its figures and the top of its list before all its
 * items are written (worklist-preview.service, `deferItems`): the rest is written right after,
 * on a connection of its own, and the run stays RUNNING in phase "writing items" until then.
 * Every read of a run's items by id waits here for them: in this process by the write's promise,
 * for a preview of another API process by the run's row. Only the first page of the list in its
 * own order is answered at once, from the top rows written with the figures.
 */
import type { Database } from '../db/database';
import { outsideRequest } from '../db/request-statements';

/** Rows of each segment's list written with the figures, in worklist order (enough for a page of up to TOP_ITEMS - 1 items). */
export const TOP_ITEMS = 100;

/** The run phase while the rest of a preview's items are written. */
export const WRITING_ITEMS = 'writing items';

interface Pending {
  done: Promise<void>;
  /** Starts the write now (a reader needs every item). */
  start(): void;
}

const pending = new Map<string, Pending>();

/**
 * Runs `write` (the rest of the runs' items) once `after` settles (the answer sent: on the embedded
 * database, whose one session serves statements in turn, the answer's own reads would otherwise
 * queue behind the write), or at once without it, or when a reader needs every item first.
 * Outside the request: not its statement timeout, not stopped with it. Reads of the runs wait for it.
 */
export function deferItems(runIds: string[], write: () => Promise<void>, after?: Promise<unknown>): void {
  let start!: () => void;
  const started = new Promise<void>((resolve) => (start = resolve));
  const done = started
    .then(() => outsideRequest(write))
    .finally(() => {
      for (const id of runIds) if (pending.get(id)?.done === done) pending.delete(id);
    });
  const entry = { done, start };
  for (const id of runIds) pending.set(id, entry);
  // A failed write marks its runs FAILED itself; a reader sees that, not this rejection.
  done.catch(() => undefined);
  if (after) after.then(start, start);
  else start();
}

/** The deferred writes of this process still running, started now (tests; shutdown). */
export async function deferredWrites(): Promise<void> {
  const all = [...new Set(pending.values())];
  for (const p of all) p.start();
  await Promise.all(all.map((p) => p.done.catch(() => undefined)));
}

const POLL_MS = 25;
const WAIT_MS = 120_000;

/** Waits until every one of the runs has all its items (at once for runs that are not previews still writing). */
export async function itemsWritten(db: Database, runIds: readonly string[]): Promise<void> {
  const local = runIds.flatMap((id) => pending.get(id) ?? []);
  for (const p of local) p.start();
  if (local.length) await Promise.all(local.map((p) => p.done.catch(() => undefined)));
  const started = Date.now();
  while (await writingElsewhere(db, runIds)) {
    if (Date.now() - started > WAIT_MS) throw new Error(`The items of preview runs ${runIds.join(', ')} are still being written`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function writingElsewhere(db: Database, runIds: readonly string[]): Promise<boolean> {
  if (!runIds.length) return false;
  const [row] = await db.read<{ writing: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM worklist_runs WHERE id = ANY($1::bigint[]) AND status = 'RUNNING' AND progress_phase = $2) AS writing`,
    [runIds, WRITING_ITEMS],
  );
  return row!.writing;
}
