/**
 * What every organisation form shares: the side panel it opens in (components/SidePanel), fields that show the
 * server's message for them (BAD_USER_INPUT names `input.FIELD` in `extensions.path`), the save
 * (a stale version answers CONFLICT: reload and apply again) and the delete (CONFLICT naming what
 * still refers to the object, with deactivating offered where the object has an active flag).
 */
import { cloneElement, useId, useState, type FormEvent, type InputHTMLAttributes, type ReactElement } from 'react';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { errorMessage } from '../../lib/errors';

/** A failed save or delete: messages at the fields they name, the rest for the whole form. */
export interface Problem {
  fields: Record<string, string>;
  message: string | null;
  /** CONFLICT with a stale version: the object changed meanwhile. */
  stale: boolean;
  /** CONFLICT naming what still refers to the object (a delete). */
  referenced: boolean;
}

export const NO_PROBLEM: Problem = { fields: {}, message: null, stale: false, referenced: false };

/**
 * The field an error names inside the input: its `extensions.path` (`input.currency` → currency,
 * `input.segments[1]` → segments), else a variable's coercion message (`… at "input.promiseToleranceDays"; …`).
 */
function fieldOf(path: unknown, message: string): string | null {
  const match = typeof path === 'string' ? /^input\.([A-Za-z]+)/.exec(path) : /at "input\.([A-Za-z]+)/.exec(message);
  return match ? match[1]! : null;
}

/** Sorts an error into field messages and a message for the form; fields the form does not show go to the form's message. */
export function problemOf(error: unknown, shownFields: readonly string[]): Problem {
  if (!CombinedGraphQLErrors.is(error)) return { ...NO_PROBLEM, message: errorMessage(error) };
  const problem: Problem = { fields: {}, message: null, stale: false, referenced: false };
  const general: string[] = [];
  for (const e of error.errors) {
    const extensions = e.extensions ?? {};
    const field = extensions.code === 'BAD_USER_INPUT' ? fieldOf(extensions.path, e.message) : null;
    if (field && shownFields.includes(field)) problem.fields[field] = e.message;
    else general.push(e.message);
    if (extensions.code === 'CONFLICT') {
      if ('referencedBy' in extensions) problem.referenced = true;
      else problem.stale = true;
    }
  }
  problem.message = general.length ? general.join('; ') : null;
  return problem;
}

/**
 * A form's submit: runs the save, closes on success, keeps the problem of the last try. The
 * fields named are those the form shows (an error naming another goes to the form's message).
 */
export function useSave(fields: readonly string[], save: () => Promise<unknown>, onSaved: () => void) {
  const [problem, setProblem] = useState<Problem>(NO_PROBLEM);
  const [busy, setBusy] = useState(false);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(NO_PROBLEM);
    setBusy(true);
    save()
      .then(() => onSaved())
      .catch((err: unknown) => setProblem(problemOf(err, fields)))
      .finally(() => setBusy(false));
  };
  return { problem, setProblem, busy, onSubmit };
}

/** The side panel moved to components/; re-exported for the pages that still import it from here. */

/**
 * A labelled control with its hint and the server's message about it: the label names the
 * control, the hint or the message describes it (and marks it invalid).
 */
