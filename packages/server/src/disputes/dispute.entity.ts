import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CURRENCY, ID, KEY, MONEY } from '../db/columns';
import { ItemLinkedRecord } from '../items';

export const DISPUTE_STATUSES = ['OPEN', 'IN_PROCESS', 'RESOLVED', 'REJECTED', 'CLOSED'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export const DISPUTE_RESOLUTIONS = ['CREDIT_MEMO', 'WRITE_OFF', 'CUSTOMER_PAYS'] as const;
export type DisputeResolution = (typeof DISPUTE_RESOLUTIONS)[number];

/** The longest notes a dispute keeps (a page of text; more belongs in a document, not a field). */
export const MAX_DISPUTE_NOTES = 4000;

/**
 * A dispute on one item (or on the partner as a whole when imported without item). A dispute
 * opened on several items at once is one row per item sharing a `caseKey`, so the facts (which
 * read disputes per item) stay exactly as DESIGN.md defines them.
 */
@Entity('disputes')
@Check('chk_disputes_status', `status IN ('OPEN', 'IN_PROCESS', 'RESOLVED', 'REJECTED', 'CLOSED')`)
@Check('chk_disputes_resolution', `resolution IS NULL OR resolution IN ('CREDIT_MEMO', 'WRITE_OFF', 'CUSTOMER_PAYS')`)
@Index(['partnerId'])
export class Dispute extends ItemLinkedRecord {
  @Column({ type: 'date' })
  createdDate!: string;

  @Column(MONEY)
  disputedAmount!: string;

  @Column(CURRENCY)
  currency!: string;

  @Column({ type: 'varchar', length: 12 })
  status!: DisputeStatus;

  /** Why the customer disputes, as the dispute was opened; the workflow's own remarks go to `notes`. */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** The processing remarks (what was agreed, what is awaited); null until someone writes some. */
  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  /** Shared by the disputes opened together on several items. */
  @Index()
  @Column({ type: 'varchar', length: 40, nullable: true })
  caseKey!: string | null;

  /** The specialist processing the dispute (specialists.id). */
  @Column({ ...ID, nullable: true })
  processorId!: string | null;

  @Column({ type: 'varchar', length: 14, nullable: true })
  resolution!: DisputeResolution | null;

  /** A code of dispute_root_causes. */
  @Column({ ...KEY, nullable: true })
  rootCause!: string | null;

  @Column({ type: 'text', nullable: true })
  createdBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  statusChangedAt!: Date | null;
}

/**
 * A dispute's dated status history (DESIGN.md "Point in time"): one row per day on which its
 * status changed, the status it had at the end of that day. Creation opens a dispute without a
 * row; a dispute without rows keeps the fallback (open from created_date to its last change).
 * Written by every status change and by dispute_history.csv.
 */
@Entity('dispute_status_changes')
@Check('chk_dispute_status_changes_status', `status IN ('OPEN', 'IN_PROCESS', 'RESOLVED', 'REJECTED', 'CLOSED')`)
@Index('idx_dispute_status_changes_partner', ['partnerId'])
export class DisputeStatusChange {
  @PrimaryColumn(ID)
  disputeId!: string;

  @PrimaryColumn({ type: 'date' })
  changedOn!: string;

  /** The dispute's partner (every AR table carries partner_id, DESIGN.md "Scale"). */
  @Column(ID)
  partnerId!: string;

  @Column({ type: 'varchar', length: 12 })
  status!: DisputeStatus;
}

/** The configurable list of dispute root causes (a dispute's root cause must be an active one). */
@Entity('dispute_root_causes')
export class DisputeRootCause {
  @PrimaryColumn(KEY)
  code!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;
}
