import { Column, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { EXTERNAL_ID, ID } from '../db/columns';
import { BusinessPartner } from './partner.entity';

/**
 * The shape every imported AR row shares: a surrogate id, the source system's id, and the
 * partner it belongs to (every AR table carries partner_id so it can be distributed on it).
 * No foreign-key constraint: the importer checks references set-based before it writes.
 */
export abstract class PartnerRecord {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(EXTERNAL_ID)
  externalId!: string;

  @Column(ID)
  partnerId!: string;

  @ManyToOne(() => BusinessPartner, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'partner_id' })
  partner?: BusinessPartner;
}
