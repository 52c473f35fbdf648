import { isEntityId } from './scalars';
import DataLoader from 'dataloader';
import type { Database } from '../db/database';

/** A partner as the API shows it (snake_case columns of `partners`). */
export interface PartnerRow {
  id: string;
  external_id: string;
  name: string;
  country: string;
  currency: string;
  risk_class: string | null;
  credit_limit: string | null;
  customer_type: string;
  segment: string;
  collection_group_key: string | null;
  specialist_id: string | null;
}

export interface SpecialistRow {
  id: string;
  user_name: string;
  name: string;
  email: string | null;
  group_key: string | null;
  active: boolean;
  version: number;
}

/** A worklist run. */
export interface RunRow {
  id: string;
  segment_key: string;
  as_of: string;
  strategy_version_id: string | null;
  mode: 'PREVIEW' | 'LIVE';
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  currency: string | null;
  rules: Array<{ name: string; points: number }> | null;
  aging_limits: number[] | null;
  partners_evaluated: number;
  partners_on_list: number;
  partners_excluded: number;
  items_dropped_at: Date | null;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
  /** Progress as the run records it (worklists/worklist-progress). */
  progress_phase: string | null;
  partners_scored: number;
  partners_total: number;
  parts_done: number;
  parts_total: number;
  /** Whether it is its segment's live run now. */
  live: boolean;
  /** Counts per band and specialist (small: a few rows each). */
  stats: WorklistRunStats | null;
  /** The champion/challenger experiment the run split its partners for (experiments/). */
  experiment_id: string | null;
}

/** One row of `worklist_items`, as pg returns it (bigints and numerics as strings, fired as a bit string). */
export interface ItemRow {
  run_id: string;
  partner_id: string;
  specialist_id: string | null;
  specialist_origin: string | null;
  valuation: number;
  percent: string;
  priority: number;
  fired: string;
  amount_open: string;
  amount_overdue: string;
  amount_due: string;
  amount_to_be_collected: string;
  amount_promised: string;
  amount_disputed: string;
  amount_broken: string;
  amount_dunned: string;
  aging: string[];
  max_dunning_level: number;
  max_days_overdue: number | null;
  last_payment_date: string | null;
  resubmission_date: string | null;
  revaluated_at: Date | null;
  completed_at: Date | null;
  /** CHAMPION or CHALLENGER in an experiment run; null otherwise. */
  arm: 'CHAMPION' | 'CHALLENGER' | null;
}

export const RUN_COLUMNS = `r.id::text AS id, r.segment_key, r.as_of, r.strategy_version_id::text AS strategy_version_id, r.mode, r.status,
  r.currency::text AS currency, r.rules, r.aging_limits, r.partners_evaluated, r.partners_on_list, r.partners_excluded,
  r.items_dropped_at, r.error, r.started_at, r.finished_at, r.stats,
  r.progress_phase, r.partners_scored, r.partners_total, r.parts_done, r.parts_total, r.experiment_id::text AS experiment_id,
  EXISTS (SELECT 1 FROM collection_segments s WHERE s.live_run_id = r.id) AS live`;

/** A partner row (PartnerRow) of `partners p`. */
export const PARTNER_COLUMNS = `p.id::text AS id, p.external_id, p.name, p.country::text AS country, p.currency::text AS currency, p.risk_class,
  p.credit_limit::text AS credit_limit, p.customer_type, p.segment, p.collection_group_key, p.specialist_id::text AS specialist_id`;

/** A specialist row (SpecialistRow) of `specialists s`. */
export const SPECIALIST_COLUMNS = `s.id::text AS id, s.user_name, s.name, s.email, s.group_key, s.active, s.version`;

