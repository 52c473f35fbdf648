import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CURRENCY, ID, KEY, MONEY } from '../db/columns';

export const DUNNING_CHANNELS = ['LETTER', 'EMAIL', 'SMS'] as const;
export type DunningChannel = (typeof DUNNING_CHANNELS)[number];
export const DUNNING_EXCLUSION_KINDS = ['BLOCK', 'LEGAL'] as const;
export type DunningExclusionKind = (typeof DUNNING_EXCLUSION_KINDS)[number];
export const NOTICE_STATUSES = ['PENDING', 'SENT', 'FAILED'] as const;

/**
 * A dunning procedure: levels by days overdue, grace days, charges. A partner is dunned by the
 * procedure of its segment, else by the procedure without segment (the default).
 */
@Entity('dunning_procedures')
export class DunningProcedure {
  @PrimaryColumn(KEY)
  key!: string;

  @Column({ type: 'text' })
  name!: string;

  @Index('uq_dunning_procedures_segment', { unique: true })
  @Column({ ...KEY, nullable: true })
  segmentKey!: string | null;

  /** Overdue levels (days overdue > 0) are reached this many days later; reminders are not moved. */
  @Column({ type: 'integer', default: 0 })
  graceDays!: number;

  /** Currency of the charges. */
  @Column(CURRENCY)
  currency!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;
}

@Entity('dunning_levels')
@Check('chk_dunning_levels_channel', `channel IN ('LETTER', 'EMAIL', 'SMS')`)
export class DunningLevel {
  @PrimaryColumn(KEY)
  procedureKey!: string;

  @ManyToOne(() => DunningProcedure, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'procedure_key' })
  procedure?: DunningProcedure;

  @PrimaryColumn({ type: 'smallint' })
  level!: number;

  /** Days after the due date (negative: a reminder before it). */
  @Column({ type: 'integer' })
  daysOverdue!: number;

  @Column({ ...MONEY, default: 0 })
  charge!: string;

  @Column({ type: 'varchar', length: 10 })
  channel!: DunningChannel;

  @Column(KEY)
  templateKey!: string;

  /** A legal-dunning level: skipped for items and partners excluded from legal dunning. */
  @Column({ type: 'boolean', default: false })
  legal!: boolean;
}

/** A notice template: `{{partner.name}}`-style placeholders and `{{#each items}}…{{/each}}`, nothing else. */
@Entity('dunning_templates')
export class DunningTemplate {
  @PrimaryColumn(KEY)
  key!: string;

  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Column({ type: 'text' })
  body!: string;
}

/** A partner (item null) or an item kept from dunning (BLOCK) or from legal dunning (LEGAL). */
@Entity('dunning_exclusions')
@Check('chk_dunning_exclusions_kind', `kind IN ('BLOCK', 'LEGAL')`)
@Index('idx_dunning_exclusions_partner', ['partnerId', 'kind'])
export class DunningExclusion {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(ID)
  partnerId!: string;

  @Column({ ...ID, nullable: true })
  itemId!: string | null;

  @Column({ type: 'varchar', length: 10 })
  kind!: DunningExclusionKind;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'text', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** Where a partner's notices go (EMAIL and SMS fall back to a LETTER without an address). */
@Entity('correspondence_addresses')
// Partner search by e-mail prefix, any case (made in migration PartnerSearch).
@Index('idx_correspondence_addresses_email_prefix', { synchronize: false })
export class CorrespondenceAddress {
  @PrimaryColumn(ID)
  partnerId!: string;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  @Column({ type: 'text', nullable: true })
  postalAddress!: string | null;
}

@Entity('dunning_runs')
export class DunningRun {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column({ type: 'date' })
  asOf!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  startedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  createdBy!: string | null;

  @Column({ type: 'integer', default: 0 })
  partners!: number;

  @Column({ type: 'integer', default: 0 })
  notices!: number;

  @Column({ type: 'integer', default: 0 })
  items!: number;
}

/** The outbox: one rendered notice per partner, level and item currency of a run. */
@Entity('dunning_notices')
@Check('chk_dunning_notices_status', `status IN ('PENDING', 'SENT', 'FAILED')`)
@Check('chk_dunning_notices_channel', `channel IN ('LETTER', 'EMAIL', 'SMS')`)
@Index('idx_dunning_notices_run', ['runId'])
@Index('idx_dunning_notices_partner', ['partnerId'])
@Index('idx_dunning_notices_pending', ['channel', 'status'])
export class DunningNotice {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(ID)
  runId!: string;

  @ManyToOne(() => DunningRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id' })
  run?: DunningRun;

  @Column(ID)
  partnerId!: string;

  @Column(KEY)
  procedureKey!: string;

  @Column({ type: 'smallint' })
  level!: number;

  @Column({ type: 'varchar', length: 10 })
  channel!: DunningChannel;

  @Column({ type: 'text', nullable: true })
  recipient!: string | null;

  @Column(CURRENCY)
  currency!: string;

  @Column(MONEY)
  totalAmount!: string;

  @Column(MONEY)
  charge!: string;

  @Column(CURRENCY)
  chargeCurrency!: string;

  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 10, default: 'PENDING' })
  status!: string;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}

@Entity('dunning_notice_items')
@Index('idx_dunning_notice_items_item', ['itemId'])
export class DunningNoticeItem {
  @PrimaryColumn(ID)
  noticeId!: string;

  @ManyToOne(() => DunningNotice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'notice_id' })
  notice?: DunningNotice;

  @PrimaryColumn(ID)
  itemId!: string;

  @Column(ID)
  partnerId!: string;

  @Column({ type: 'smallint' })
  previousLevel!: number;

  @Column({ type: 'smallint' })
  level!: number;

  @Column({ type: 'integer' })
  daysOverdue!: number;

  @Column(MONEY)
  openAmount!: string;
}

/**
 * An item's dated dunning levels (DESIGN.md "Point in time"): the level each notice raised it to,
 * on the notice's date. The level at D is the highest dated on or before D; an item without rows
 * keeps its open_items.dunning_level. Written by every dunning run and by dunning_history.csv.
 */
@Entity('dunning_level_changes')
@Index('idx_dunning_level_changes_partner', ['partnerId'])
export class DunningLevelChange {
  @PrimaryColumn(ID)
  itemId!: string;

  @PrimaryColumn({ type: 'date' })
  dunnedOn!: string;

  /** The item's partner (every AR table carries partner_id, DESIGN.md "Scale"). */
  @Column(ID)
  partnerId!: string;

  @Column({ type: 'smallint' })
  level!: number;
}
