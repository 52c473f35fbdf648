import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who changed what and when; written in the transaction of the change it records. */
@Entity('audit_log')
@Index('idx_audit_log_entity', ['entityType', 'entityId'])
export class AuditLogEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;

  /** Token name at the time (a token may be revoked later; the row must still say who). */
  @Column({ type: 'text' })
  actorName!: string;

  @Column({ type: 'varchar', length: 20 })
  actorRole!: string;

  @Column({ type: 'varchar', length: 60 })
  action!: string;

  @Column({ type: 'varchar', length: 40 })
  entityType!: string;

  @Column({ type: 'text' })
  entityId!: string;

  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;
}
