import { ownSpecialist } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError } from '../graphql/errors';
import { decodeCursor, encodeCursor, pageOf, pageSize, type Page } from '../graphql/paging';
import type { PartnerSearchHit } from './partner-search.types';

export interface PartnerSearchQuery {
  text: string;
  first?: number | null;
  after?: string | null;
}

interface HitRow extends PartnerSearchHit {
  sort_name: string;
}

const LIST = 'PARTNER_SEARCH';

/** At most this many terms per partner (the migration PartnerSearchTerms keeps 24 name words and the e-mail). */
const TERMS_PER_PARTNER = 25;

/** The caller's reach ($2: a SPECIALIST's id, else null) over partner `p`. */
const REACH = `($2::bigint IS NULL OR p.specialist_id = $2::bigint OR EXISTS (
         SELECT 1 FROM collection_segments s JOIN worklist_items w ON w.run_id = s.live_run_id AND w.partner_id = p.id
          WHERE s.key = p.segment AND w.specialist_id = $2::bigint))`;

/**
 * Two arms, each reading only its own first page ($5 rows) in name order, merged:
 * - words: every word of the text starts a word of the name or an e-mail address. The longest
 *   word ($1) reads the term index (partner_search_terms: term, sort_name, partner_id), the
 *   others ($6) must start another term of the same partner;
 * - ids: the text anywhere in the external id (trigram GIN), e.g. an id's last digits.
 * The page's cursor is ($3, $4) on (sort name, id).
 */
const PARTNER_SEARCH_SQL = `WITH worded AS (
   SELECT DISTINCT m.id, m.sort_name FROM (
     SELECT t.partner_id AS id, t.sort_name FROM partner_search_terms t
      WHERE t.term LIKE lower($1) || '%'
        AND NOT EXISTS (SELECT 1 FROM unnest($6::text[]) w
                         WHERE NOT EXISTS (SELECT 1 FROM partner_search_terms u WHERE u.partner_id = t.partner_id AND u.term LIKE lower(w) || '%'))
        AND ($3::text IS NULL OR (t.sort_name, t.partner_id) > ($3::text, $4::bigint))
        AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM partners p WHERE p.id = t.partner_id AND ${REACH}))
      -- A top-N sort, not a sort of every match: a partner has at most ${TERMS_PER_PARTNER} terms, so this many rows hold $5 partners.
      ORDER BY t.sort_name, t.partner_id LIMIT $5 * ${TERMS_PER_PARTNER}
   ) m
   ORDER BY m.sort_name, m.id LIMIT $5
 ), ided AS (
   SELECT p.id, lower(p.name) AS sort_name FROM partners p
    WHERE lower(p.external_id) LIKE '%' || lower($7) || '%' AND ${REACH}
      AND ($3::text IS NULL OR (lower(p.name), p.id) > ($3::text, $4::bigint))
    ORDER BY lower(p.name), p.id LIMIT $5
 ), hits AS (
   SELECT id, sort_name FROM worded UNION SELECT id, sort_name FROM ided ORDER BY sort_name, id LIMIT $5
 )
 SELECT p.id::text AS id, p.external_id AS "externalId", p.name, p.segment, a.email, h.sort_name
   FROM hits h JOIN partners p ON p.id = h.id LEFT JOIN correspondence_addresses a ON a.partner_id = p.id
  ORDER BY h.sort_name, h.id`;
const MAX_TEXT = 100;

/**
 * Partners whose name words or e-mail addresses start with each word of `text`, or whose
 * external id contains it, any case; by name then id. A SPECIALIST finds only their own partners (fixed to them or on their live
 * worklist), as `assertPartnerVisible` decides for one partner.
 */
export async function partnerSearch(ctx: RequestContext, query: PartnerSearchQuery): Promise<Page<PartnerSearchHit>> {
  const text = query.text.trim();
  if (!text || text.length > MAX_TEXT) throw new BadUserInputError(`text must be 1 to ${MAX_TEXT} characters`, 'text');
  const first = pageSize(query.first, 20, 100);
  const [afterName, afterId] = query.after ? decodeCursor(query.after, LIST, 2, 'after', true) : [null, null];
  const escape = (t: string) => t.replace(/[\\%_]/g, (c) => `\\${c}`);
  // The longest word reads the index (the fewest terms start with it); the others are checked per partner.
  const words = [...new Set(text.toLowerCase().split(/\s+/).map(escape))].sort((a, b) => b.length - a.length);
  // Not db.read (a generic plan): the planner must see the text to range-scan the prefix and weigh trigrams.
  const rows: HitRow[] = await ctx.db.dataSource.query(PARTNER_SEARCH_SQL, [
    words[0],
    ownSpecialist(ctx),
    afterName,
    afterId,
    first + 1,
    words.slice(1),
    escape(text),
  ]);
  return pageOf(
    rows,
    first,
    (r) => encodeCursor(LIST, [r.sort_name, r.id]),
    ({ sort_name: _sort, ...hit }) => hit,
  );
}
