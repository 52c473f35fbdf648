import { useState, type FormEvent, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { graphql } from '../gql';
import type { OpenItemFieldsFragment, StudioWorkConfigQuery, WorkItemFieldsFragment } from '../gql/graphql';
import { addDays, today } from '../lib/dates';
import { errorCode, errorMessage, errorPath } from '../lib/errors';
import { byCurrency, sumAmounts } from '../lib/money';
import { isDone } from '../lib/worklists';
import { Money } from './Money';
import './work.css';

/** The configured contact results and dispute root causes the forms offer. */
const CONFIG_QUERY = graphql(`
  query StudioWorkConfig {
    contactResults {
      code
      description
      completesWorklistItem
      active
    }
    disputeRootCauses {
      code
      description
      active
    }
  }
`);

/** A contact with the customer; its author is the token's specialist (or name), set by the API. */
const CREATE_CONTACT_MUTATION = graphql(`
  mutation StudioCreateContact($input: ContactCreateInput!) {
    createContact(input: $input) {
      completedWorklistItem
      contact {
        id
        result
      }
      worklistItem {
        ...WorkItemFields
      }
    }
  }
`);

const CREATE_PROMISES_MUTATION = graphql(`
  mutation StudioCreatePromises($input: CreatePromisesInput!) {
    createPromises(input: $input) {
      promises {
        id
        amount
        currency
        itemId
        promisedDate
      }
      worklistItem {
        ...WorkItemFields
      }
    }
  }
`);

const OPEN_DISPUTES_MUTATION = graphql(`
  mutation StudioOpenDisputes($input: OpenDisputesInput!) {
    openDisputes(input: $input) {
      caseKey
      disputes {
        id
      }
      worklistItem {
        ...WorkItemFields
      }
    }
  }
`);

const SCHEDULE_RESUBMISSION_MUTATION = graphql(`
  mutation StudioScheduleResubmission($input: ResubmissionInput!) {
    scheduleResubmission(input: $input) {
      resubmission {
        id
        resubmissionDate
      }
      worklistItem {
        ...WorkItemFields
      }
    }
  }
`);

export type ActionKind = 'contact' | 'promise' | 'dispute' | 'resubmission';

const ACTIONS: { kind: ActionKind; label: string }[] = [
  { kind: 'contact', label: 'Contact' },
  { kind: 'promise', label: 'Promise' },
  { kind: 'dispute', label: 'Dispute' },
  { kind: 'resubmission', label: 'Resubmission' },
];

export interface ActionOutcome {
  message: string;
  item: WorkItemFieldsFragment | null;
  completed?: boolean;
}

/** What shows the partner's records and the list's figures, by operation name (the pages own them). */
const REFETCH = ['StudioCustomer', 'StudioMyWorklistSummary'];

/** Record a contact, a promise, a dispute or a resubmission for one partner, in place. */
export function ActionPanel({
  partnerId,
  items,
  currency,
  onDone,
}: {
  partnerId: string;
  /** The partner's open items (oldest due first). */
  items: OpenItemFieldsFragment[];
  currency: string;
  onDone: (outcome: ActionOutcome) => void;
}): ReactElement {
  const [kind, setKind] = useState<ActionKind>('contact');
  return (
    <section className="work-actions" aria-label="Record">
      <div className="work-segmented" role="tablist" aria-label="What to record">
        {ACTIONS.map((a) => (
          <button
            key={a.kind}
            type="button"
            role="tab"
            aria-selected={kind === a.kind}
            className={kind === a.kind ? 'is-active' : ''}
            onClick={() => setKind(a.kind)}
          >
            {a.label}
          </button>
        ))}
      </div>
      {kind === 'contact' && <ContactForm partnerId={partnerId} onDone={onDone} />}
      {kind === 'promise' && <PromiseForm partnerId={partnerId} items={items} currency={currency} onDone={onDone} />}
      {kind === 'dispute' && <DisputeForm partnerId={partnerId} items={items} onDone={onDone} />}
      {kind === 'resubmission' && <ResubmissionForm partnerId={partnerId} onDone={onDone} />}
    </section>
  );
}

const CHANNELS = ['PHONE', 'EMAIL', 'LETTER', 'SMS', 'VISIT'];

/** A form's submit: records (the mutation and what follows it), and keeps the error of the last try. */
function useSubmit(record: () => Promise<void>): { error: string | null; onSubmit: (e: FormEvent) => void } {
  const [error, setError] = useState<string | null>(null);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    record().catch((err: unknown) => setError(errorMessage(err)));
  };
  return { error, onSubmit };
}

