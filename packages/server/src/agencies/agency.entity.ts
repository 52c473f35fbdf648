import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CURRENCY, ID, KEY, MONEY } from '../db/columns';

/** Optimistic concurrency, as the organisation's objects: a write names the version it read. */
const VERSION = { type: 'integer', default: 1 } as const;

/** An external collection agency (organisation data, issue 22): partners' items are placed with it. */
@Entity('agencies')
@Check('chk_agencies_commission', `commission_percent >= 0 AND commission_percent <= 100`)
export class Agency {
  @PrimaryColumn(KEY)
  key!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  /** Percent of the amount collected during a placement that the agency earns (exact, two decimals). */
  @Column({ type: 'numeric', precision: 5, scale: 2 })
  commissionPercent!: string;

  /** Whether payments made to the company directly on placed items earn the agency commission too. */
  @Column({ type: 'boolean', default: true })
  countDirectPayments!: boolean;

  /** An inactive agency takes no new placements; kept because placements refer to it. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column(VERSION)
  version!: number;
}

export const PLACEMENT_STATUSES = ['PLACED', 'RECALLED', 'CLOSED'] as const;
export type PlacementStatus = (typeof PLACEMENT_STATUSES)[number];

/**
 * A partner's items handed to one agency. PLACED while the agency works them (at most one per
 * partner), RECALLED when taken back (with a reason), CLOSED when every placed item was cleared.
 */
@Entity('placements')
@Check('chk_placements_status', `status IN ('PLACED', 'RECALLED', 'CLOSED')`)
@Check('chk_placements_recall', `(status = 'RECALLED') = (recalled_on IS NOT NULL)`)
// A partner is placed with one agency at a time.
@Index('uq_placements_partner_placed', ['partnerId'], { unique: true, where: `status = 'PLACED'` })
@Index('idx_placements_agency', ['agencyKey', 'id'])
export class Placement {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(ID)
  partnerId!: string;

  @Column(KEY)
  agencyKey!: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_key' })
  agency?: Agency;

  @Column({ type: 'varchar', length: 10 })
  status!: PlacementStatus;

  @Column({ type: 'date' })
  placedOn!: string;

  @Column({ type: 'text' })
  placedBy!: string;

  @Column({ type: 'date', nullable: true })
  recalledOn!: string | null;

  @Column({ type: 'text', nullable: true })
  recallReason!: string | null;

  /** Bumped by every change of the placement (items added, recall): the export reports a change once. */
  @Column(VERSION)
  version!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  changedAt!: Date;
}

/** An item of a placement, with what was open on it when placed. */
@Entity('placement_items')
@Index('idx_placement_items_item', ['itemId'])
export class PlacementItem {
  @PrimaryColumn(ID)
  placementId!: string;

  @ManyToOne(() => Placement, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'placement_id' })
  placement?: Placement;

  @PrimaryColumn(ID)
  itemId!: string;

  @Column(ID)
  partnerId!: string;

  @Column(MONEY)
  placedAmount!: string;

  @Column(CURRENCY)
  currency!: string;
}

/**
 * The items taken out of in-house collection while an agency or the courts work them: the worklist
 * facts and dunning leave them out. Dated and kept: a hold is in force at the end of day D when
 * started_on <= D and (ended_on IS NULL or ended_on > D), so a placement on P holds from P on and a
 * recall (or a case closed, or the item cleared) on R releases it for R itself (DESIGN.md "Point in
 * time"). An item is held by one placement or legal case at a time (the hold in force: ended_on NULL).
 */
@Entity('item_holds')
@Check('chk_item_holds_kind', `kind IN ('PLACEMENT', 'LEGAL')`)
@Check('chk_item_holds_dates', `ended_on IS NULL OR ended_on >= started_on`)
@Index('idx_item_holds_partner', ['partnerId'])
@Index('idx_item_holds_item', ['itemId', 'startedOn'])
@Index('uq_item_holds_in_force', ['partnerId', 'itemId'], { unique: true, where: 'ended_on IS NULL' })
export class ItemHold {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(ID)
  itemId!: string;

