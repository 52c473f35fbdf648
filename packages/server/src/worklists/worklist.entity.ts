import type { WorklistRunStats } from '../graphql/loaders';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CURRENCY, ID, KEY, MONEY } from '../db/columns';
import { Specialist } from '../org';
import { BusinessPartner } from '../partners';
import { StrategyVersion } from '../strategies';

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

  /** The database backend of the process running it: a RUNNING run whose backend is gone was killed. */
  @Column({ type: 'integer', nullable: true })
  coordinatorPid!: number | null;

  @Column({ type: 'integer', default: 0 })
  partnersEvaluated!: number;

  @Column({ type: 'integer', default: 0 })
  partnersOnList!: number;

  @Column({ type: 'integer', default: 0 })
  partnersExcluded!: number;

  /** Strategy currency: the currency of every amount of the run's items. */
  @Column({ ...CURRENCY, nullable: true })
  currency!: string | null;

  /** The condition rules in bit order of WorklistItem.fired: name and points. */
  @Column({ type: 'jsonb', nullable: true })
  rules!: Array<{ name: string; points: number }> | null;

  /** Day limits of the ageing buckets of WorklistItem.aging. */
  @Column({ type: 'integer', array: true, nullable: true })
  agingLimits!: number[] | null;

  @Column({ type: 'jsonb', nullable: true })
  stats!: WorklistRunStats | null;

  /** The unsaved document a preview ran, for explaining its items; a saved version's is on the version. Dropped with the items. */
  @Column({ type: 'jsonb', nullable: true })
  document!: unknown;

  /** When the run's items were dropped (superseded live run, old preview); the run row stays. */
  @Column({ type: 'timestamptz', nullable: true })
  itemsDroppedAt!: Date | null;

  /**
   * Progress, written as the run goes on connections of its own (committed at once, outside the
   * switch's transaction) so readers see it: the phase (worklist-progress), partners of the
   * segment scored of all of them, and partner-range jobs done of all of them.
   */
  @Column({ type: 'text', nullable: true })
  progressPhase!: string | null;

  @Column({ type: 'integer', default: 0 })
  partnersScored!: number;

  @Column({ type: 'integer', default: 0 })
  partnersTotal!: number;

  @Column({ type: 'integer', default: 0 })
  partsDone!: number;

  @Column({ type: 'integer', default: 0 })
  partsTotal!: number;

  /** The champion/challenger experiment the run split its partners for (experiments/); its rule list is the champion's then the challenger's. */
  @Column({ ...ID, nullable: true })
  experimentId!: string | null;
}

/**
 * FIXED: the partner's own specialist; STANDARD: distributed in the group; SUBSTITUTE: the
 * assigned specialist is absent at the key date; TEMPORARY: reassigned by a supervisor until
 * the next run.
 */
export const SPECIALIST_ORIGINS = ['FIXED', 'STANDARD', 'SUBSTITUTE', 'TEMPORARY'] as const;
export type SpecialistOrigin = (typeof SPECIALIST_ORIGINS)[number];

/**
 * One partner on one run's worklist, with the amounts and reasons a specialist works from.
 * The table is partitioned by run (LIST on run_id, see the WorklistPartitions migration): a run
 * fills its own table, indexes it and attaches it in the transaction that switches the live
 * run, and a superseded run is dropped whole. Hence no foreign keys here (a cloned FK would be
 * re-checked row by row on attach); runs, partners and specialists are joined by id.
 * Amounts are in the run's strategy currency.
 */
@Entity('worklist_items')
// Reads page a run's items in worklist order (priority, valuation desc, amount to be collected
// desc, partner) by indexes of each run's table (worklist-distribution orderIndexes; migration
// RunOrderIndexes), not of worklist_items: a small preview's table has none.
export class WorklistItem {
  @PrimaryColumn(ID)
  runId!: string;

  @PrimaryColumn(ID)
  partnerId!: string;

  @ManyToOne(() => WorklistRun, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'run_id' })
  run?: WorklistRun;

  @ManyToOne(() => BusinessPartner, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'partner_id' })
  partner?: BusinessPartner;

  @Column({ ...ID, nullable: true })
  specialistId!: string | null;

  @ManyToOne(() => Specialist, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'specialist_id' })
  specialist?: Specialist;

  @Column({ type: 'varchar', length: 12, nullable: true })
  specialistOrigin!: SpecialistOrigin | null;

  /** Sum of the points of the fired condition rules (whole points). */
  @Column({ type: 'integer' })
  valuation!: number;

  @Column({ type: 'numeric', precision: 5, scale: 2 })
  percent!: string;

  @Column({ type: 'smallint' })
  priority!: number;

  /** One bit per condition rule of the run's strategy version, in document order (WorklistRun.rules). */
  @Column({ type: 'varbit' })
  fired!: string;

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

  /** Open amount per ageing bucket of the strategy's limits (`agingBuckets` of the rules package). */
  @Column({ ...MONEY, array: true })
  aging!: string[];

  @Column({ type: 'smallint', default: 0 })
  maxDunningLevel!: number;

  /** Days overdue of the oldest open item at the key date (negative: not due yet); null without an open item. */
  @Column({ type: 'integer', nullable: true })
  maxDaysOverdue!: number | null;

  @Column({ type: 'date', nullable: true })
  lastPaymentDate!: string | null;

  @Column({ type: 'date', nullable: true })
  resubmissionDate!: string | null;

  /** Set when an event re-valuated the item after its run (dynamic update). */
  @Column({ type: 'timestamptz', nullable: true })
  revaluatedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /** CHAMPION or CHALLENGER: the arm of the run's experiment that scored the partner; null outside an experiment. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  arm!: 'CHAMPION' | 'CHALLENGER' | null;
}

export type { WorklistRunStats };