/** The error of the last try, and the submit button. */
function FormFoot({ error, loading, disabled = false, label }: { error: string | null; loading: boolean; disabled?: boolean; label: string }): ReactElement {
  return (
    <>
      {error && (
        <p className="work-error" role="alert">
          {error}
        </p>
      )}
      <div className="work-form-foot">
        <button type="submit" className="button button-primary" disabled={loading || disabled}>
          {loading ? 'Saving…' : label}
        </button>
      </div>
    </>
  );
}

/** The contact form's fields as typed. */
function useContactFields() {
  const [channel, setChannel] = useState('PHONE');
  const [direction, setDirection] = useState('OUTBOUND');
  const [reached, setReached] = useState(true);
  const [result, setResult] = useState('');
  const [person, setPerson] = useState('');
  const [note, setNote] = useState('');
  return { channel, setChannel, direction, setDirection, reached, setReached, result, setResult, person, setPerson, note, setNote };
}

type ContactFields = ReturnType<typeof useContactFields>;

/** A call, mail, letter, text or visit, with its result (which may complete the item). */
function ContactForm({ partnerId, onDone }: { partnerId: string; onDone: (o: ActionOutcome) => void }): ReactElement {
  const config = useQuery(CONFIG_QUERY);
  const results = config.data?.contactResults.filter((r) => r.active) ?? [];
  const form = useContactFields();
  const [save, { loading }] = useMutation(CREATE_CONTACT_MUTATION, { refetchQueries: REFETCH });
  const chosen = results.find((r) => r.code === form.result);
  const { error, onSubmit } = useSubmit(async () => {
    const { channel, direction, reached, result, person, note } = form;
    const input = { partnerId, contactDate: today(), channel, direction, reached, result: result || null, contactPerson: person || null, note: note || null };
    const { data } = await save({ variables: { input } });
    const out = data!.createContact;
    onDone({
      item: out.worklistItem,
      completed: out.completedWorklistItem,
      message: out.completedWorklistItem ? `Contact recorded: ${chosen?.description ?? result}. The item is done.` : 'Contact recorded.',
    });
    form.setNote('');
  });

  return (
    <form className="work-form" onSubmit={onSubmit}>
      <ContactWay form={form} />
      <ContactResult results={results} value={form.result} onChange={form.setResult} />
      {chosen?.completesWorklistItem && <p className="work-hint is-ok">This result completes the partner's worklist item.</p>}
      <label className="work-field">
        Contact person
        <input value={form.person} onChange={(e) => form.setPerson(e.target.value)} placeholder="Who you spoke to" />
      </label>
      <label className="work-field">
        Note
        <textarea value={form.note} onChange={(e) => form.setNote(e.target.value)} rows={2} placeholder="What was said" />
      </label>
      <FormFoot error={error} loading={loading} label="Record contact" />
    </form>
  );
}

/** Channel, direction, and whether the customer was reached. */
function ContactWay({ form }: { form: ContactFields }): ReactElement {
  return (
    <div className="work-row">
      <label className="work-field">
        Channel
        <select value={form.channel} onChange={(e) => form.setChannel(e.target.value)}>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {c.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      <label className="work-field">
        Direction
        <select value={form.direction} onChange={(e) => form.setDirection(e.target.value)}>
          <option value="OUTBOUND">outbound</option>
          <option value="INBOUND">inbound</option>
        </select>
      </label>
      <label className="work-check">
        <input type="checkbox" checked={form.reached} onChange={(e) => form.setReached(e.target.checked)} /> Reached
      </label>
    </div>
  );
}

type ContactResultConfig = StudioWorkConfigQuery['contactResults'][number];

/** One of the configured results (each says whether it completes the item), or free text when none is configured. */
function ContactResult({ results, value, onChange }: { results: ContactResultConfig[]; value: string; onChange: (code: string) => void }): ReactElement {
  return (
    <label className="work-field">
      Result
      {results.length > 0 ? (
        <select name="result" value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">— no result —</option>
          {results.map((r) => (
            <option key={r.code} value={r.code}>
              {r.description}
              {r.completesWorklistItem ? ' ✓ completes the item' : ''}
            </option>
          ))}
        </select>
      ) : (
        <input name="result" value={value} onChange={(e) => onChange(e.target.value)} placeholder="No results are configured: free text" />
      )}
    </label>
  );
}

function ItemPicker({
  items,
  selected,
  onChange,
}: {
  items: OpenItemFieldsFragment[];
  selected: Set<string>;
  onChange: (s: Set<string>) => void;
}): ReactElement {
  if (items.length === 0) return <p className="muted work-hint">No open items.</p>;
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChange(next);
  };
  return (
    <ul className="work-items" aria-label="Open items">
      {items.map((item) => (
        <li key={item.id}>
          <label>
            <input type="checkbox" checked={selected.has(item.id)} onChange={() => toggle(item.id)} />
            <span className="work-item-id">{item.externalId}</span>
            <span className={`work-days${item.daysOverdue > 0 ? ' is-overdue' : ''}`}>
              {item.daysOverdue > 0 ? `${item.daysOverdue} d overdue` : `due ${item.dueDate}`}
            </span>
            {item.disputed && <span className="work-tag">disputed</span>}
            <span className="work-item-amount">
              <Money amount={item.openAmount} currency={item.currency} />
            </span>
          </label>
        </li>
      ))}
    </ul>
  );
}

/** The selected items of one currency, with the amount promised in it. */
interface CurrencyGroup {
  currency: string;
  items: OpenItemFieldsFragment[];
  amount: string;
}

/**
 * A promise on the chosen items: one per currency (a promise has one currency), each with its own
 * amount, pre-filled with the open amount of that currency's items; with no item, one on the partner.
 */
function PromiseForm({
  partnerId,
  items,
  currency,
  onDone,
}: {
  partnerId: string;
  items: OpenItemFieldsFragment[];
  currency: string;
  onDone: (o: ActionOutcome) => void;
}): ReactElement {
  const overdue = items.filter((i) => i.daysOverdue > 0 && !i.disputed);
  const [selected, setSelected] = useState<Set<string>>(() => new Set(overdue.map((i) => i.id)));
  // Amounts as typed, per currency; untyped ones show the open amount of the currency's items.
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [promisedDate, setPromisedDate] = useState(() => addDays(today(), 7));
  const [distribution, setDistribution] = useState<Distribution>('BY_DUE_DATE');
  // The server's refusal at the amount field of its currency (BAD_USER_INPUT at `amount`).
  const [fieldError, setFieldError] = useState<{ currency: string; message: string } | null>(null);
  const [save, { loading }] = useMutation(CREATE_PROMISES_MUTATION, { refetchQueries: REFETCH });
  const picked = items.filter((i) => selected.has(i.id));
  const groups: CurrencyGroup[] = (picked.length ? byCurrency(picked) : [{ currency, items: [] }]).map((g) => ({
    ...g,
    amount: typed[g.currency] ?? (g.items.length ? sumAmounts(g.items.map((i) => i.openAmount)) : ''),
  }));
  const { error, onSubmit } = useSubmit(async () => {
    setFieldError(null);
    const recorded: string[] = [];
    const recordedCurrencies = new Set<string>();
    let item: WorkItemFieldsFragment | null = null;
    for (const g of groups) {
      const itemIds = g.items.length ? g.items.map((i) => i.id) : null;
      const input = { partnerId, amount: g.amount, currency: g.currency, createdDate: today(), promisedDate, itemIds, distribution };
      try {
        const { data } = await save({ variables: { input } });
        item = data!.createPromises.worklistItem;
        recorded.push(`${g.amount} ${g.currency}`);
        recordedCurrencies.add(g.currency);
      } catch (err: unknown) {
        // The currencies before this one are recorded: drop their items from the form and say so.
        if (recorded.length) setSelected(new Set(picked.filter((i) => !recordedCurrencies.has(i.currency)).map((i) => i.id)));
        if (errorCode(err) === 'BAD_USER_INPUT' && errorPath(err) === 'amount') {
          setFieldError({ currency: g.currency, message: errorMessage(err) });
          if (!recorded.length) return;
        }
        throw recorded.length ? new Error(`Recorded the promise of ${recorded.join(' and ')}; the ${g.currency} promise was not: ${errorMessage(err)}`) : err;
      }
    }
    const done = !!item && isDone(item);
    onDone({
      item,
      completed: done,
      message: `${recorded.length === 1 ? 'Promise' : `${recorded.length} promises`} to pay ${recorded.join(' and ')} by ${promisedDate} recorded.${done ? ' The item is done.' : ''}`,
    });
    setTyped({});
  });

  return (
    <form className="work-form" onSubmit={onSubmit}>
      <ItemPicker items={items} selected={selected} onChange={setSelected} />
      {groups.length > 1 && <p className="work-hint">The items are in {groups.length} currencies: one promise per currency, each with its own amount.</p>}
      <div className="work-amounts">
        {groups.map((g) => (
          <label key={g.currency} className="work-field">
            Amount ({g.currency})
            <input
              name={`amount-${g.currency}`}
              inputMode="decimal"
              value={g.amount}
              onChange={(e) => setTyped({ ...typed, [g.currency]: e.target.value })}
              required
              pattern="\d+(\.\d{1,4})?"
              aria-invalid={fieldError?.currency === g.currency}
              aria-describedby={fieldError?.currency === g.currency ? `promise-amount-error-${g.currency}` : undefined}
            />
            {fieldError?.currency === g.currency && (
              <span id={`promise-amount-error-${g.currency}`} className="work-field-error" role="alert">
                {fieldError.message}
              </span>
            )}
          </label>
        ))}
      </div>
      <div className="work-row">
        <label className="work-field">
          Promised for
          <input name="promisedDate" type="date" value={promisedDate} onChange={(e) => setPromisedDate(e.target.value)} required />
        </label>
      </div>
      {groups.some((g) => g.items.length > 1) && <SplitChoice count={picked.length} value={distribution} onChange={setDistribution} />}
      {picked.length === 0 && <p className="work-hint muted">No item chosen: one promise on the partner.</p>}
      <FormFoot
        error={error}
        loading={loading}
        disabled={groups.some((g) => !g.amount)}
        label={groups.length > 1 ? `Record promises (${groups.length} currencies)` : 'Record promise'}
      />
    </form>
  );
}

type Distribution = 'BY_DUE_DATE' | 'EVENLY';

/** How a promise over several items is split between them. */
function SplitChoice({ count, value, onChange }: { count: number; value: Distribution; onChange: (d: Distribution) => void }): ReactElement {
  return (
    <fieldset className="work-radios">
      <legend>Split over {count} items</legend>
      <label>
        <input type="radio" name="distribution" checked={value === 'BY_DUE_DATE'} onChange={() => onChange('BY_DUE_DATE')} /> By due date (oldest first)
      </label>
      <label>
        <input type="radio" name="distribution" checked={value === 'EVENLY'} onChange={() => onChange('EVENLY')} /> Evenly
      </label>
    </fieldset>
  );
}

function DisputeForm({ partnerId, items, onDone }: { partnerId: string; items: OpenItemFieldsFragment[]; onDone: (o: ActionOutcome) => void }): ReactElement {
  const config = useQuery(CONFIG_QUERY);
  const causes = config.data?.disputeRootCauses.filter((c) => c.active) ?? [];
  const open = items.filter((i) => !i.disputed);
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [reason, setReason] = useState('');
  const [rootCause, setRootCause] = useState('');
  const [save, { loading }] = useMutation(OPEN_DISPUTES_MUTATION, { refetchQueries: REFETCH });
  const { error, onSubmit } = useSubmit(async () => {
    const { data } = await save({
      variables: { input: { partnerId, items: [...selected].map((itemId) => ({ itemId })), reason, rootCause: rootCause || null } },
    });
    const item = data!.openDisputes.worklistItem;
    const done = !!item && isDone(item);
    onDone({
      item,
      completed: done,
      message: `Dispute ${data!.openDisputes.caseKey} opened on ${selected.size} item${selected.size === 1 ? '' : 's'}.${done ? ' The item is done.' : ''}`,
    });
    setSelected(new Set());
    setReason('');
  });

  return (
    <form className="work-form" onSubmit={onSubmit}>
      <ItemPicker items={open} selected={selected} onChange={setSelected} />
      <label className="work-field">
        Reason
        <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} required placeholder="e.g. goods damaged, wrong price" />
      </label>
      {causes.length > 0 && (
        <label className="work-field">
          Root cause
          <select value={rootCause} onChange={(e) => setRootCause(e.target.value)}>
            <option value="">— not yet known —</option>
            {causes.map((c) => (
              <option key={c.code} value={c.code}>
                {c.description}
              </option>
            ))}
          </select>
        </label>
      )}
      <FormFoot error={error} loading={loading} disabled={selected.size === 0 || !reason.trim()} label="Open dispute" />
    </form>
  );
}

