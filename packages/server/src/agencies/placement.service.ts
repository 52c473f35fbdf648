/**
 * Placement of a partner's items with a collection agency (issue 22). A placement is PLACED while
 * the agency works the items, RECALLED when taken back (with a reason), CLOSED when every item was
 * cleared. A partner is placed with one agency at a time: placing with another while placed is a
 * CONFLICT (recall first); placing more items with the same agency adds them. The placed items are
 * held (item_holds, dated: from placedOn; a recall ends the holds on recalledOn and keeps them), so
 * the worklist facts and dunning leave them out, and a run at a past D sees the holds in force then;
 * the holds' trigger marks the partner so its maintained facts are recomputed at the commit of the
 * placement's transaction.
 * Every placement change is a numbered event (placement_events): the agency's file reads them.
 */
import type { EntityManager } from 'typeorm';
import { recordAudit, type Actor } from '../audit';
import { BadUserInputError, ConflictError, NotFoundError } from '../graphql/errors';
import { isIsoDate } from '../graphql/scalars';
import { revaluatePartner } from '../worklists';

export interface PlaceInput {
  partnerId: string;
  agency: string;
  /** Some of the partner's open items; absent or empty: every open item not held. */
  itemIds?: readonly string[] | null;
  placedOn: string;
}

export interface RecallInput {
  placementId: string;
  reason: string;
  recalledOn: string;
  /** The version read; a stale one is a CONFLICT. */
  version: number;
}

/** Places the items and returns the placement's id (new, or the partner's placement with that agency). */
export async function placeItems(m: EntityManager, actor: Actor, input: PlaceInput): Promise<string> {
  if (!isIsoDate(input.placedOn)) throw new BadUserInputError('placedOn must be a date (YYYY-MM-DD)', 'input.placedOn');
  await lockPartner(m, input.partnerId);
  await assertAgencyTakesPlacements(m, input.agency);
  const current = await placedPlacementOf(m, input.partnerId);
  if (current && current.agency_key !== input.agency) {
    throw new ConflictError(`Partner ${input.partnerId} is placed with agency ${current.agency_key} (placement ${current.id}): recall it first`, {
      placementId: current.id,
    });
  }
  const items = await itemsToPlace(m, input.partnerId, input.itemIds ?? []);
  await assertHoldsEndedBy(m, items, input.placedOn, 'input.placedOn');
  const placementId = current ? current.id : await createPlacement(m, actor, input);
  if (current) await m.query(`UPDATE placements SET version = version + 1, changed_at = now() WHERE id = $1`, [current.id]);
  await m.query(
    `INSERT INTO placement_items (placement_id, item_id, partner_id, placed_amount, currency)
     SELECT $1, i.id, i.partner_id, i.open_amount, i.currency FROM open_items i WHERE i.id = ANY($2::bigint[])`,
    [placementId, items],
  );
  await m.query(`INSERT INTO item_holds (item_id, partner_id, kind, holder_id, started_on) SELECT id, $2, 'PLACEMENT', $3, $4 FROM unnest($1::bigint[]) id`, [
    items,
    input.partnerId,
    placementId,
    input.placedOn,
  ]);
  await m.query(
    `INSERT INTO placement_events (agency_key, placement_id, partner_id, item_id, kind, event_date, amount, currency)
     SELECT $1, $2, i.partner_id, i.id, 'PLACED', $3, i.open_amount, i.currency FROM open_items i WHERE i.id = ANY($4::bigint[]) ORDER BY i.id`,
    [input.agency, placementId, input.placedOn, items],
  );
  await recordAudit(m, actor, {
    action: current ? 'PLACE_MORE' : 'PLACE',
    entityType: 'PLACEMENT',
    entityId: placementId,
    details: { partnerId: input.partnerId, agency: input.agency, items, placedOn: input.placedOn },
  });
  // The live worklist sees the hold at once (a partner with nothing left in-house leaves it), as after a payment or promise.
  await revaluatePartner(m, input.partnerId, input.placedOn);
  return placementId;
}

/** Takes a PLACED placement back from its agency: its items return to in-house collection. */
export async function recallPlacement(m: EntityManager, actor: Actor, input: RecallInput): Promise<void> {
  if (!isIsoDate(input.recalledOn)) throw new BadUserInputError('recalledOn must be a date (YYYY-MM-DD)', 'input.recalledOn');
  const reason = input.reason.trim();
  if (!reason || reason.length > 500) throw new BadUserInputError('A recall needs a reason of 1 to 500 characters', 'input.reason');
  const [placement] = await m.query(
    `SELECT id::text AS id, partner_id::text AS partner_id, agency_key, status, version, placed_on::text AS placed_on FROM placements WHERE id = $1 FOR UPDATE`,
    [input.placementId],
  );
  if (!placement) throw new NotFoundError('Placement', input.placementId);
  if (placement.version !== input.version) {
    throw new ConflictError(`Placement ${input.placementId} was changed meanwhile (version ${placement.version}, not ${input.version})`, {
      version: placement.version,
    });
  }
  if (placement.status !== 'PLACED') throw new ConflictError(`Placement ${input.placementId} is ${placement.status}, not PLACED: nothing to recall`);
  // Items placed later (more items with the same agency) are held from their own date: the recall is on or after every start.
  const [{ last_start }] = await m.query(
    `SELECT greatest(max(h.started_on), $2::date)::text AS last_start FROM item_holds h WHERE h.kind = 'PLACEMENT' AND h.holder_id = $1 AND h.ended_on IS NULL`,
    [placement.id, placement.placed_on],
  );
  if (input.recalledOn < last_start) throw new BadUserInputError(`recalledOn is before the placement (${last_start})`, 'input.recalledOn');
  await m.query(
    `INSERT INTO placement_events (agency_key, placement_id, partner_id, item_id, kind, event_date, amount, currency, reason)
     SELECT $1, $2, i.partner_id, i.id, 'RECALLED', $3, i.open_amount, i.currency, $4
       FROM item_holds h JOIN open_items i ON i.id = h.item_id WHERE h.kind = 'PLACEMENT' AND h.holder_id = $2 AND h.ended_on IS NULL ORDER BY i.id`,
    [placement.agency_key, placement.id, input.recalledOn, reason],
  );
  // Ended, not deleted: a run at a day before the recall still sees the items placed.
  await m.query(`UPDATE item_holds SET ended_on = $2 WHERE kind = 'PLACEMENT' AND holder_id = $1 AND ended_on IS NULL`, [placement.id, input.recalledOn]);
  await m.query(`UPDATE placements SET status = 'RECALLED', recalled_on = $2, recall_reason = $3, version = version + 1, changed_at = now() WHERE id = $1`, [
    placement.id,
    input.recalledOn,
    reason,
  ]);
  await recordAudit(m, actor, { action: 'RECALL', entityType: 'PLACEMENT', entityId: placement.id, details: { reason, recalledOn: input.recalledOn } });
  // The recalled items are in-house again: the live worklist valuates the partner with them.
  await revaluatePartner(m, placement.partner_id, input.recalledOn);
}

