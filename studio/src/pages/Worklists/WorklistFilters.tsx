import { useState, type FormEvent, type ReactElement } from 'react';
import type { WorklistFilter } from '../../gql/graphql';
import type { SegmentWorklistData } from './useSegmentWorklist';
import { filterCount } from './worklistUrl';

const PRIORITIES = [1, 2, 3, 4];
const AMOUNT = /^\d{1,15}(\.\d{1,4})?$/;
const DAYS = /^\d{1,5}$/;

interface Typed {
  min: string;
  max: string;
  dmin: string;
  dmax: string;
  q: string;
}

const typedOf = (f: WorklistFilter): Typed => ({
  min: f.minAmountToBeCollected ?? '',
  max: f.maxAmountToBeCollected ?? '',
  dmin: f.minDaysOverdue != null ? String(f.minDaysOverdue) : '',
  dmax: f.maxDaysOverdue != null ? String(f.maxDaysOverdue) : '',
  q: f.search ?? '',
});

/** What the typed fields make of the filter, or the field that is wrong and why. */
function typedFilter(t: Typed): { filter: Partial<WorklistFilter> } | { field: keyof Typed; problem: string } {
  const amount = (v: string) => v.trim().replace(',', '.');
  const [min, max, dmin, dmax] = [amount(t.min), amount(t.max), t.dmin.trim(), t.dmax.trim()];
  if (min && !AMOUNT.test(min)) return { field: 'min', problem: 'Amounts are numbers from 0, e.g. 250 or 99.50.' };
  if (max && !AMOUNT.test(max)) return { field: 'max', problem: 'Amounts are numbers from 0, e.g. 250 or 99.50.' };
  if (min && max && Number(max) < Number(min)) return { field: 'max', problem: 'The highest amount is below the lowest.' };
  if (dmin && (!DAYS.test(dmin) || Number(dmin) > 36500)) return { field: 'dmin', problem: 'Days are whole numbers from 0 to 36500.' };
  if (dmax && (!DAYS.test(dmax) || Number(dmax) > 36500)) return { field: 'dmax', problem: 'Days are whole numbers from 0 to 36500.' };
  if (dmin && dmax && Number(dmax) < Number(dmin)) return { field: 'dmax', problem: 'The most days are below the fewest.' };
  if (t.q.includes('\0') || t.q.length > 200) return { field: 'q', problem: 'Search for at most 200 characters.' };
  return {
    filter: {
      minAmountToBeCollected: min || null,
      maxAmountToBeCollected: max || null,
      minDaysOverdue: dmin ? Number(dmin) : null,
      maxDaysOverdue: dmax ? Number(dmax) : null,
      search: t.q.trim() || null,
    },
  };
}

/**
 * The list's filters: bands as chips, specialist, fired rule and worked as selects (applied at
 * once), amount and days ranges and the search as fields (applied with Enter or Apply).
 */
export function WorklistFilters({ list }: { list: SegmentWorklistData }): ReactElement {
  const { view, setView, run, specialists } = list;
  const f = view.filter;
  const [typed, setTyped] = useState<Typed>(() => typedOf(f));
  // The URL changed under the fields (Back, a link): show what it says.
  const urlKey = JSON.stringify(typedOf(f));
  const [shownFor, setShownFor] = useState(urlKey);
  if (shownFor !== urlKey) {
    setShownFor(urlKey);
    setTyped(typedOf(f));
  }
  const checked = typedFilter(typed);
  const problem = 'problem' in checked ? checked : null;
  const apply = (changes: Partial<WorklistFilter>) => {
    const fromFields = 'filter' in checked ? checked.filter : {};
    setView({ ...view, filter: { ...f, ...fromFields, ...changes } });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!problem) apply({});
  };
  const priorities = f.priorities ?? [];
  const togglePriority = (p: number) => {
    const next = priorities.includes(p) ? priorities.filter((x) => x !== p) : [...priorities, p].sort((a, b) => a - b);
    apply({ priorities: next.length ? next : null });
  };
  const specialist = f.unassigned ? 'none' : (f.specialistId ?? '');
  const field = (name: keyof Typed) => ({
    value: typed[name],
    onChange: (e: { target: { value: string } }) => setTyped({ ...typed, [name]: e.target.value }),
    'aria-invalid': problem?.field === name ? true : undefined,
  });

  return (
    <form className="worklist-filters" onSubmit={submit} aria-label="Filters">
      <div className="worklist-filter-row">
        <div className="chips" role="group" aria-label="Priority">
          <button
            type="button"
            className={`chip${priorities.length === 0 ? ' is-active' : ''}`}
            aria-pressed={priorities.length === 0}
            onClick={() => apply({ priorities: null })}
          >
            All
          </button>
          {PRIORITIES.map((p) => (
            <button
              key={p}
              type="button"
              className={`chip prio-${p}${priorities.includes(p) ? ' is-active' : ''}`}
              aria-pressed={priorities.includes(p)}
              onClick={() => togglePriority(p)}
            >
              P{p}
            </button>
          ))}
        </div>
        <label className="work-field">
          <span>Specialist</span>
          <select
            value={specialist}
            onChange={(e) =>
              apply({ specialistId: e.target.value && e.target.value !== 'none' ? e.target.value : null, unassigned: e.target.value === 'none' ? true : null })
            }
          >
            <option value="">Anyone</option>
            <option value="none">Unassigned</option>
            {specialists.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
                {s.active ? '' : ' (inactive)'}
              </option>
            ))}
          </select>
        </label>
        <label className="work-field">
          <span>Fired rule</span>
          <select value={f.firedRule ?? ''} onChange={(e) => apply({ firedRule: e.target.value || null })}>
            <option value="">Any rule</option>
            {(run?.rules ?? []).map((r) => (
              <option key={r.name} value={r.name}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label className="work-field">
          <span>Worked</span>
          <select
            value={f.worked == null ? '' : f.worked ? 'yes' : 'no'}
            onChange={(e) => apply({ worked: e.target.value === '' ? null : e.target.value === 'yes' })}
            title="Worked: completed, or a contact, promise, dispute or resubmission recorded since the list was made"
          >
            <option value="">All</option>
            <option value="no">Not worked</option>
            <option value="yes">Worked</option>
          </select>
        </label>
      </div>
      <div className="worklist-filter-row">
        <label className="work-field worklist-search">
          <span>Partner</span>
          <input type="search" placeholder="Name or number" {...field('q')} />
        </label>
        <fieldset className="worklist-range">
          <legend>To be collected</legend>
          <input inputMode="decimal" placeholder="from" aria-label="Amount to be collected from" {...field('min')} />
          <span aria-hidden="true">–</span>
          <input inputMode="decimal" placeholder="to" aria-label="Amount to be collected to" {...field('max')} />
        </fieldset>
        <fieldset className="worklist-range">
          <legend>Days overdue</legend>
          <input inputMode="numeric" placeholder="from" aria-label="Days overdue from" {...field('dmin')} />
          <span aria-hidden="true">–</span>
          <input inputMode="numeric" placeholder="to" aria-label="Days overdue to" {...field('dmax')} />
        </fieldset>
        <div className="worklist-filter-actions">
          <button type="submit" className="button" disabled={problem !== null}>
            Apply
          </button>
          {filterCount(f) > 0 && (
            <button type="button" className="link-button" onClick={() => setView({ ...view, filter: {} })}>
              Clear filters
            </button>
          )}
        </div>
      </div>
      {problem && (
        <p className="worklist-filter-error" role="alert">
          {problem.problem}
        </p>
      )}
    </form>
  );
}
