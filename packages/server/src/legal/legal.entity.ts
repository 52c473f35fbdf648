import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CURRENCY, ID, MONEY } from '../db/columns';

export const LEGAL_STATUSES = ['PREPARED', 'FILED', 'JUDGMENT', 'ENFORCEMENT', 'CLOSED'] as const;
export type LegalStatus = (typeof LEGAL_STATUSES)[number];
export const LEGAL_OUTCOMES = ['PAID', 'SETTLED', 'WON_UNCOLLECTIBLE', 'LOST', 'WITHDRAWN'] as const;
export type LegalOutcome = (typeof LEGAL_OUTCOMES)[number];

/**
 * Legal escalation of a partner's items (issue 22): PREPARED, FILED, JUDGMENT, ENFORCEMENT, then
 * CLOSED with an outcome. Open (opened_on <= D, not closed by D) it holds its items: out of the
 * worklist facts, dunning and placement; the fact legalCaseOpen says so.
 */
@Entity('legal_cases')
@Check('chk_legal_cases_status', `status IN ('PREPARED', 'FILED', 'JUDGMENT', 'ENFORCEMENT', 'CLOSED')`)
@Check('chk_legal_cases_closed', `(status = 'CLOSED') = (closed_on IS NOT NULL AND outcome IS NOT NULL)`)
@Index('idx_legal_cases_partner', ['partnerId'])
export class LegalCase {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(ID)
  partnerId!: string;

  @Column({ type: 'varchar', length: 12 })
  status!: LegalStatus;

  @Column({ type: 'date' })
  openedOn!: string;

  @Column({ type: 'date', nullable: true })
  closedOn!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  outcome!: LegalOutcome | null;

  /** Court reference, lawyer's file number: free text. */
  @Column({ type: 'text', nullable: true })
  reference!: string | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;
}

/** An item under a legal case, with what was open on it when the case was opened. */
@Entity('legal_case_items')
@Index('idx_legal_case_items_item', ['itemId'])
export class LegalCaseItem {
  @PrimaryColumn(ID)
  caseId!: string;

  @ManyToOne(() => LegalCase, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  legalCase?: LegalCase;

  @PrimaryColumn(ID)
  itemId!: string;

  @Column(MONEY)
  amount!: string;

  @Column(CURRENCY)
  currency!: string;
}

/** A status change of a legal case, dated (its history). */
@Entity('legal_case_events')
export class LegalCaseEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(ID)
  caseId!: string;

  @ManyToOne(() => LegalCase, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  legalCase?: LegalCase;

  @Column({ type: 'varchar', length: 12 })
  status!: LegalStatus;

  @Column({ type: 'date' })
  changedOn!: string;

  @Column({ type: 'text', nullable: true })
  note!: string | null;
}

/** A cost of a legal case (court fee, lawyer), charged to the partner. */
@Entity('legal_case_costs')
@Check('chk_legal_case_costs_amount', `amount > 0`)
export class LegalCaseCost {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(ID)
  caseId!: string;

  @ManyToOne(() => LegalCase, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  legalCase?: LegalCase;

  @Column(ID)
  partnerId!: string;

  @Column({ type: 'date' })
  costDate!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column(MONEY)
  amount!: string;

  @Column(CURRENCY)
  currency!: string;
}