export const ITEM_SELECT = `w.run_id::text AS run_id, w.partner_id::text AS partner_id, w.specialist_id::text AS specialist_id,
  w.specialist_origin, w.valuation, w.percent::text AS percent, w.priority, w.fired::text AS fired,
  w.amount_open::text AS amount_open, w.amount_overdue::text AS amount_overdue, w.amount_due::text AS amount_due,
  w.amount_to_be_collected::text AS amount_to_be_collected, w.amount_promised::text AS amount_promised,
  w.amount_disputed::text AS amount_disputed, w.amount_broken::text AS amount_broken, w.amount_dunned::text AS amount_dunned,
  w.aging::text[] AS aging, w.max_dunning_level, w.max_days_overdue, w.last_payment_date, w.resubmission_date, w.revaluated_at, w.completed_at, w.arm`;

/** DataLoaders, made per request (a loader caches for one request only). */
export interface Loaders {
  partner: DataLoader<string, PartnerRow | null>;
  specialist: DataLoader<string, SpecialistRow | null>;
  run: DataLoader<string, RunRow | null>;
  /** A strategy version's document (as stored: validated when it was written). */
  strategyDocument: DataLoader<string, unknown | null>;
  /** A partner's item on the live worklist of its segment. */
  liveItem: DataLoader<string, ItemRow | null>;
  /**
   * Any row-returning SELECT: the queries asked for in one tick (the sections of a customer 360,
   * resolved side by side) run as one statement, each as a json_agg column. Rows come back as
   * JSON, so a query casts what JSON would change (bigint ids, numeric amounts) to text.
   */
  rows: DataLoader<SqlQuery | LaterQuery, Array<Record<string, unknown>>, string>;
}

export interface SqlQuery {
  text: string;
  values: unknown[];
}

/**
 * A query of `rows` whose text is decided when the statement is sent, so that what is asked for
 * until then can still be added to it (the facts of one partner that several fields ask for).
 */
export interface LaterQuery {
  later: () => SqlQuery;
}

let laterQueries = 0;
const laterIds = new WeakMap<LaterQuery, number>();

/** One statement per batch; keys that are not ids (or not found) load as null. */
function byId<R>(db: Database, sql: string, key: (row: R) => string): DataLoader<string, R | null> {
  return new DataLoader<string, R | null>(
    async (ids) => {
      const wanted = [...new Set(ids.filter(isEntityId))];
      const rows: R[] = wanted.length ? await db.read<R>(sql, [wanted]) : [];
      const found = new Map(rows.map((r) => [key(r), r]));
      return ids.map((id) => found.get(id) ?? null);
    },
    { maxBatchSize: 1000 },
  );
}

/**
 * Documents of versions past DRAFT, kept per database for the process: only drafts are ever
 * edited, so an active or retired version's document never changes (every run's version is one),
 * and an item's explanation then costs one round trip less.
 */
const settledDocuments = new WeakMap<Database, Map<string, unknown>>();
const SETTLED_DOCUMENTS_KEPT = 1000;

function documents(db: Database): DataLoader<string, unknown | null> {
  const versions = byId<{ id: string; status: string; document: unknown }>(
    db,
    `SELECT v.id::text AS id, v.status, v.document FROM strategy_versions v WHERE v.id = ANY($1::bigint[])`,
    (r) => r.id,
  );
  let settled = settledDocuments.get(db);
  if (!settled) settledDocuments.set(db, (settled = new Map()));
  const kept = settled;
  return new DataLoader<string, unknown | null>(async (ids) => {
    const missing = ids.filter((id) => !kept.has(id));
    const loaded = new Map((await versions.loadMany(missing)).map((v, i) => [missing[i]!, v]));
    return ids.map((id) => {
      if (kept.has(id)) return kept.get(id);
      const v = loaded.get(id);
      if (v instanceof Error) return v;
      if (v && v.status !== 'DRAFT' && kept.size < SETTLED_DOCUMENTS_KEPT) kept.set(id, v.document);
      return v?.document ?? null;
    });
  });
}

