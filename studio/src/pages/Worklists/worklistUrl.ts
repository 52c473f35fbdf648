/**
 * The segment worklist's view in the URL: filters, order and direction as search params, so a
 * reload or a shared link shows the same list. Pure functions, both ways; a malformed param is
 * dropped (the list shows unfiltered by it) rather than sent to the API.
 *
 *   ?order=name&dir=desc&priority=1,2&min=100&max=5000&dmin=30&dmax=90&specialist=12|none
 *    &rule=Over%2030%20days&worked=yes|no&q=orbit
 */
import type { SortDirection, WorklistFilter, WorklistOrder } from '../../gql/graphql';

export interface WorklistView {
  filter: WorklistFilter;
  orderBy: WorklistOrder;
  /** Null: the order's natural direction. */
  direction: SortDirection | null;
}

export interface OrderInfo {
  /** The ?order= value ('' for the worklist order). */
  param: string;
  orderBy: WorklistOrder;
  /** The API's direction when none is asked for. */
  natural: SortDirection;
  /** How the page says it, per direction. */
  says: Record<SortDirection, string>;
}

/** Every order of the API with its URL name; `partner` (by id) stays for links of earlier studios. */
export const ORDERS: OrderInfo[] = [
  {
    param: '',
    orderBy: 'WORKLIST',
    natural: 'ASC',
    says: { ASC: 'Ordered by priority, valuation and amount to be collected.', DESC: 'Lowest priority first.' },
  },
  {
    param: 'to-be-collected',
    orderBy: 'AMOUNT_TO_BE_COLLECTED',
    natural: 'DESC',
    says: { DESC: 'Largest amount to be collected first.', ASC: 'Smallest amount to be collected first.' },
  },
  { param: 'overdue', orderBy: 'AMOUNT_OVERDUE', natural: 'DESC', says: { DESC: 'Largest overdue amount first.', ASC: 'Smallest overdue amount first.' } },
  { param: 'partner', orderBy: 'PARTNER', natural: 'ASC', says: { ASC: 'By partner number.', DESC: 'By partner number, highest first.' } },
  { param: 'name', orderBy: 'PARTNER_NAME', natural: 'ASC', says: { ASC: 'By partner name, A to Z.', DESC: 'By partner name, Z to A.' } },
  { param: 'score', orderBy: 'VALUATION', natural: 'DESC', says: { DESC: 'Highest score first.', ASC: 'Lowest score first.' } },
  {
    param: 'specialist',
    orderBy: 'SPECIALIST',
    natural: 'ASC',
    says: { ASC: 'By specialist, A to Z (unassigned first).', DESC: 'By specialist, Z to A (unassigned last).' },
  },
  {
    param: 'days-overdue',
    orderBy: 'DAYS_OVERDUE',
    natural: 'DESC',
    says: { DESC: 'Longest overdue first.', ASC: 'Shortest overdue first.' },
  },
];

const ID = /^[1-9]\d{0,17}$/;
const AMOUNT = /^\d{1,15}(\.\d{1,4})?$/;
const DAYS = /^\d{1,5}$/;
const PRIORITY = /^\d{1,4}$/;

/** The view a URL's search params describe. */
export function viewFromParams(params: URLSearchParams): WorklistView {
  const info = ORDERS.find((o) => o.param === (params.get('order') ?? '')) ?? ORDERS[0]!;
  const dir = params.get('dir')?.toUpperCase();
  const filter: WorklistFilter = {};
  const priorities = (params.get('priority') ?? '')
    .split(',')
    .filter((p) => PRIORITY.test(p))
    .map(Number);
  if (priorities.length) filter.priorities = [...new Set(priorities)].sort((a, b) => a - b);
  const min = params.get('min');
  const max = params.get('max');
  if (min && AMOUNT.test(min)) filter.minAmountToBeCollected = min;
  if (max && AMOUNT.test(max) && !(filter.minAmountToBeCollected && Number(max) < Number(min))) filter.maxAmountToBeCollected = max;
  const dmin = params.get('dmin');
  const dmax = params.get('dmax');
  if (dmin && DAYS.test(dmin) && Number(dmin) <= 36500) filter.minDaysOverdue = Number(dmin);
  if (dmax && DAYS.test(dmax) && Number(dmax) <= 36500 && Number(dmax) >= (filter.minDaysOverdue ?? 0)) filter.maxDaysOverdue = Number(dmax);
  const specialist = params.get('specialist');
  if (specialist === 'none') filter.unassigned = true;
  else if (specialist && ID.test(specialist)) filter.specialistId = specialist;
  const rule = params.get('rule');
  if (rule && rule.length <= 200 && !rule.includes('\0')) filter.firedRule = rule;
  const worked = params.get('worked');
  if (worked === 'yes' || worked === 'no') filter.worked = worked === 'yes';
  const q = params.get('q')?.trim();
  if (q && q.length <= 200 && !q.includes('\0')) filter.search = q;
  return { filter, orderBy: info.orderBy, direction: dir === 'ASC' || dir === 'DESC' ? dir : null };
}

/** The search param changes that show a view (null removes a param); other params are left alone. */
export function paramsOfView(view: WorklistView): Record<string, string | null> {
  const f = view.filter;
  const info = orderInfo(view.orderBy);
  return {
    order: info.param || null,
    dir: view.direction && view.direction !== info.natural ? view.direction.toLowerCase() : null,
    priority: f.priorities?.length ? f.priorities.join(',') : null,
    min: f.minAmountToBeCollected ?? null,
    max: f.maxAmountToBeCollected ?? null,
    dmin: f.minDaysOverdue != null ? String(f.minDaysOverdue) : null,
    dmax: f.maxDaysOverdue != null ? String(f.maxDaysOverdue) : null,
    specialist: f.unassigned ? 'none' : f.specialistId != null ? String(f.specialistId) : null,
    rule: f.firedRule ?? null,
    worked: f.worked == null ? null : f.worked ? 'yes' : 'no',
    q: f.search ?? null,
  };
}

export function orderInfo(orderBy: WorklistOrder): OrderInfo {
  return ORDERS.find((o) => o.orderBy === orderBy) ?? ORDERS[0]!;
}

/** The direction the list is read in (the natural one when none is asked for). */
export function effectiveDirection(view: Pick<WorklistView, 'orderBy' | 'direction'>): SortDirection {
  return view.direction ?? orderInfo(view.orderBy).natural;
}

/**
 * The view after a click on a column's header: a new column reads in its natural direction, the
 * current column turns around.
 */
export function sortedBy(view: WorklistView, orderBy: WorklistOrder): WorklistView {
  if (view.orderBy !== orderBy) return { ...view, orderBy, direction: null };
  const now = effectiveDirection(view);
  const next: SortDirection = now === 'ASC' ? 'DESC' : 'ASC';
  return { ...view, direction: next === orderInfo(orderBy).natural ? null : next };
}

/** How many filters narrow the list (for the "Clear filters" affordance). */
export function filterCount(filter: WorklistFilter): number {
  return Object.values(filter).filter((v) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)).length;
}
