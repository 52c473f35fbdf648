import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CURRENCY, EXTERNAL_ID, ID, MONEY } from '../db/columns';
import { OpenItem } from '../items/open-item.entity';
import { BusinessPartner } from '../partners/partner.entity';

export const DISPUTE_STATUSES = ['OPEN', 'IN_PROCESS', 'RESOLVED', 'REJECTED', 'CLOSED'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

@Entity('disputes')
@Check('chk_disputes_status', `status IN ('OPEN', 'IN_PROCESS', 'RESOLVED', 'REJECTED', 'CLOSED')`)
export class Dispute {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(EXTERNAL_ID)
  externalId!: string;

  @Index()
  @Column(ID)
  partnerId!: string;

  @ManyToOne(() => BusinessPartner, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'partner_id' })
  partner?: BusinessPartner;

  @Index()
  @Column({ ...ID, nullable: true })
  itemId!: string | null;

  @ManyToOne(() => OpenItem, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'item_id' })
  item?: OpenItem;

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
