import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { ID, KEY } from '../db/columns';
import { PartnerRecord } from '../partners';

/** Who started a contact: the customer (INBOUND) or the collector (OUTBOUND); imports use the same values. */
export const CONTACT_DIRECTIONS = ['INBOUND', 'OUTBOUND'] as const;
export type ContactDirection = (typeof CONTACT_DIRECTIONS)[number];

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

  /** A code of contact_results when recorded in Recoup; free text when imported. */
  @Column({ type: 'text', nullable: true })
  result!: string | null;

  @Column({ type: 'text', nullable: true })
  contactPerson!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** The author: the specialist of the API token that recorded it, if the token has one ... */
  @Column({ ...ID, nullable: true })
  authorSpecialistId!: string | null;

  /** ... and the token's name (the author when the token has no specialist). Null: imported. */
  @Column({ type: 'text', nullable: true })
  authorName!: string | null;

  /** What was created in the same contact (ids of promises, disputes, resubmissions of the partner). */
  @Column({ ...ID, array: true, nullable: true })
  promiseIds!: string[] | null;

  @Column({ ...ID, array: true, nullable: true })
  disputeIds!: string[] | null;

  @Column({ ...ID, array: true, nullable: true })
  resubmissionIds!: string[] | null;

  @Column({ type: 'timestamptz', nullable: true })
  editedAt!: Date | null;
}

/** Configured contact results; a result that completes the worklist item marks the partner's live item done. */
@Entity('contact_results')
export class ContactResult {
  @PrimaryColumn(KEY)
  code!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'boolean', default: false })
  completesWorklistItem!: boolean;

  @Column({ type: 'boolean', default: true })
  active!: boolean;
}
