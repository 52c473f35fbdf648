import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { ID, KEY } from '../db/columns';
import { Agency } from '../agencies';
import { CollectionGroup, Specialist } from '../org';
import type { Role } from '../graphql/roles';

/** A bearer API token; only the sha256 of the secret is stored, so a leaked table grants nothing. */
@Entity('api_tokens')
@Check('chk_api_tokens_role', `role IN ('ADMIN', 'CONFIGURATOR', 'SUPERVISOR', 'SPECIALIST', 'CLIENT', 'AGENCY')`)
// A SPECIALIST token acts for one specialist (their worklist); other roles act for nobody in particular.
@Check('chk_api_tokens_specialist', `(role = 'SPECIALIST') = (specialist_id IS NOT NULL)`)
// An AGENCY token acts for one collection agency: it sees only what is placed with it.
@Check('chk_api_tokens_agency', `(role = 'AGENCY') = (agency_key IS NOT NULL)`)
export class ApiToken {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: Role;

  @Index()
  @Column({ ...ID, nullable: true })
  specialistId!: string | null;

  @ManyToOne(() => Specialist, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'specialist_id' })
  specialist?: Specialist;

  @Index()
  @Column({ ...KEY, nullable: true })
  agencyKey!: string | null;

  @ManyToOne(() => Agency, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agency_key' })
  agency?: Agency;

  /** Hex sha256 of the token; the token itself is shown once, at creation. */
  @Index('uq_api_tokens_token_hash', { unique: true })
  @Column({ type: 'char', length: 64 })
  tokenHash!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}

/**
 * The collection groups a SUPERVISOR token answers for: its analytics cover those groups' partners
 * only. A SUPERVISOR token without rows is department-wide (as every SUPERVISOR token was before).
 */
@Entity('api_token_groups')
export class ApiTokenGroup {
  @PrimaryColumn({ ...ID })
  tokenId!: string;

  @ManyToOne(() => ApiToken, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'token_id' })
  token?: ApiToken;

  @PrimaryColumn({ ...KEY })
  groupKey!: string;

  @ManyToOne(() => CollectionGroup, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_key' })
  group?: CollectionGroup;
}
