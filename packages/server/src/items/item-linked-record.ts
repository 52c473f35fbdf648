import { Column, Index, JoinColumn, ManyToOne } from 'typeorm';
import { ID } from '../db/columns';
import { PartnerRecord } from '../partners';
import { OpenItem } from './open-item.entity';

/** An AR row that may refer to one open item (payments, promises, disputes). */
export abstract class ItemLinkedRecord extends PartnerRecord {
  /** Promise judging and the customer 360 read these per item. */
  @Index()
  @Column({ ...ID, nullable: true })
  itemId!: string | null;

  @ManyToOne(() => OpenItem, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'item_id' })
  item?: OpenItem;
}
