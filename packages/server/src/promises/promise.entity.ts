import { Column, Entity, Index } from 'typeorm';
import { CURRENCY, MONEY } from '../db/columns';
import { ItemLinkedRecord } from '../items/item-linked-record';

/** A promise to pay. Its status (OPEN, KEPT, PARTIALLY_KEPT, BROKEN, CANCELLED) is judged at a key date, never stored. */
@Entity('promises')
@Index(['partnerId'])
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
}
