import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { ID, KEY, MONEY } from '../db/columns';

export const EXPERIMENT_OUTCOMES = ['PROMOTED', 'STOPPED'] as const;
export type ExperimentOutcome = (typeof EXPERIMENT_OUTCOMES)[number];

/**
 * A champion/challenger test on a collection group: the partners whose hash of (key, partner id)
 * falls below `share_bp` (basis points of 10,000) are scored with the challenger version, the
 * rest with the group's active version (experiment-arm.ts). Running while `outcome` is null; at
 * most one running experiment per group.
 */
@Entity('strategy_experiments')
@Index('uq_strategy_experiments_running', ['groupKey'], { unique: true, where: 'outcome IS NULL' })
@Check('chk_strategy_experiments_share', 'share_bp > 0 AND share_bp <= 5000')
@Check('chk_strategy_experiments_outcome', `outcome IN ('PROMOTED', 'STOPPED')`)
export class StrategyExperiment {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  /** The experiment key hashed with each partner id (stable arms across runs). */
  @Column({ type: 'varchar', length: 60, unique: true })
  key!: string;

  @Column(KEY)
  groupKey!: string;

  @Column({ type: 'varchar', length: 60 })
  challengerStrategyKey!: string;

  @Column({ type: 'integer' })
  challengerVersion!: number;

  @Column(ID)
  challengerVersionId!: string;

  /** The challenger's share of the group's partners in basis points (1 to 5,000 = 0.01% to 50%). */
  @Column({ type: 'integer' })
  shareBp!: number;

  @Column({ type: 'date' })
  startedOn!: string;

  @Column({ type: 'text' })
  startedBy!: string;

  @Column({ type: 'date', nullable: true })
  endedOn!: string | null;

  @Column({ type: 'text', nullable: true })
  endedBy!: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  outcome!: ExperimentOutcome | null;
}

/**
 * Who was on an experiment run's list in which arm, with the score and band the run gave: what
 * the results measure outcomes from after the run's items are dropped (a superseded live run's
 * partition goes). Written in the run's switch transaction.
 */
@Entity('experiment_listings')
@Check('chk_experiment_listings_arm', `arm IN ('CHAMPION', 'CHALLENGER')`)
@Index('idx_experiment_listings_partner', ['experimentId', 'partnerId'])
export class ExperimentListing {
  @PrimaryColumn(ID)
  experimentId!: string;

  @PrimaryColumn(ID)
  runId!: string;

  @PrimaryColumn(ID)
  partnerId!: string;

  @Column({ type: 'date' })
  asOf!: string;

  @Column({ type: 'varchar', length: 10 })
  arm!: 'CHAMPION' | 'CHALLENGER';

  @Column({ type: 'integer' })
  valuation!: number;

  @Column({ type: 'smallint' })
  priority!: number;

  /** Amount to be collected at the run's key date (the run's strategy currency). */
  @Column(MONEY)
  toBeCollected!: string;
}
