/**
 * The filtered worklist as rows of a download (the CSV export, GET /exports/worklist.csv): the
 * items the `worklist` query pages through for the same segment, run, filter and order. They are
 * read with that query's own scope (`worklistScope`) and keyset pages (`itemsPage`), so every
 * filter and order the query knows is the export's too, and one page at a time, so memory stays
 * flat whatever the list's length.
 */
import { getVariableValues, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError } from '../graphql/errors';
import { nulPathInValue } from '../graphql/input-guard';
import type { PartnerRow, SpecialistRow } from '../graphql/loaders';
import { itemsPage, worklistScope } from './worklist-read.service';
import type { SortDirection, WorklistFilter, WorklistItem, WorklistItemConnection, WorklistOrder } from './worklist.types';

export interface WorklistExportArgs {
  segment?: string | null;
  runId?: string | null;
  filter?: WorklistFilter | null;
  orderBy?: WorklistOrder | null;
  direction?: SortDirection | null;
}

export type ExportCell = string | number | null;

export interface WorklistExport {
  /** The column names: the `worklist` query's field paths. */
  header: string[];
  /** The rows, one page at a time; the first page is read before this object is returned (refusals come before any row). */
  pages: AsyncGenerator<ExportCell[][]>;
}

/** Items per page: the `worklist` query's largest page. */
export const EXPORT_PAGE_SIZE = 500;

// ---- parameters ---------------------------------------------------------------------------

/** The export's parameters, declared as the `worklist` query's arguments of the same names, so that they are checked as that query checks them. */
const PARAMETERS = (
  parse(`query($segment: String, $runId: ID, $filter: WorklistFilter, $orderBy: WorklistOrder, $direction: SortDirection) { __typename }`)
    .definitions[0] as OperationDefinitionNode
).variableDefinitions!;
const NAMES = PARAMETERS.map((p) => p.variable.name.value);

/**
 * The export's arguments from a query string: segment, runId, filter (the GraphQL WorklistFilter
 * input as JSON) and orderBy (a WorklistOrder), each at most once. BAD_USER_INPUT naming the
 * parameter for an unknown or repeated one, malformed JSON, a NUL character or a value the
 * `worklist` query would refuse (wrong type, an Int beyond 32 bits, an unknown order).
 */
export function worklistExportArgs(schema: GraphQLSchema, params: URLSearchParams): WorklistExportArgs {
  const inputs: Record<string, unknown> = {};
  for (const name of new Set(params.keys())) {
    if (!NAMES.includes(name))
      throw new BadUserInputError(`Unknown parameter ${JSON.stringify(name.slice(0, 40))}: the export takes ${NAMES.join(', ')}`, 'query');
    const values = params.getAll(name);
    if (values.length > 1) throw new BadUserInputError(`${name} is given ${values.length} times; give it once`, name);
    inputs[name] = name === 'filter' ? filterJson(values[0]!) : values[0];
    const nul = nulPathInValue(inputs[name], name);
    if (nul) throw new BadUserInputError(`${nul} contains a NUL character (U+0000), which no text may hold`, nul);
  }
  const { coerced, errors } = getVariableValues(schema, PARAMETERS, inputs, { maxErrors: 1 });
  if (errors?.length) {
    const name = /"\$(\w+)"/.exec(errors[0]!.message)?.[1] ?? 'query';
    throw new BadUserInputError(errors[0]!.message.replace(/^Variable "\$(\w+)"/, '$1'), name);
  }
  return coerced as WorklistExportArgs;
}

function filterJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadUserInputError('filter must be the WorklistFilter input as JSON, e.g. {"priorities":[1,2]}', 'filter');
  }
}

// ---- rows ---------------------------------------------------------------------------------

interface ExportItem {
  item: WorklistItem;
  partner: PartnerRow | null;
  specialist: SpecialistRow | null;
  currency: string | null;
}

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, a tab or carriage return first) gets a
 * leading apostrophe: names come from source systems and people, and a CSV is opened in Excel.
 * Numbers and ids never pass here, so a negative amount stays a number.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const text = (value: string | null | undefined): string | null => (value == null ? null : FORMULA_START.test(value) ? `'${value}` : value);