export function Field({
  name,
  label,
  error,
  hint,
  children,
}: {
  name: string;
  label: string;
  error?: string;
  hint?: string;
  children: ReactElement<InputHTMLAttributes<HTMLElement>>;
}): ReactElement {
  const id = useId();
  const note = error ?? hint;
  const control = cloneElement(children, { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': note ? `${id}-note` : undefined });
  return (
    <div className={`org-field${error ? ' has-error' : ''}`} data-field={name}>
      <label className="org-field-label" htmlFor={id}>
        {label}
      </label>
      {control}
      {error ? (
        <span className="org-field-error" id={`${id}-note`} role="alert">
          {error}
        </span>
      ) : (
        hint && (
          <span className="org-hint" id={`${id}-note`}>
            {hint}
          </span>
        )
      )}
    </div>
  );
}

/** A checkbox with its label on one line (and the server's message about it). */
export function CheckField({
  name,
  label,
  checked,
  onChange,
  error,
}: {
  name: string;
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  error?: string;
}) {
  return (
    <div className="org-field" data-field={name}>
      <label className="org-check">
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
        {label}
      </label>
      {error && (
        <span className="org-field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** Several keys picked from a list (a segment's company codes, a profile's segments). */
export function KeyChecklist({
  name,
  label,
  options,
  value,
  onChange,
  error,
}: {
  name: string;
  label: string;
  options: { key: string; label: string; muted?: boolean }[];
  value: string[];
  onChange: (keys: string[]) => void;
  error?: string;
}): ReactElement {
  const toggle = (key: string, on: boolean) => onChange(on ? [...value, key] : value.filter((k) => k !== key));
  return (
    <fieldset className={`org-field org-checklist${error ? ' has-error' : ''}`} data-field={name}>
      <legend className="org-field-label">{label}</legend>
      {options.length === 0 && <span className="org-hint">None to choose from yet.</span>}
      <ul>
        {options.map((o) => (
          <li key={o.key}>
            <label className="org-check">
              <input type="checkbox" checked={value.includes(o.key)} onChange={(e) => toggle(o.key, e.target.checked)} />
              <span className="org-key">{o.key}</span>
              <span className={o.muted ? 'muted' : ''}>{o.label}</span>
            </label>
          </li>
        ))}
      </ul>
      {error && (
        <span className="org-field-error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
}

/** The form's own message (one not about a field), and its buttons. */
export function FormFoot({
  problem,
  busy,
  creating,
  onCancel,
  onReload,
}: {
  problem: Problem;
  busy: boolean;
  creating: boolean;
  onCancel: () => void;
  /** Re-reads the object after a stale save (CONFLICT), so the change can be applied again. */
  onReload?: () => void;
}): ReactElement {
  return (
    <>
      {problem.message && (
        <div className="org-problem" role="alert">
          <p>{problem.message}</p>
          {problem.stale && onReload && (
            <button type="button" className="button" onClick={onReload}>
              Reload
            </button>
          )}
        </div>
      )}
      <div className="org-form-foot">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : creating ? 'Create' : 'Save'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}

/**
 * Deleting the object open in a panel: asks once, then deletes. Refused while something refers to
 * it (the server names what), when it offers `deactivate` (objects with an active flag).
 */
export function DeleteZone({
  what,
  onDelete,
  onDeactivate,
  onDone,
}: {
  what: string;
  onDelete: () => Promise<unknown>;
  onDeactivate?: () => Promise<unknown>;
  onDone: () => void;
}): ReactElement {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>(NO_PROBLEM);
  const act = (work: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(NO_PROBLEM);
    work()
      .then(() => onDone())
      .catch((err: unknown) => {
        setProblem(problemOf(err, []));
        setAsking(false);
      })
      .finally(() => setBusy(false));
  };
  return (
    <section className="org-danger" aria-label={`Delete ${what}`}>
      {problem.message && (
        <div className="org-problem" role="alert">
          <p>{problem.message}</p>
          {problem.referenced && onDeactivate && (
            <button type="button" className="button" disabled={busy} onClick={() => act(onDeactivate)}>
              Deactivate instead
            </button>
          )}
        </div>
      )}
      {!asking ? (
        <button type="button" className="button button-danger" onClick={() => setAsking(true)}>
          Delete…
        </button>
      ) : (
        <div className="org-confirm">
          <span>Delete {what}?</span>
          <button type="button" className="button button-danger" disabled={busy} onClick={() => act(onDelete)}>
            {busy ? 'Deleting…' : 'Yes, delete'}
          </button>
          <button type="button" className="button" onClick={() => setAsking(false)}>
            Keep
          </button>
        </div>
      )}
    </section>
  );
}

/** Empty text is no value (null) for optional fields. */
export function orNull(value: string): string | null {
  const text = value.trim();
  return text === '' ? null : text;
}
