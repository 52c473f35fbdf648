import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { EXTERNAL_ID, ID } from '../db/columns';
import { BusinessPartner } from '../partners/partner.entity';

@Entity('contacts')
@Index('idx_contacts_partner_date', ['partnerId', 'contactDate'])
export class Contact {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(EXTERNAL_ID)
  externalId!: string;

  @Column(ID)
  partnerId!: string;

  @ManyToOne(() => BusinessPartner, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'partner_id' })
  partner?: BusinessPartner;

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
