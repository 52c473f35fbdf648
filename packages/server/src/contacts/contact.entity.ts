import { Column, Entity, Index } from 'typeorm';
import { PartnerRecord } from '../partners/partner-record';

@Entity('contacts')
@Index('idx_contacts_partner_date', ['partnerId', 'contactDate'])
export class Contact extends PartnerRecord {
  @Column({ type: 'date' })
  contactDate!: string;

  @Column({ type: 'time', nullable: true })
  contactTime!: string | null;

  @Column({ type: 'varchar', length: 20 })
  channel!: string;

  @Column({ type: 'varchar', length: 10 })
  direction!: string;

  @Column({ type: 'boolean' })
  reached!: boolean;

  @Column({ type: 'text', nullable: true })
  result!: string | null;
}
