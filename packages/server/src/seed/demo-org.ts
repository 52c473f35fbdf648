import { assertValidStrategy } from '@recoup/rules';
import type { Database } from '../db/database';
import { DEMO_STRATEGY } from './demo-strategy';

const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Elif', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Katrin', 'Luca', 'Mara', 'Nils', 'Olga', 'Paul'];
const LAST = ['Schmidt', 'Meyer', 'Rossi', 'Dubois', 'Novak', 'Garcia', 'Jansen', 'Kowalski'];

/**
 * A demo organisation over whatever segments the AR names: one collection group per segment
 * with specialists in proportion to its partners, one profile covering all segments, and the
 * demo strategy active for every group that has none. Idempotent, so a re-seed keeps earlier
 * assignments.
 */
export async function seedDemoOrganisation(db: Database): Promise<void> {
  await db.dataSource.transaction(async (m) => {
    const segments: Array<{ key: string; partners: string }> = await m.query(
      `SELECT s.key, count(p.id) AS partners FROM collection_segments s LEFT JOIN partners p ON p.segment = s.key GROUP BY s.key ORDER BY s.key`,
    );
    await m.query(`INSERT INTO collection_profiles (key, name) VALUES ('DEFAULT', 'Default profile') ON CONFLICT (key) DO NOTHING`);
    let n = 0;
    for (const segment of segments) {
      const groupKey = `${segment.key}_TEAM`;
      await m.query(`INSERT INTO collection_groups (key, name, segment_key) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`, [
        groupKey,
        `${segment.key.charAt(0)}${segment.key.slice(1).toLowerCase()} collections`,
        segment.key,
      ]);
      await m.query(`INSERT INTO collection_profile_segments (profile_key, segment_key) VALUES ('DEFAULT', $1) ON CONFLICT DO NOTHING`, [segment.key]);
      const specialists = Math.min(8, Math.max(2, Math.ceil(Number(segment.partners) / 2500)));
      for (let i = 0; i < specialists; i++, n++) {
        const first = FIRST[n % FIRST.length]!;
        const last = LAST[Math.floor(n / FIRST.length) % LAST.length]!;
        const userName = `${first}.${last}`.toLowerCase();
        await m.query(`INSERT INTO specialists (user_name, name, email, group_key) VALUES ($1, $2, $3, $4) ON CONFLICT (user_name) DO NOTHING`, [
          userName,
          `${first} ${last}`,
          `${userName}@recoup.example`,
          groupKey,
        ]);
      }
    }
    const document = assertValidStrategy(DEMO_STRATEGY);
    const [strategy]: Array<{ id: string }> = await m.query(
      `INSERT INTO strategies (key, name) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET name = strategies.name RETURNING id`,
      [document.key, document.name],
    );
    await m.query(
      `INSERT INTO strategy_versions (strategy_id, version, status, document, created_by, activated_at)
       SELECT $1, 1, 'ACTIVE', $2, 'seed', now() WHERE NOT EXISTS (SELECT 1 FROM strategy_versions WHERE strategy_id = $1)`,
      [strategy!.id, JSON.stringify(document)],
    );
    await m.query(`UPDATE collection_groups SET strategy_key = $1 WHERE strategy_key IS NULL`, [document.key]);
    await m.query(
      `UPDATE partners SET profile_key = 'DEFAULT', collection_group_key = segment || '_TEAM'
        WHERE profile_key IS NULL OR collection_group_key IS NULL`,
    );
  });
}
