import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
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
}
