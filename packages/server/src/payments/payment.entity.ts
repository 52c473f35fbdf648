import { Column, Entity, Index } from 'typeorm';
import { CURRENCY, MONEY } from '../db/columns';
import { ItemLinkedRecord } from '../items/item-linked-record';

/** An incoming payment, on an item or on account (no item). */
@Entity('payments')
@Index('idx_payments_partner_date', ['partnerId', 'paymentDate'])
export class Payment extends ItemLinkedRecord {
  @Column({ type: 'date' })
  paymentDate!: string;

  @Column(MONEY)
  amount!: string;

  @Column(CURRENCY)
  currency!: string;
}