/** A query's text with each $n moved after `offset` parameters (the queries before it); the same few texts come back with every request. */
function renumbered(text: string, offset: number): string {
  if (offset === 0) return text;
  let byOffset = renumberedTexts.get(text);
  if (!byOffset) {
    if (renumberedTexts.size >= RENUMBERED_KEPT) renumberedTexts.clear();
    renumberedTexts.set(text, (byOffset = new Map()));
  }
  let moved = byOffset.get(offset);
  if (moved === undefined) byOffset.set(offset, (moved = text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)));
  return moved;
}

const renumberedTexts = new Map<string, Map<number, string>>();
const RENUMBERED_KEPT = 500;

/** Renumbers each query's $n after the parameters of the ones before it. */
function combined(db: Database): DataLoader<SqlQuery | LaterQuery, Array<Record<string, unknown>>, string> {
  return new DataLoader<SqlQuery | LaterQuery, Array<Record<string, unknown>>, string>(
    async (asked) => {
      // A later query that cannot be built fails alone; the others are still read.
      const queries = asked.map((q) => {
        if (!('later' in q)) return q;
        try {
          return q.later();
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      });
      const values: unknown[] = [];
      const columns: string[] = [];
      for (const q of queries) {
        if (q instanceof Error) continue;
        columns.push(`(SELECT coalesce(json_agg(x), '[]'::json) FROM (${renumbered(q.text, values.length)}) x) AS s${columns.length}`);
        values.push(...q.values);
      }
      const [row] = columns.length ? await db.read<Record<string, Array<Record<string, unknown>>>>(`SELECT ${columns.join(',\n  ')}`, values) : [];
      let column = 0;
      return queries.map((q) => (q instanceof Error ? q : (row![`s${column++}`] as Array<Record<string, unknown>>)));
    },
    {
      cacheKeyFn: (q) => {
        // The text as is (no escaping of a long text as JSON), the values after it.
        if (!('later' in q)) return `${q.text}\u0000${JSON.stringify(q.values)}`;
        let id = laterIds.get(q);
        if (id === undefined) laterIds.set(q, (id = ++laterQueries));
        return `later ${id}`;
      },
      maxBatchSize: 20,
      // Once every other loader's batch of this tick has answered (they, and their cache hits,
      // answer at process.nextTick): what is asked for in turn (an explanation's facts, after its
      // run and document) joins this statement instead of starting another.
      batchScheduleFn: (dispatch) => setImmediate(dispatch),
    },
  );
}

export function createLoaders(db: Database): Loaders {
  return {
    rows: combined(db),
    partner: byId<PartnerRow>(db, `SELECT ${PARTNER_COLUMNS} FROM partners p WHERE p.id = ANY($1::bigint[])`, (r) => r.id),
    specialist: byId<SpecialistRow>(db, `SELECT ${SPECIALIST_COLUMNS} FROM specialists s WHERE s.id = ANY($1::bigint[])`, (r) => r.id),
    run: byId<RunRow>(db, `SELECT ${RUN_COLUMNS} FROM worklist_runs r WHERE r.id = ANY($1::bigint[])`, (r) => r.id),
    strategyDocument: documents(db),
    liveItem: byId<ItemRow>(
      db,
      // Through each partner's segment to its live run: the (run_id, partner_id) key finds the row.
      `SELECT ${ITEM_SELECT} FROM partners p JOIN collection_segments s ON s.key = p.segment
         JOIN worklist_items w ON w.run_id = s.live_run_id AND w.partner_id = p.id
        WHERE p.id = ANY($1::bigint[])`,
      (r) => r.partner_id,
    ),
  };
}

/** A run's statistics per band and specialist, as stored on the run (JSON). */
export interface WorklistRunStats {
  byPriority: Array<{ priority: number; count: number; amountToBeCollected: string }>;
  bySpecialist: Array<{ specialistId: string | null; count: number; amountToBeCollected: string }>;
  amountToBeCollected: string;
  /** Milliseconds per phase. */
  timings: Record<string, number>;
  /** Partner-range jobs the scoring was split into. */
  jobs?: number;
  /** Preview only: scored from the fact rows kept from an earlier preview (nothing recomputed). */
  factsCached?: boolean;
}
