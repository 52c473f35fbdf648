import { Check, Column, Entity, Index, JoinColumn, JoinTable, ManyToMany, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { COUNTRY, CURRENCY, ID, KEY } from '../db/columns';

/** Optimistic concurrency: a write names the version it read; each change adds one. */
const VERSION = { type: 'integer', default: 1 } as const;

/** A legal entity posting receivables; carries the promise-to-pay tolerance. */
@Entity('company_codes')
export class CompanyCode {
  @PrimaryColumn(KEY)
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ ...COUNTRY, nullable: true })
  country!: string | null;

  @Column({ ...CURRENCY, nullable: true })
  currency!: string | null;

  /** Days after the promised date in which a payment still keeps the promise. */
  @Column({ type: 'smallint', default: 3 })
  promiseToleranceDays!: number;

  /** An inactive company code is retired: kept because items refer to it. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column(VERSION)
  version!: number;
}

/** A collection segment groups company codes; strategies and worklists run per segment. */
@Entity('collection_segments')
export class CollectionSegment {
  @PrimaryColumn(KEY)
  key!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Currency in which the segment's amounts are shown when no strategy says otherwise. */
  @Column(CURRENCY)
  currency!: string;

  @ManyToMany(() => CompanyCode)
  @JoinTable({
    name: 'collection_segment_company_codes',
    joinColumn: { name: 'segment_key', referencedColumnName: 'key' },
    inverseJoinColumn: { name: 'company_code', referencedColumnName: 'code' },
  })
  companyCodes!: CompanyCode[];

  /** The run whose items form the live worklist; switched atomically by a live run. */
  @Column({ ...ID, nullable: true })
  liveRunId!: string | null;

  @Column(VERSION)
  version!: number;
}

/** A collection profile assigns a partner to segments. */
@Entity('collection_profiles')
export class CollectionProfile {
  @PrimaryColumn(KEY)
  key!: string;

  @Column({ type: 'text' })
  name!: string;

  @ManyToMany(() => CollectionSegment)
  @JoinTable({
    name: 'collection_profile_segments',
    joinColumn: { name: 'profile_key', referencedColumnName: 'key' },
    inverseJoinColumn: { name: 'segment_key', referencedColumnName: 'key' },
  })
  segments!: CollectionSegment[];

  @Column(VERSION)
  version!: number;
}

/** A team of specialists working one segment with one strategy. */
@Entity('collection_groups')
@Check('chk_collection_groups_daily_capacity', 'daily_capacity IS NULL OR daily_capacity > 0')
export class CollectionGroup {
  @PrimaryColumn(KEY)
  key!: string;

  @Column({ type: 'text' })
  name!: string;

  @Index()
  @Column({ ...KEY })
  segmentKey!: string;

  @ManyToOne(() => CollectionSegment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'segment_key' })
  segment?: CollectionSegment;

  /** Key of the strategy whose active version values this group's worklist. */
  @Column({ type: 'varchar', length: 60, nullable: true })
  strategyKey!: string | null;

  /** An inactive group is retired: no run deals to it. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** Partners the group works in a day (a backtest's capture at capacity); null: active specialists x 30. */
  @Column({ type: 'integer', nullable: true })
  dailyCapacity!: number | null;

  @Column(VERSION)
  version!: number;
}

@Entity('specialists')
export class Specialist {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column({ type: 'varchar', length: 60, unique: true })
  userName!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Index()
  @Column({ ...KEY, nullable: true })
  groupKey!: string | null;

  @ManyToOne(() => CollectionGroup, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'group_key' })
  group?: CollectionGroup;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column(VERSION)
  version!: number;
}

/** While absent, a specialist's worklist items go to the substitute. */
@Entity('specialist_absences')
@Check('chk_specialist_absences_dates', `ends_on >= starts_on`)
export class SpecialistAbsence {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Index()
  @Column(ID)
  specialistId!: string;

  @ManyToOne(() => Specialist, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'specialist_id' })
  specialist?: Specialist;

  @Column({ type: 'date' })
  startsOn!: string;

  @Column({ type: 'date' })
  endsOn!: string;

  @Column({ ...ID, nullable: true })
  substituteId!: string | null;

  @ManyToOne(() => Specialist, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'substitute_id' })
  substitute?: Specialist;

  @Column(VERSION)
  version!: number;
}
