import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CURRENCY, EXTERNAL_ID, ID, MONEY } from '../db/columns';
import { OpenItem } from '../items/open-item.entity';
import { BusinessPartner } from '../partners/partner.entity';

/** A promise to pay. Its status (OPEN, KEPT, PARTIALLY_KEPT, BROKEN, CANCELLED) is judged at a key date, never stored. */
@Entity('promises')
export class PromiseToPay {
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
