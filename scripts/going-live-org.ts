/**
 * An organisation for an AR in the import format, as a company going live would write it: the
 * six organisation files and partners.csv with its assignment columns (DESIGN.md "Organisation
 * files"). Derived from the AR itself: company codes from open_items.csv (each with the currency
 * most of its items use), one segment per partners.csv segment, the largest segment worked by
 * two groups and the others by one (3 segments: 4 groups), 12 specialists, two of them absent
 * on the key date with a substitute of their group (plus a past and a future absence), and 1% of
 * every group's partners (at least one) with a fixed specialist, taken from the partners with
 * something open and dealt to the group's members absent ones first.
 *
 * Used by scripts/make-sample.ts (samples/going-live) and the going-live acceptance test.
 */
import { csvLine } from '../packages/server/src/import/csv-writer';
import { scanCsv } from '../packages/server/src/import/csv-reader';
import { DEMO_COMPANY_CODES } from '../packages/server/src/seed/demo-ar';

export interface GoingLiveOptions {
  /** The key date the absences are planned around (YYYY-MM-DD). */
  asOf: string;
  /** The strategy key every group names (it must exist when the files are imported). */
  strategy: string;
}

/** File name -> CSV text. */
export type CsvFiles = Record<string, string>;

interface PartnerRow {
  id: string;
  segment: string;
  cells: string[];
}

interface Group {
  key: string;
  name: string;
  segment: string;
  members: Specialist[];
}

interface Specialist {
  userName: string;
  name: string;
  group: string;
}

const PEOPLE = [
  'Anna Schmidt',
  'Ben Jansen',
  'Clara Rossi',
  'David Novak',
  'Elif Kaya',
  'Felix Dubois',
  "Greta O'Neill",
  'Hugo Garcia',
  'Ines Meyer',
  'Jonas Kowalski',
  'Katrin Berg',
  'Luca Moretti',
];
/** Specialists per group, the largest segment's two groups first. */
const SEATS = [4, 3, 3, 2];

/** The organisation files for the AR whose partners.csv and open_items.csv are given, and partners.csv with assignments. */
export async function goingLiveOrganisation(ar: { partners: string; openItems: string }, options: GoingLiveOptions): Promise<CsvFiles> {
  const { header, partners } = await readPartners(ar.partners);
  const items = await readItems(ar.openItems, options.asOf);
  const segments = segmentsBySize(partners);
  const groups = planGroups(segments, partners);
  const absences = planAbsences(groups, options.asOf);
  const groupOf = partnerGroups(partners, groups);
  const fixed = fixedSpecialists(partners, groups, groupOf, items.openPartners, absentOn(absences, options.asOf));
  return {
    'company_codes.csv': companyCodesCsv(items.companyCodes),
    'collection_segments.csv': segmentsCsv(segments, partners, items.partnerCodes),
    'collection_profiles.csv': profilesCsv(segments),
    'collection_groups.csv': groupsCsv(groups, options.strategy),
    'specialists.csv': specialistsCsv(groups),
    'specialist_absences.csv': absencesCsv(absences),
    'partners.csv': assignedPartnersCsv(header, partners, segments, groups, groupOf, fixed),
  };
}

// ---- reading the AR ----------------------------------------------------------------------------

async function readPartners(text: string): Promise<{ header: string[]; partners: PartnerRow[] }> {
  let header: string[] = [];
  const partners: PartnerRow[] = [];
  await scanCsv([text], (line, cells) => {
    if (line === 1) header = [...cells];
    else partners.push({ id: cells[header.indexOf('partner_id')]!, segment: cells[header.indexOf('segment')]!, cells: [...cells] });
  });
  return { header, partners };
}

