import { Check, Column, Entity, Index } from 'typeorm';
import { CURRENCY, MONEY } from '../db/columns';
import { ItemLinkedRecord } from '../items/item-linked-record';

export const DISPUTE_STATUSES = ['OPEN', 'IN_PROCESS', 'RESOLVED', 'REJECTED', 'CLOSED'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

@Entity('disputes')
@Check('chk_disputes_status', `status IN ('OPEN', 'IN_PROCESS', 'RESOLVED', 'REJECTED', 'CLOSED')`)
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

  @Column({ type: 'text', nullable: true })
  reason!: string | null;
}
