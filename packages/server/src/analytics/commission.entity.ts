import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CURRENCY, ID, MONEY } from '../db/columns';

/** A closed commission settlement: the figures of a period frozen as they were computed at closing (audited). */
@Entity('commission_settlements')
export class CommissionSettlement {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column({ type: 'date' })
  periodFrom!: string;

  @Column({ type: 'date' })
  periodTo!: string;

  @Column(CURRENCY)
  currency!: string;

  @Column({ type: 'smallint' })
  withinDays!: number;

  /** The attribution rule in words, as it was applied. */
  @Column({ type: 'text' })
  rule!: string;

  @Column(MONEY)
  total!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  closedAt!: Date;

  @Column({ type: 'text' })
  closedBy!: string;

  /** The collection groups a SUPERVISOR closed it for; null: the whole department. */
  @Column({ type: 'text', array: true, nullable: true })
  groupKeys!: string[] | null;
}

/** One specialist's part of a closed settlement; the name is kept as it was. */
@Entity('commission_settlement_lines')
export class CommissionSettlementLine {
  @PrimaryColumn(ID)
  settlementId!: string;

  @ManyToOne(() => CommissionSettlement, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'settlement_id' })
  settlement?: CommissionSettlement;

  @PrimaryColumn(ID)
  specialistId!: string;

  @Column({ type: 'text' })
  specialistName!: string;

  @Column({ type: 'integer' })
  partners!: number;

  @Column({ type: 'integer' })
  payments!: number;

  @Column(MONEY)
  amount!: string;
}