/** Company codes with their most used currency, each partner's codes, and the partners with an item open at the key date. */
async function readItems(text: string, asOf: string) {
  const currencies = new Map<string, Map<string, number>>();
  const partnerCodes = new Map<string, Set<string>>();
  const openPartners = new Set<string>();
  let header: string[] = [];
  await scanCsv([text], (line, cells) => {
    if (line === 1) {
      header = [...cells];
      return;
    }
    const cell = (name: string) => cells[header.indexOf(name)]!;
    const code = cell('company_code');
    const votes = currencies.get(code) ?? new Map<string, number>();
    votes.set(cell('currency'), (votes.get(cell('currency')) ?? 0) + 1);
    currencies.set(code, votes);
    partnerCodes.set(cell('partner_id'), (partnerCodes.get(cell('partner_id')) ?? new Set()).add(code));
    if (Number(cell('open_amount')) > 0 && cell('document_date') <= asOf) openPartners.add(cell('partner_id'));
  });
  const companyCodes = [...currencies].map(([code, votes]) => ({ code, currency: [...votes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0] }));
  return { companyCodes: companyCodes.sort((a, b) => a.code.localeCompare(b.code)), partnerCodes, openPartners };
}

// ---- planning the organisation -----------------------------------------------------------------

function segmentsBySize(partners: PartnerRow[]): string[] {
  const sizes = new Map<string, number>();
  for (const p of partners) sizes.set(p.segment, (sizes.get(p.segment) ?? 0) + 1);
  return [...sizes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([segment]) => segment);
}

const title = (key: string): string => key.charAt(0) + key.slice(1).toLowerCase().replace(/_/g, ' ');

/** The largest segment's two groups, then one per other segment; people dealt in order (SEATS, then one each). */
function planGroups(segments: string[], partners: PartnerRow[]): Group[] {
  if (partners.length === 0) throw new Error('the AR has no partners');
  const [largest, ...others] = segments;
  const groups: Group[] = [
    { key: `${largest}_A`, name: `${title(largest!)} team "A"`, segment: largest!, members: [] },
    { key: `${largest}_B`, name: `${title(largest!)} team "B"`, segment: largest!, members: [] },
    ...others.map((segment) => ({ key: `${segment}_TEAM`, name: `${title(segment)} collections, all regions`, segment, members: [] })),
  ];
  let person = 0;
  groups.forEach((group, g) => {
    for (let i = 0; i < (SEATS[g] ?? 1) && person < PEOPLE.length; i++) {
      const name = PEOPLE[person++]!;
      group.members.push({
        userName: name
          .toLowerCase()
          .replace(/[^a-z ]/g, '')
          .replace(' ', '.'),
        name,
        group: group.key,
      });
    }
  });
  return groups;
}

interface Absence {
  absent: Specialist;
  startsOn: string;
  endsOn: string;
  substitute: Specialist | null;
}

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Two absences covering the key date, each with a substitute of the same group (the first
 * group's and the third group's second member), a past one with a substitute and a future one
 * without; no one absent stands in for anyone meanwhile.
 */
function planAbsences(groups: Group[], asOf: string): Absence[] {
  const [a, , c] = groups;
  const absences: Absence[] = [
    { absent: a!.members[1]!, startsOn: addDays(asOf, -3), endsOn: addDays(asOf, 4), substitute: a!.members[2]! },
    { absent: a!.members[0]!, startsOn: addDays(asOf, -60), endsOn: addDays(asOf, -50), substitute: a!.members[3]! },
  ];
  if (c && c.members.length >= 3) {
    absences.push({ absent: c.members[1]!, startsOn: asOf, endsOn: addDays(asOf, 9), substitute: c.members[2]! });
    absences.push({ absent: c.members[0]!, startsOn: addDays(asOf, 20), endsOn: addDays(asOf, 25), substitute: null });
  }
  return absences;
}

/** User names of the specialists absent on the key date. */
const absentOn = (absences: Absence[], asOf: string): Set<string> =>
  new Set(absences.filter((a) => a.startsOn <= asOf && asOf <= a.endsOn).map((a) => a.absent.userName));

/** The largest segment's partners alternate between its two groups; the others' go to their segment's only group. */
function partnerGroups(partners: PartnerRow[], groups: Group[]): Map<string, Group> {
  const bySegment = new Map<string, Group[]>();
  for (const g of groups) bySegment.set(g.segment, [...(bySegment.get(g.segment) ?? []), g]);
  const groupOf = new Map<string, Group>();
  const seen = new Map<string, number>();
  for (const p of partners) {
    const candidates = bySegment.get(p.segment)!;
    const n = seen.get(p.segment) ?? 0;
    seen.set(p.segment, n + 1);
    groupOf.set(p.id, candidates[n % candidates.length]!);
  }
  return groupOf;
}

