/**
 * The deal of distributeSql (worklist-run.sql.ts) over rows in memory, for a preview scored in
 * this process (worklist-preview-memory.ts): the same specialist and origin for every partner on
 * the list, held to the SQL by test/worklist-preview-memory.test.ts.
 *
 * A partner's fixed specialist first (or that specialist's substitute while absent); every other
 * partner goes to a specialist of its collection group (the segment's default group when its own
 * is not active): per group and priority the partners are taken by amount to be collected, largest
 * first, then by partner id, and dealt to the group's seats (its specialists of the segment's
 * active groups, by id, who are present or have a substitute) in a snake order starting one seat
 * further in each band. A dealt specialist who is absent hands the partner to the substitute.
 */
import type { SpecialistOrigin } from './worklist.entity';
import { compareIds } from '../graphql/scalars';

/** A specialist at the key date, as specialistsAtSql answers for the segment. */
export interface SpecialistAt {
  id: string;
  groupKey: string | null;
  /** A member of one of the segment's active groups. */
  inSegment: boolean;
  absent: boolean;
  /** Who stands in while absent: active and not absent himself; else null. */
  substituteId: string | null;
}

/** A partner on the list, as the deal reads it. */
export interface DealRow {
  partnerId: string;
  priority: number;
  /**
   * The amount to be collected in units of 1e-4, rounded as on the list (a number where it is a
   * safe integer, else a bigint; the two compare exactly); null (none) deals first, as NULLs sort
   * first descending.
   */
  amount: number | bigint | null;
  groupKey: string | null;
  fixedSpecialistId: string | null;
  /**
   * The row's place in the order by amount (desc, none first) then partner id, where the caller
   * knows it for every row: compared instead of the amounts and ids (the same order, cheaper).
   */
  rank?: number;
}

export interface Dealt {
  specialistId: string | null;
  origin: SpecialistOrigin | null;
}

export interface DealSetting {
  specialists: SpecialistAt[];
  /** The keys of the active collection groups. */
  activeGroups: ReadonlySet<string>;
  defaultGroup: string | null;
}

/** Each row's specialist and origin, in the order of `rows` (`inDealOrder`: the rows come by amount desc then partner id already). */
export function deal(rows: readonly DealRow[], setting: DealSetting, options: { inDealOrder?: boolean } = {}): Dealt[] {
  const byId = new Map(setting.specialists.map((s) => [s.id, s]));
  const seats = seatsByGroup(setting.specialists);
  const out: Dealt[] = new Array(rows.length);
  // Per group (null: none) and priority, the rows dealt together.
  const bands = new Map<string | null, Map<number, number[]>>();
  rows.forEach((row, i) => {
    const fixed = row.fixedSpecialistId === null ? undefined : byId.get(row.fixedSpecialistId);
    if (fixed && (!fixed.absent || fixed.substituteId !== null)) {
      out[i] = fixed.absent ? { specialistId: fixed.substituteId, origin: 'SUBSTITUTE' } : { specialistId: fixed.id, origin: 'FIXED' };
      return;
    }
    const group = row.groupKey !== null && setting.activeGroups.has(row.groupKey) ? row.groupKey : setting.defaultGroup;
    let byPriority = bands.get(group);
    if (!byPriority) bands.set(group, (byPriority = new Map()));
    let members = byPriority.get(row.priority);
    if (!members) byPriority.set(row.priority, (members = []));
    members.push(i);
  });
  for (const [group, byPriority] of bands)
    for (const members of byPriority.values()) {
      if (!options.inDealOrder) members.sort((a, b) => byAmountThenId(rows[a]!, rows[b]!));
      dealBand(rows, members, group === null ? undefined : seats.get(group), out);
    }
  return out;
}

/** One group's partners of one priority, in deal order (sorted), to the group's seats (none: no specialist). */
function dealBand(rows: readonly DealRow[], members: number[], pool: SpecialistAt[] | undefined, out: Dealt[]): void {
  if (!pool) {
    for (const i of members) out[i] = { specialistId: null, origin: null };
    return;
  }
  const k = pool.length;
  members.forEach((i, r) => {
    const snake = Math.floor(r / k) % 2 === 0 ? r % k : k - 1 - (r % k);
    const seat = pool[(snake + rows[i]!.priority) % k]!;
    out[i] = seat.absent ? { specialistId: seat.substituteId, origin: 'SUBSTITUTE' } : { specialistId: seat.id, origin: 'STANDARD' };
  });
}

/** Per group key, its seats: the segment's specialists present or standing in by a substitute, by id. */
function seatsByGroup(specialists: readonly SpecialistAt[]): Map<string, SpecialistAt[]> {
  const seats = new Map<string, SpecialistAt[]>();
  for (const s of specialists) {
    if (!s.inSegment || s.groupKey === null || (s.absent && s.substituteId === null)) continue;
    let pool = seats.get(s.groupKey);
    if (!pool) seats.set(s.groupKey, (pool = []));
    pool.push(s);
  }
  for (const pool of seats.values()) pool.sort((a, b) => compareIds(a.id, b.id));
  return seats;
}

/** Larger amount first (none first of all), then smaller partner id. */
export function byAmountThenId(a: DealRow, b: DealRow): number {
  if (a.rank !== undefined && b.rank !== undefined) return a.rank - b.rank;
  const x = a.amount;
  const y = b.amount;
  if (x === null || y === null) {
    if (x !== y) return x === null ? -1 : 1;
  } else if (x > y) return -1;
  else if (x < y) return 1;
  return compareIds(a.partnerId, b.partnerId);
}