async function lockPartner(m: EntityManager, partnerId: string): Promise<void> {
  // One placement change of a partner at a time: the partner row is the lock.
  const [partner] = await m.query(`SELECT id FROM partners WHERE id = $1 FOR UPDATE`, [partnerId]);
  if (!partner) throw new NotFoundError('Partner', partnerId);
}

async function assertAgencyTakesPlacements(m: EntityManager, agency: string): Promise<void> {
  const [row] = await m.query(`SELECT active FROM agencies WHERE key = $1`, [agency]);
  if (!row) throw new NotFoundError('Agency', agency);
  if (!row.active) throw new BadUserInputError(`Agency ${agency} is inactive and takes no placements`, 'input.agency');
}

async function placedPlacementOf(m: EntityManager, partnerId: string): Promise<{ id: string; agency_key: string } | undefined> {
  const [row] = await m.query(`SELECT id::text AS id, agency_key FROM placements WHERE partner_id = $1 AND status = 'PLACED'`, [partnerId]);
  return row;
}

/**
 * The items to place: the named ones must be the partner's open items and not held already (by
 * this placement, another or a legal case: CONFLICT); none named: every open item not held.
 */
async function itemsToPlace(m: EntityManager, partnerId: string, itemIds: readonly string[]): Promise<string[]> {
  if (itemIds.length === 0) {
    const rows: Array<{ id: string }> = await m.query(
      `SELECT i.id::text AS id FROM open_items i WHERE i.partner_id = $1 AND i.open_amount > 0
          AND NOT EXISTS (SELECT 1 FROM item_holds h WHERE h.partner_id = i.partner_id AND h.item_id = i.id AND h.ended_on IS NULL) ORDER BY i.id FOR UPDATE OF i`,
      [partnerId],
    );
    if (!rows.length) throw new ConflictError(`Partner ${partnerId} has no open item that is not already placed or under a legal case`);
    return rows.map((r) => r.id);
  }
  const ids = [...new Set(itemIds)];
  const rows: Array<{ id: string; partner_id: string; open: boolean; held: string | null }> = await m.query(
    `SELECT u.id::text AS id, i.partner_id::text AS partner_id, i.open_amount > 0 AS open, h.kind AS held
       FROM unnest($1::bigint[]) WITH ORDINALITY AS u(id, n)
       LEFT JOIN open_items i ON i.id = u.id LEFT JOIN item_holds h ON h.item_id = u.id AND h.ended_on IS NULL ORDER BY u.n`,
    [ids],
  );
  for (const [index, row] of rows.entries()) {
    if (row.partner_id !== partnerId) throw new NotFoundError('Open item of this partner', row.id);
    if (!row.open) throw new BadUserInputError(`Item ${row.id} is cleared: nothing to place`, `input.itemIds[${index}]`);
    if (row.held) throw new ConflictError(`Item ${row.id} is already ${row.held === 'LEGAL' ? 'under a legal case' : 'placed'}`);
  }
  return ids;
}

/**
 * A hold starts on or after the end of the item's previous hold (recalled, case closed): the dated
 * holds of an item never overlap, so at any D an item is held by one placement or case at most.
 */
export async function assertHoldsEndedBy(m: EntityManager, items: readonly string[], startsOn: string, path: string): Promise<void> {
  const [late] = await m.query(
    `SELECT h.item_id::text AS item_id, h.ended_on::text AS ended_on FROM item_holds h
      WHERE h.item_id = ANY($1::bigint[]) AND h.ended_on > $2::date ORDER BY h.ended_on DESC, h.item_id LIMIT 1`,
    [items, startsOn],
  );
  if (late) throw new BadUserInputError(`Item ${late.item_id} was held until ${late.ended_on}: the date must be on or after it`, path);
}

async function createPlacement(m: EntityManager, actor: Actor, input: PlaceInput): Promise<string> {
  const [row] = await m.query(
    `INSERT INTO placements (partner_id, agency_key, status, placed_on, placed_by) VALUES ($1, $2, 'PLACED', $3, $4) RETURNING id::text AS id`,
    [input.partnerId, input.agency, input.placedOn, actor.name],
  );
  return row.id;
}
