import { Column, Entity, PrimaryColumn, type EntityManager } from 'typeorm';

/**
 * One row counting changes to the AR mirror: a statement trigger on every AR table bumps it in
 * the writer's transaction (migration ArRevision), so whatever was computed from the AR (cached
 * facts of previews) can tell whether it is still current. Readers take the revision before
 * they read the AR.
 */
@Entity('ar_revision')
export class ArRevision {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  @Column({ type: 'bigint' })
  revision!: string;
}

export async function currentArRevision(m: Pick<EntityManager, 'query'>): Promise<string> {
  const [row] = await m.query(`SELECT revision::text AS revision FROM ar_revision WHERE id = 1`);
  return row?.revision ?? '0';
}
