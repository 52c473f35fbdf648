/**
 * The statements of one API request, so that its database work can be stopped: a statement
 * running longer than the request's statement timeout is cancelled, and so is every statement
 * still running when the HTTP client goes away (a closed tab, a client's own timeout), instead
 * of working on for nobody while holding a pooled connection.
 *
 * A request's code runs inside `statements.run(…)` (AsyncLocalStorage); the pools' clients
 * (StoppableClient) register each statement started inside it, with the backend pid it runs on.
 * Stopping cancels those backends with pg_cancel_backend from a connection of its own (the
 * pools may be exhausted by the very statements to stop); the statement then fails with
 * 57014 query_canceled, rethrown as StatementStoppedError naming why.
 *
 * Postgres only. The embedded PGlite is one session that runs each statement to its end inside
 * this process (the event loop waits for it): nothing could cancel it, and it ignores
 * statement_timeout.
 *
 * CLI commands, imports and startup work run outside any request: no limit.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

export type StopReason = 'timeout' | 'client gone';

/** A statement stopped for its request (57014 query_canceled, as the database reported it). */
export class StatementStoppedError extends Error {
  readonly code = '57014';
  constructor(
    readonly reason: StopReason,
    timeoutMs: number,
  ) {
    super(
      reason === 'timeout'
        ? `The request's database statement ran longer than its statement timeout (${timeoutMs} ms) and was cancelled`
        : "The client went away: the request's database statement was cancelled",
    );
    // name stays 'Error': TypeORM's QueryFailedError takes the message from toString() less "Error: ".
  }
}

interface Running {
  pid: number;
  startedAt: number;
  timer?: NodeJS.Timeout;
  stopped?: StopReason;
}

/**
 * After the client has gone, what a request still starts (a rollback, a failed run's cleanup)
 * may run this long: cleanups finish, a loop of statements for nobody does not.
 */
const AFTER_CLIENT_GONE_MS = 1_000;

const current = new AsyncLocalStorage<RequestStatements>();

/** One request's running statements and the limits they run under. */
export class RequestStatements {
  private readonly running = new Set<Running>();
  private clientGone = false;

  /** `timeoutMs`: longest a statement may run (0: no limit); `url`: the database, for cancelling. */
  constructor(
    private readonly url: string,
    readonly timeoutMs: number,
  ) {}

  /** Runs the request's code with its statements registered here. */
  run<T>(fn: () => T): T {
    return current.run(this, fn);
  }

  /** The HTTP client went away: cancels what runs now, and shortens what starts later. */
  stopForGoneClient(): void {
    if (this.clientGone) return;
    this.clientGone = true;
    void this.cancel([...this.running], 'client gone');
  }

  /** A statement starts on the backend `pid`; the returned function ends it. */
  started(pid: number): { entry: Running; finish: () => void } {
    const entry: Running = { pid, startedAt: performance.now() };
    this.running.add(entry);
    const limit = this.clientGone ? AFTER_CLIENT_GONE_MS : this.timeoutMs;
    if (limit > 0) {
      entry.timer = setTimeout(() => void this.cancel([entry], this.clientGone ? 'client gone' : 'timeout'), limit);
      entry.timer.unref();
    }
    return {
      entry,
      finish: () => {
        clearTimeout(entry.timer);
        this.running.delete(entry);
      },
    };
  }

  /**
   * pg_cancel_backend for each statement still running. A backend whose statement ended in the
   * meantime may already run the next one, of another request: only a statement at least as old
   * as ours (less a margin for the trip) is cancelled, as the server's clock measures it.
   */
  private async cancel(entries: Running[], reason: StopReason): Promise<void> {
    const targets = entries.filter((e) => this.running.has(e) && !e.stopped);
    if (!targets.length) return;
    for (const e of targets) e.stopped = reason;
    const client = new pg.Client({ connectionString: this.url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      for (const e of targets) {
        // Ended while this connection was opening: its backend may run another request's statement now.
        if (!this.running.has(e)) continue;
        const minAgeMs = Math.max(0, performance.now() - e.startedAt - CANCEL_MARGIN_MS);
        await client.query(
          `SELECT pg_cancel_backend(pid) FROM pg_stat_activity
            WHERE pid = $1 AND state = 'active' AND clock_timestamp() - query_start >= $2 * interval '1 millisecond'`,
          [e.pid, minAgeMs],
        );
      }
    } catch {
      // Nothing to do: the statements run to their end, as they would have without this.
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** How much younger than our own measure the server may see a statement (its trip there). */
const CANCEL_MARGIN_MS = 100;

/**
 * Runs `fn` outside any request: work a request starts but does not wait for (a worklist run in
 * the background) is neither timed out nor cancelled with the request.
 */
export function outsideRequest<T>(fn: () => T): T {
  return current.exit(fn);
}

/** The request whose code is running, if any. */
export function currentRequestStatements(): RequestStatements | undefined {
  return current.getStore();
}

type QueryCallback = (error: Error | null, result?: pg.QueryResult) => void;

/**
 * The pools' client: a statement started inside a request is registered with it, and one it
 * stopped fails with StatementStoppedError. Outside a request, and for streams and cursors
 * (the import's COPY), it is pg's client unchanged.
 */
export class StoppableClient extends pg.Client {
  override query(config: any, values?: any, callback?: any): any {
    const statements = current.getStore();
    if (!statements || config == null || typeof config.submit === 'function') return super.query(config, values, callback);
    const done: QueryCallback | undefined = typeof values === 'function' ? values : callback;
    const { entry, finish } = statements.started((this as unknown as { processID: number }).processID);
    const result: Promise<pg.QueryResult> = super.query(config, typeof values === 'function' ? undefined : values).then(
      (rows: pg.QueryResult) => {
        finish();
        return rows;
      },
      (error: unknown) => {
        finish();
        if (entry.stopped && (error as { code?: unknown }).code === '57014') throw new StatementStoppedError(entry.stopped, statements.timeoutMs);
        throw error;
      },
    );
    if (!done) return result;
    result.then(
      (rows) => done(null, rows),
      (error: Error) => done(error),
    );
    return undefined;
  }
}
