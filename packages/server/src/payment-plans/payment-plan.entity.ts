import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CURRENCY, EXTERNAL_ID, ID, MONEY } from '../db/columns';

/**
 * A payment plan: the open amounts of chosen items of one partner (the principal), plus simple
 * interest if a rate is given, paid in `installment_count` installments (payment-plan.service.ts).
 */
@Entity('payment_plans')
@Index(['partnerId'])
export class PaymentPlan {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(EXTERNAL_ID)
  externalId!: string;

  @Column(ID)
  partnerId!: string;

  @Column(CURRENCY)
  currency!: string;

  @Column({ type: 'date' })
  createdDate!: string;

  @Column({ type: 'date' })
  firstDate!: string;

  @Column({ type: 'varchar', length: 10 })
  frequency!: string;

  @Column({ type: 'smallint' })
  installmentCount!: number;

  @Column(MONEY)
  principal!: string;

  /** Yearly simple interest in percent; null = none. */
  @Column({ type: 'numeric', precision: 9, scale: 4, nullable: true })
  interestRate!: string | null;

  @Column(MONEY)
  interest!: string;

  @Column(MONEY)
  totalAmount!: string;

  /** Days after an installment's due date a payment still counts (smallest of the items' company codes). */
  @Column({ type: 'smallint' })
  toleranceDays!: number;

  @Column({ type: 'boolean', default: false })
  cancelled!: boolean;

  @Column({ type: 'date', nullable: true })
  cancelledDate!: string | null;

  @Column({ type: 'text', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** An item covered by a plan, with its open amount when the plan was made. */
@Entity('payment_plan_items')
@Index(['itemId'])
export class PaymentPlanItem {
  @PrimaryColumn(ID)
  planId!: string;

  @PrimaryColumn(ID)
  itemId!: string;

  @Column(ID)
  partnerId!: string;

  @Column(MONEY)
  amount!: string;
}

/** One installment; judged like a promise (payment-plan-status.ts). */
@Entity('payment_plan_installments')
@Index(['partnerId'])
@Index(['planId', 'seq'], { unique: true })
export class PaymentPlanInstallment {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(ID)
  planId!: string;

  @Column(ID)
  partnerId!: string;

  @Column({ type: 'smallint' })
  seq!: number;

  @Column({ type: 'date' })
  dueDate!: string;

  @Column(MONEY)
  principal!: string;

  @Column(MONEY)
  interest!: string;

  @Column(MONEY)
  amount!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  judgedStatus!: string | null;

  @Column({ type: 'date', nullable: true })
  judgedAt!: string | null;
}
