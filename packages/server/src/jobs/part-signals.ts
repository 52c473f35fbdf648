/**
 * Wake-ups between a split run's coordinator and the workers taking its parts, over Postgres
 * LISTEN/NOTIFY. pg-boss 10 only polls (every 0.5 s at its shortest): without them an idle worker
 * takes a queued part up to half a second late, and the coordinator sees the last part done up
 * to its own poll late, at every run. The job table stays the truth (failures, retries, parts
 * whose signal was lost); the signals only cut the waits.
 *
 * - `queued`: a coordinator queued parts; every worker here asks for one at once.
 * - `done:<run id>:<part>`: sent by the part's own transaction (worklists/worklist-run-parts.ts),
 *   so it arrives when the part's rows are committed.
 */
import pg from 'pg';
import { log, serializeError } from '../observability';
import { PARTS_CHANNEL } from '../worklists';

type Listener = (payload: string) => void;

/** One LISTEN connection of an engine (Postgres only), and who hears what arrives on it. */
export class PartSignals {
  private readonly listeners = new Set<Listener>();

  private constructor(private readonly client: pg.Client) {
    client.on('notification', (message) => {
      if (message.channel !== PARTS_CHANNEL || message.payload === undefined) return;
      for (const listener of this.listeners) listener(message.payload);
    });
  }

  /** Listens on the parts' channel; null when it cannot (the polls still do the work, later). */
  static async start(url: string): Promise<PartSignals | null> {
    const client = new pg.Client({ connectionString: url, application_name: 'recoup part signals' });
    // A lost connection costs the wake-ups only: the polls go on.
    client.on('error', (error) => log().warn({ err: serializeError(error) }, 'part signals: connection lost, parts are found by polling'));
    try {
      await client.connect();
      await client.query(`LISTEN ${PARTS_CHANNEL}`);
      return new PartSignals(client);
    } catch (error) {
      log().warn({ err: serializeError(error) }, 'part signals: cannot listen, parts are found by polling');
      await client.end().catch(() => undefined);
      return null;
    }
  }

  /** Calls `listener` with each payload until the returned function is called. */
  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells every listening worker that parts are queued. */
  async queued(): Promise<void> {
    await this.client.query(`SELECT pg_notify($1, 'queued')`, [PARTS_CHANNEL]);
  }

  async stop(): Promise<void> {
    this.listeners.clear();
    await this.client.end().catch(() => undefined);
  }
}
