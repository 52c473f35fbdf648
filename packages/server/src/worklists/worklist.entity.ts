import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CURRENCY, ID, KEY, MONEY } from '../db/columns';
import { Specialist } from '../org/org.entity';
import { BusinessPartner } from '../partners/partner.entity';
import { StrategyVersion } from '../strategies/strategy.entity';

export type WorklistRunMode = 'PREVIEW' | 'LIVE';
export type WorklistRunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

@Entity('worklist_runs')
@Index('idx_worklist_runs_segment', ['segmentKey', 'startedAt'])
@Check('chk_worklist_runs_mode', `mode IN ('PREVIEW', 'LIVE')`)
@Check('chk_worklist_runs_status', `status IN ('RUNNING', 'SUCCEEDED', 'FAILED')`)
export class WorklistRun {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(KEY)
  segmentKey!: string;

  @Column({ type: 'date' })
  asOf!: string;

  @Column({ ...ID, nullable: true })
  strategyVersionId!: string | null;

  @ManyToOne(() => StrategyVersion, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'strategy_version_id' })
  strategyVersion?: StrategyVersion;

  @Column({ type: 'varchar', length: 10 })
  mode!: WorklistRunMode;

  @Column({ type: 'varchar', length: 10, default: 'RUNNING' })
  status!: WorklistRunStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  startedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'integer', default: 0 })
  partnersEvaluated!: number;

  @Column({ type: 'integer', default: 0 })
  partnersOnList!: number;

  @Column({ type: 'integer', default: 0 })
  partnersExcluded!: number;

  @Column({ type: 'jsonb', nullable: true })
  stats!: Record<string, unknown> | null;
}

export type SpecialistOrigin = 'STANDARD' | 'FIXED' | 'TEMPORARY' | 'SUBSTITUTE' | 'REASSIGNED';

/** One partner on one run's worklist, with the amounts and reasons a specialist works from. */
@Entity('worklist_items')
@Index('idx_worklist_items_order', ['runId', 'priority', 'valuation', 'amountToBeCollected', 'partnerId'])
@Index('idx_worklist_items_specialist', ['runId', 'specialistId'])
export class WorklistItem {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(ID)
  runId!: string;

  @ManyToOne(() => WorklistRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id' })
  run?: WorklistRun;

  @Index()
  @Column(ID)
  partnerId!: string;

  @ManyToOne(() => BusinessPartner, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partner_id' })
  partner?: BusinessPartner;

  @Column({ ...ID, nullable: true })
  specialistId!: string | null;

  @ManyToOne(() => Specialist, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'specialist_id' })
  specialist?: Specialist;

  @Column({ type: 'varchar', length: 12, nullable: true })
  specialistOrigin!: SpecialistOrigin | null;

  @Column({ type: 'numeric', precision: 14, scale: 4 })
  valuation!: string;

  @Column({ type: 'numeric', precision: 5, scale: 2 })
  percent!: string;

  @Column({ type: 'smallint' })
  priority!: number;

  @Column({ type: 'jsonb' })
  firedRules!: Array<{ name: string; points: number }>;

  @Column(CURRENCY)
  currency!: string;

  @Column(MONEY)
  amountOpen!: string;

  @Column(MONEY)
  amountOverdue!: string;

  @Column(MONEY)
  amountDue!: string;

  @Column(MONEY)
  amountToBeCollected!: string;

  @Column(MONEY)
  amountPromised!: string;

  @Column(MONEY)
  amountDisputed!: string;

  @Column(MONEY)
  amountBroken!: string;

  @Column(MONEY)
  amountDunned!: string;

  /** Overdue open amount per ageing bucket of the strategy, e.g. {"0-30": "12.50"}. */
  @Column({ type: 'jsonb' })
  aging!: Record<string, string>;

  @Column({ type: 'smallint', default: 0 })
  maxDunningLevel!: number;

  @Column({ type: 'date', nullable: true })
  lastPaymentDate!: string | null;

  @Column({ type: 'date', nullable: true })
  resubmissionDate!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
