/**
 * Notice templates, deliberately tiny and safe: `{{name}}` / `{{a.b}}` placeholders from a fixed
 * list, and one loop `{{#each items}} … {{/each}}` in which `{{item.…}}` names the item. Nothing
 * is evaluated: a placeholder is looked up in a map of allowed names, anything else is refused
 * when the template is saved (and again when it is rendered).
 */
import { BadUserInputError } from '../graphql/errors';

export const NOTICE_FIELDS = [
  'partner.id',
  'partner.externalId',
  'partner.name',
  'partner.postalAddress',
  'level',
  'asOf',
  'currency',
  'total',
  'itemCount',
  'charge',
  'chargeCurrency',
  'procedure.key',
  'procedure.name',
] as const;
export const ITEM_FIELDS = [
  'item.externalId',
  'item.documentDate',
  'item.dueDate',
  'item.daysOverdue',
  'item.openAmount',
  'item.currency',
  'item.level',
] as const;

type Part = { text: string } | { field: string } | { each: Part[] };

const TAG = /\{\{\s*([^{}]*?)\s*\}\}/g;

export function parseTemplate(source: string, path = 'body'): Part[] {
  const root: Part[] = [];
  let current = root;
  let inEach = false;
  let last = 0;
  for (const match of source.matchAll(TAG)) {
    if (match.index > last) current.push({ text: source.slice(last, match.index) });
    last = match.index + match[0].length;
    const tag = match[1]!;
    if (/^#each\s+items$/.test(tag)) {
      if (inEach) throw new BadUserInputError(`${path}: {{#each items}} cannot be nested`, path);
      const loop: Part[] = [];
      current.push({ each: loop });
      current = loop;
      inEach = true;
    } else if (tag === '/each') {
      if (!inEach) throw new BadUserInputError(`${path}: {{/each}} without {{#each items}}`, path);
      current = root;
      inEach = false;
    } else if ((NOTICE_FIELDS as readonly string[]).includes(tag) || (inEach && (ITEM_FIELDS as readonly string[]).includes(tag))) {
      current.push({ field: tag });
    } else {
      const allowed = inEach ? [...ITEM_FIELDS, ...NOTICE_FIELDS] : NOTICE_FIELDS;
      throw new BadUserInputError(
        `${path}: unknown placeholder {{${tag}}} (allowed: ${allowed.join(', ')}${inEach ? '' : ', {{#each items}}…{{/each}}'})`,
        path,
      );
    }
  }
  if (inEach) throw new BadUserInputError(`${path}: {{#each items}} is not closed`, path);
  if (last < source.length) root.push({ text: source.slice(last) });
  return root;
}

export type NoticeValues = Readonly<Record<(typeof NOTICE_FIELDS)[number], string>>;
export type ItemValues = Readonly<Record<(typeof ITEM_FIELDS)[number], string>>;

export function renderTemplate(parts: Part[], values: NoticeValues, items: readonly ItemValues[]): string {
  const base = new Map<string, string>(Object.entries(values));
  const lookup = (field: string, item?: ItemValues): string =>
    (item && Object.hasOwn(item, field) ? (item as Record<string, string>)[field] : base.get(field)) ?? '';
  const render = (list: Part[], item?: ItemValues): string =>
    list
      .map((p) => {
        if ('text' in p) return p.text;
        if ('field' in p) return lookup(p.field, item);
        return items.map((i) => render(p.each, i)).join('');
      })
      .join('');
  return render(parts);
}
