import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ID } from '../db/columns';
import { BusinessPartner } from '../partners';

/** On its date the partner returns to the worklist until the resubmission is done. */
@Entity('resubmissions')
@Index('idx_resubmissions_due', ['partnerId', 'resubmissionDate'], { where: 'NOT done' })
export class Resubmission {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(ID)
  partnerId!: string;

  @ManyToOne(() => BusinessPartner, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partner_id' })
  partner?: BusinessPartner;

  @Column({ type: 'date' })
  resubmissionDate!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'boolean', default: false })
  done!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'text', nullable: true })
  createdBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  doneAt!: Date | null;

  /** The business date it was done on (a resubmission counts as undone at any D before it). */
  @Column({ type: 'date', nullable: true })
  doneOn!: string | null;

  @Column({ type: 'text', nullable: true })
  doneBy!: string | null;
}
