import { Column, Entity, Index } from 'typeorm';
import { CURRENCY, ID, MONEY } from '../db/columns';
import { ItemLinkedRecord } from '../items';

/** An incoming payment, on an item or on account (no item). */
@Entity('payments')
@Index('idx_payments_partner_date', ['partnerId', 'paymentDate'])
// Facts at a key date D read the item payments dated after D (none at today): a short range scan.
@Index('idx_payments_item_payment_date', ['paymentDate'], { where: 'item_id IS NOT NULL' })
export class Payment extends ItemLinkedRecord {
  @Column({ type: 'date' })
  paymentDate!: string;

  @Column(MONEY)
  amount!: string;

  @Column(CURRENCY)
  currency!: string;

  /** Rows of one posting made in Recoup (spread over several items, the rest on account) share it. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  postingRef!: string | null;

  /** A payment posted against a payment plan: its part on account counts for the plan's installments. */
  @Index('idx_payments_plan', { where: 'payment_plan_id IS NOT NULL' })
  @Column({ ...ID, nullable: true })
  paymentPlanId!: string | null;
}