function ResubmissionForm({ partnerId, onDone }: { partnerId: string; onDone: (o: ActionOutcome) => void }): ReactElement {
  const [date, setDate] = useState(() => addDays(today(), 3));
  const [reason, setReason] = useState('');
  const [save, { loading }] = useMutation(SCHEDULE_RESUBMISSION_MUTATION, { refetchQueries: REFETCH });
  const { error, onSubmit } = useSubmit(async () => {
    const { data } = await save({ variables: { input: { partnerId, reason, resubmissionDate: date } } });
    onDone({ item: data!.scheduleResubmission.worklistItem, message: `Resubmission scheduled for ${date}.` });
    setReason('');
  });

  return (
    <form className="work-form" onSubmit={onSubmit}>
      <div className="work-row">
        <label className="work-field">
          On
          <input name="resubmissionDate" type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
        </label>
        <div className="chips work-quick">
          {[1, 3, 7, 14].map((d) => (
            <button key={d} type="button" className="chip" onClick={() => setDate(addDays(today(), d))}>
              +{d} d
            </button>
          ))}
        </div>
      </div>
      <label className="work-field">
        Reason
        <input name="resubmissionReason" value={reason} onChange={(e) => setReason(e.target.value)} required placeholder="e.g. call back after salary day" />
      </label>
      <FormFoot error={error} loading={loading} disabled={!reason.trim()} label="Schedule resubmission" />
    </form>
  );
}