/** The columns: the `worklist` query's field paths and their values, as the query answers them (amounts exact, dates ISO). */
const COLUMNS: Array<[string, (x: ExportItem) => ExportCell]> = [
  ['runId', (x) => x.item.runId],
  ['partnerId', (x) => x.item.partnerId],
  ['partner.externalId', (x) => text(x.partner?.external_id)],
  ['partner.name', (x) => text(x.partner?.name)],
  ['priority', (x) => x.item.priority],
  ['valuation', (x) => x.item.valuation],
  ['percent', (x) => x.item.percent],
  ['currency', (x) => x.currency],
  ['amounts.open', (x) => x.item.amounts.open],
  ['amounts.overdue', (x) => x.item.amounts.overdue],
  ['amounts.due', (x) => x.item.amounts.due],
  ['amounts.toBeCollected', (x) => x.item.amounts.toBeCollected],
  ['amounts.disputed', (x) => x.item.amounts.disputed],
  ['amounts.promised', (x) => x.item.amounts.promised],
  ['amounts.broken', (x) => x.item.amounts.broken],
  ['amounts.dunned', (x) => x.item.amounts.dunned],
  ['maxDunningLevel', (x) => x.item.maxDunningLevel],
  ['lastPaymentDate', (x) => x.item.lastPaymentDate],
  ['resubmissionDate', (x) => x.item.resubmissionDate],
  ['specialist.id', (x) => x.specialist?.id ?? null],
  ['specialist.name', (x) => text(x.specialist?.name)],
  ['specialistOrigin', (x) => x.item.specialistOrigin],
  ['revaluatedAt', (x) => x.item.revaluatedAt],
  ['completedAt', (x) => x.item.completedAt],
];

/**
 * The worklist the `worklist` query would page through for these arguments, as rows. The scope
 * and the first page are read here, so that a refusal (NOT_FOUND, FORBIDDEN, BAD_USER_INPUT)
 * comes before the caller has sent anything.
 */
export async function worklistExport(ctx: RequestContext, args: WorklistExportArgs): Promise<WorklistExport> {
  const { runs, filter } = await worklistScope(ctx, args);
  const read = (after: string | null) => itemsPage(ctx.db, runs, { filter, orderBy: args.orderBy, direction: args.direction, first: EXPORT_PAGE_SIZE, after });
  const first = await read(null);
  return { header: COLUMNS.map(([name]) => name), pages: pagesFrom(ctx, first, read) };
}

/** Each page's rows; the next page is read while the caller writes the current one. */
async function* pagesFrom(
  ctx: RequestContext,
  first: WorklistItemConnection,
  read: (after: string | null) => Promise<WorklistItemConnection>,
): AsyncGenerator<ExportCell[][]> {
  let page = first;
  for (;;) {
    const next = page.pageInfo.hasNextPage ? read(page.pageInfo.endCursor) : null;
    // Not awaited when the caller stops early (its client went away): no unhandled rejection then.
    next?.catch(() => undefined);
    yield await rowsOf(
      ctx,
      page.edges.map((e) => e.node),
    );
    if (!next) return;
    page = await next;
  }
}

/** A page's rows: partners read per page (and forgotten after it, so memory stays flat), specialists and runs cached (few). */
async function rowsOf(ctx: RequestContext, items: WorklistItem[]): Promise<ExportCell[][]> {
  const partners = await byId(
    ctx.loaders.partner,
    items.map((i) => i.partnerId),
  );
  ctx.loaders.partner.clearAll();
  const specialists = await byId(
    ctx.loaders.specialist,
    items.map((i) => i.row.specialist_id),
  );
  const runs = await byId(
    ctx.loaders.run,
    items.map((i) => i.runId),
  );
  return items.map((item) => {
    const x: ExportItem = {
      item,
      partner: partners.get(item.partnerId) ?? null,
      specialist: item.row.specialist_id ? (specialists.get(item.row.specialist_id) ?? null) : null,
      currency: runs.get(item.runId)?.currency ?? null,
    };
    return COLUMNS.map(([, value]) => value(x));
  });
}

/** The rows of the distinct ids, through a request's loader (one statement for those not cached). */
async function byId<R>(loader: { loadMany(ids: readonly string[]): Promise<Array<R | null | Error>> }, ids: Array<string | null>): Promise<Map<string, R>> {
  const distinct = [...new Set(ids.filter((id): id is string => id !== null))];
  const rows = await loader.loadMany(distinct);
  const found = new Map<string, R>();
  rows.forEach((row, i) => {
    if (row instanceof Error) throw row;
    if (row) found.set(distinct[i]!, row);
  });
  return found;
}

/** A file name for the download: the segment, the run or "all", and nothing a header could trip on. */
export function worklistExportFileName(args: WorklistExportArgs): string {
  const label = args.runId ? `run-${args.runId}` : (args.segment ?? 'all');
  return `worklist-${label.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60)}.csv`;
}
