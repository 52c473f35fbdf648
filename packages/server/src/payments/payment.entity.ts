import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CURRENCY, EXTERNAL_ID, ID, MONEY } from '../db/columns';
import { OpenItem } from '../items/open-item.entity';
import { BusinessPartner } from '../partners/partner.entity';

/** An incoming payment, on an item or on account (no item). */
@Entity('payments')
@Index('idx_payments_partner_date', ['partnerId', 'paymentDate'])
export class Payment {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(EXTERNAL_ID)
  externalId!: string;

  @Column(ID)
  partnerId!: string;

  @ManyToOne(() => BusinessPartner, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'partner_id' })
  partner?: BusinessPartner;

  /** Promise judging sums payments per item. */
  @Index()
  @Column({ ...ID, nullable: true })
  itemId!: string | null;

  @ManyToOne(() => OpenItem, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'item_id' })
  item?: OpenItem;

  @Column({ type: 'date' })
  paymentDate!: string;

  @Column(MONEY)
  amount!: string;

  @Column(CURRENCY)
  currency!: string;
}