/** 1% of each group's partners (at least one), spread over those with something open; members absent on the key date first. */
function fixedSpecialists(
  partners: PartnerRow[],
  groups: Group[],
  groupOf: Map<string, Group>,
  open: Set<string>,
  absentNow: Set<string>,
): Map<string, Specialist> {
  const fixed = new Map<string, Specialist>();
  for (const group of groups) {
    const own = partners.filter((p) => groupOf.get(p.id) === group);
    const eligible = own.filter((p) => open.has(p.id));
    const count = Math.min(eligible.length, Math.max(1, Math.round(own.length / 100)));
    const rota = [...group.members].sort((x, y) => Number(absentNow.has(y.userName)) - Number(absentNow.has(x.userName)));
    for (let k = 0; k < count; k++) fixed.set(eligible[Math.floor((k * eligible.length) / count)]!.id, rota[k % rota.length]!);
  }
  return fixed;
}

// ---- writing the files -------------------------------------------------------------------------

const csv = (header: string[], rows: Array<Array<string | number | boolean | null>>): string => csvLine(header) + rows.map(csvLine).join('');

function companyCodesCsv(codes: Array<{ code: string; currency: string }>): string {
  const known = new Map<string, { country: string }>(DEMO_COMPANY_CODES.map((c) => [c.code, c]));
  return csv(
    ['company_code', 'name', 'country', 'currency', 'promise_tolerance_days', 'active'],
    codes.map(({ code, currency }) => {
      const country = known.get(code)?.country ?? null;
      return [code, `Recoup Telecom${country ? `, ${country}` : ''} (${code})`, country, currency, currency === 'EUR' ? 3 : 5, true];
    }),
  );
}

function segmentsCsv(segments: string[], partners: PartnerRow[], partnerCodes: Map<string, Set<string>>): string {
  return csv(
    ['segment', 'name', 'currency', 'company_codes'],
    [...segments].sort().map((segment) => {
      const codes = new Set(partners.filter((p) => p.segment === segment).flatMap((p) => [...(partnerCodes.get(p.id) ?? [])]));
      return [segment, title(segment), 'EUR', [...codes].sort().join('|') || null];
    }),
  );
}

function profilesCsv(segments: string[]): string {
  const [largest, ...others] = segments;
  return csv(
    ['profile', 'name', 'segments'],
    [['STANDARD', 'Standard collections', largest!], ...(others.length ? [['KEY_ACCOUNTS', 'Key accounts | B2B', others.sort().join('|')]] : [])],
  );
}

function groupsCsv(groups: Group[], strategy: string): string {
  return csv(
    ['group', 'name', 'segment', 'strategy', 'active'],
    groups.map((g) => [g.key, g.name, g.segment, strategy, true]),
  );
}

function specialistsCsv(groups: Group[]): string {
  return csv(
    ['user_name', 'name', 'email', 'group', 'active'],
    groups.flatMap((g) => g.members.map((s) => [s.userName, s.name, `${s.userName}@recoup.example`, s.group, true])),
  );
}

function absencesCsv(absences: Absence[]): string {
  return csv(
    ['user_name', 'starts_on', 'ends_on', 'substitute'],
    absences.map((a) => [a.absent.userName, a.startsOn, a.endsOn, a.substitute?.userName ?? null]),
  );
}

/** partners.csv as it was, plus profile, collection_group (only where the segment has several groups) and specialist. */
function assignedPartnersCsv(
  header: string[],
  partners: PartnerRow[],
  segments: string[],
  groups: Group[],
  groupOf: Map<string, Group>,
  fixed: Map<string, Specialist>,
): string {
  const split = new Set(groups.filter((g, i) => groups.findIndex((h) => h.segment === g.segment) !== i).map((g) => g.segment));
  return csv(
    [...header, 'profile', 'collection_group', 'specialist'],
    partners.map((p) => [
      ...p.cells,
      p.segment === segments[0] ? 'STANDARD' : 'KEY_ACCOUNTS',
      split.has(p.segment) ? groupOf.get(p.id)!.key : null,
      fixed.get(p.id)?.userName ?? null,
    ]),
  );
}
