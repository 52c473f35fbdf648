import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { COUNTRY, CURRENCY, EXTERNAL_ID, ID, KEY, MONEY } from '../db/columns';
import { CollectionGroup, CollectionProfile, Specialist } from '../org';

/** A business partner (customer) of the AR mirror; `externalId` is the id of the source system. */
@Entity('partners')
// A segment's partners and their id range from the index alone (a run's partner-range jobs).
@Index('idx_partners_segment_id', ['segment', 'id'])
// Partner search: any part of the name or external id, any case (pg_trgm GIN; made in migration PartnerSearch).
@Index('idx_partners_search_trgm', { synchronize: false })
export class BusinessPartner {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column(EXTERNAL_ID)
  externalId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column(COUNTRY)
  country!: string;

  @Column(CURRENCY)
  currency!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  riskClass!: string | null;

  /** In the partner's currency. */
  @Column({ ...MONEY, nullable: true })
  creditLimit!: string | null;

  @Column({ type: 'varchar', length: 40 })
  customerType!: string;

  /** Collection segment key. */
  @Column(KEY)
  segment!: string;

  @Column({ ...KEY, nullable: true })
  profileKey!: string | null;

  @ManyToOne(() => CollectionProfile, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'profile_key' })
  profile?: CollectionProfile;

  @Column({ ...KEY, nullable: true })
  collectionGroupKey!: string | null;

  @ManyToOne(() => CollectionGroup, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'collection_group_key' })
  collectionGroup?: CollectionGroup;

  /** A fixed specialist takes this partner before any distribution. */
  @Column({ ...ID, nullable: true })
  specialistId!: string | null;

  @ManyToOne(() => Specialist, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'specialist_id' })
  specialist?: Specialist;
}