  @Column(ID)
  partnerId!: string;

  @Column({ type: 'varchar', length: 10 })
  kind!: 'PLACEMENT' | 'LEGAL';

  /** The placement or legal case that holds the item. */
  @Column(ID)
  holderId!: string;

  /** The day the hold started (the placement's or the case's date): held at the end of it. */
  @Column({ type: 'date' })
  startedOn!: string;

  /** The day it ended (recall, case closed, item cleared): not held at the end of it; NULL while in force. */
  @Column({ type: 'date', nullable: true })
  endedOn!: string | null;
}

/** Where an agency's placement file stopped: the next export reports what changed after it. */
@Entity('agency_exports')
export class AgencyExport {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(KEY)
  agencyKey!: string;

  @ManyToOne(() => Agency, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agency_key' })
  agency?: Agency;

  @Column({ type: 'date' })
  asOf!: string;

  /** The placement changes covered: every placement change with a sequence number up to this. */
  @Column(ID)
  watermark!: string;

  @Column({ type: 'integer' })
  rows!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  exportedAt!: Date;
}

/** Every placement event, numbered: PLACED (an item placed), RECALLED (an item taken back), the export's source. */
@Entity('placement_events')
@Check('chk_placement_events_kind', `kind IN ('PLACED', 'RECALLED', 'CLEARED')`)
@Index('idx_placement_events_agency', ['agencyKey', 'id'])
export class PlacementEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(KEY)
  agencyKey!: string;

  @Column(ID)
  placementId!: string;

  @ManyToOne(() => Placement, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'placement_id' })
  placement?: Placement;

  @Column(ID)
  partnerId!: string;

  @Column(ID)
  itemId!: string;

  @Column({ type: 'varchar', length: 10 })
  kind!: 'PLACED' | 'RECALLED' | 'CLEARED';

  @Column({ type: 'date' })
  eventDate!: string;

  @Column(MONEY)
  amount!: string;

  @Column(CURRENCY)
  currency!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;
}

/** A payment an agency reported (agency_payments.csv): the payment it made in the mirror, and the placement it counts for. */
@Entity('agency_payments')
@Index('idx_agency_payments_agency_date', ['agencyKey', 'paymentDate'])
export class AgencyPayment {
  @PrimaryColumn(ID)
  paymentId!: string;

  @Column(KEY)
  agencyKey!: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_key' })
  agency?: Agency;

  @Column(ID)
  placementId!: string;

  @ManyToOne(() => Placement, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'placement_id' })
  placement?: Placement;

  @Column({ type: 'date' })
  paymentDate!: string;
}

/** A closed agency settlement: a period's commission frozen at closing (audited); closed periods of an agency do not overlap. */
@Entity('agency_settlements')
@Check('chk_agency_settlements_period', `period_from <= period_to`)
export class AgencySettlement {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(KEY)
  agencyKey!: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_key' })
  agency?: Agency;

  @Column({ type: 'date' })
  periodFrom!: string;

  @Column({ type: 'date' })
  periodTo!: string;

  @Column({ type: 'numeric', precision: 5, scale: 2 })
  commissionPercent!: string;

  @Column({ type: 'boolean' })
  countDirectPayments!: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  closedAt!: Date;

  @Column({ type: 'text' })
  closedBy!: string;
}

/** One payment of a closed settlement, as it counted. */
@Entity('agency_settlement_lines')
export class AgencySettlementLine {
  @PrimaryColumn(ID)
  settlementId!: string;

  @ManyToOne(() => AgencySettlement, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'settlement_id' })
  settlement?: AgencySettlement;

  @PrimaryColumn(ID)
  paymentId!: string;

  @Column(ID)
  placementId!: string;

  @Column(ID)
  itemId!: string;

  @Column({ type: 'date' })
  paymentDate!: string;

  @Column(MONEY)
  amount!: string;

  @Column(CURRENCY)
  currency!: string;

  /** Reported by the agency (false: paid to the company directly). */
  @Column({ type: 'boolean' })
  viaAgency!: boolean;

  @Column(MONEY)
  commission!: string;
}
