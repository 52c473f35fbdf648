import { Column, Entity, Index } from 'typeorm';
import { CURRENCY, ID, MONEY } from '../db/columns';
import { ItemLinkedRecord } from '../items';

/**
 * A promise to pay. Its status (OPEN, KEPT, PARTIALLY_KEPT, BROKEN, CANCELLED) is a function of
 * the key date (promise-status.ts, the same rule as the facts' SQL); the judging run stores the
 * status it found at a date (`judged_status`, `judged_at`) for lists and reports.
 */
@Entity('promises')
@Index(['partnerId'])
@Index('idx_promises_renewed_from', ['renewedFromId'], { unique: true, where: 'renewed_from_id IS NOT NULL' })
export class PromiseToPay extends ItemLinkedRecord {
  @Column({ type: 'date' })
  createdDate!: string;

  @Column({ type: 'date' })
  promisedDate!: string;

  @Column(MONEY)
  amount!: string;

  @Column(CURRENCY)
  currency!: string;

  @Column({ type: 'boolean', default: false })
  cancelled!: boolean;

  /** Renewing a promise raises its level. */
  @Column({ type: 'smallint', default: 1 })
  level!: number;

  /** The promises made together (one amount split over several items) share the id of the first. */
  @Column({ ...ID, nullable: true })
  groupId!: string | null;

  /** The promise this one renews (level = its level + 1); a promise is renewed at most once. */
  @Column({ ...ID, nullable: true })
  renewedFromId!: string | null;

  @Column({ type: 'date', nullable: true })
  cancelledDate!: string | null;

  /** The status found by the last judging (run or payment) and the key date it was judged at. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  judgedStatus!: string | null;

  @Column({ type: 'date', nullable: true })
  judgedAt!: string | null;
}
