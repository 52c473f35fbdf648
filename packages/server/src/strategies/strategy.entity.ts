import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { ID } from '../db/columns';

@Entity('strategies')
export class Strategy {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column({ type: 'varchar', length: 60, unique: true })
  key!: string;

  @Column({ type: 'text' })
  name!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

export const STRATEGY_VERSION_STATUSES = ['DRAFT', 'ACTIVE', 'RETIRED'] as const;
export type StrategyVersionStatus = (typeof STRATEGY_VERSION_STATUSES)[number];

/** One immutable-once-active json-rules-engine document of a strategy. */
@Entity('strategy_versions')
@Unique('uq_strategy_versions_version', ['strategyId', 'version'])
// At most one live version per strategy: two racing activations cannot both win.
@Index('uq_strategy_versions_active', ['strategyId'], { unique: true, where: `status = 'ACTIVE'` })
@Check('chk_strategy_versions_status', `status IN ('DRAFT', 'ACTIVE', 'RETIRED')`)
export class StrategyVersion {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(ID)
  strategyId!: string;

  @ManyToOne(() => Strategy, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'strategy_id' })
  strategy?: Strategy;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 10, default: 'DRAFT' })
  status!: StrategyVersionStatus;

  @Column({ type: 'jsonb' })
  document!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'text', nullable: true })
  createdBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  /** Bumped on every draft edit; an edit must name the revision it started from (optimistic concurrency). */
  @Column({ type: 'integer', default: 1 })
  revision!: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
