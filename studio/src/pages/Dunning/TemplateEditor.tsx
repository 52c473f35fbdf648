import { useEffect, useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { graphql } from '../../gql';
import { errorMessage, errorPath } from '../../lib/errors';

const SAVE_TEMPLATE_MUTATION = graphql(`
  mutation StudioSaveDunningTemplate($input: DunningTemplateInput!) {
    saveDunningTemplate(input: $input) {
      key
      subject
      body
    }
  }
`);

/** The template as typed, rendered by the server's renderer (the one dunning runs use) for a real partner. */
const PREVIEW_QUERY = graphql(`
  query StudioDunningTemplatePreview($body: String!, $subject: String, $level: Int) {
    dunningTemplatePreview(body: $body, subject: $subject, level: $level) {
      partnerId
      partnerName
      level
      subject
      body
      itemCount
    }
  }
`);

/** `value`, once it has not changed for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export interface TemplateDraft {
  key: string;
  subject?: string | null;
  body: string;
}

/**
 * Adds a template or replaces one (same key), with its preview beside it: the server renders what
 * is typed for a sample partner of the AR, and names an unknown placeholder under the field.
 */
export function TemplateEditor({ initial, onDone }: { initial?: TemplateDraft | null; onDone?: () => void }): ReactElement {
  const [key, setKey] = useState(initial?.key ?? '');
  const [subject, setSubject] = useState(initial?.subject ?? '');
  const [body, setBody] = useState(initial?.body ?? '');
  const [level, setLevel] = useState(1);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [save, { loading }] = useMutation(SAVE_TEMPLATE_MUTATION, { refetchQueries: ['StudioDunningConfig'] });
  const settled = useSettled({ body, subject: subject.trim() || null, level }, 300);
  const preview = useQuery(PREVIEW_QUERY, { variables: settled, skip: !settled.body.trim() });
  const rendered = preview.data?.dunningTemplatePreview;
  const previewPath = preview.error ? errorPath(preview.error) : undefined;
  return (
    <form
      className="work-form dunning-editor dunning-template-editor"
      aria-label="Template editor"
      onSubmit={(e) => {
        e.preventDefault();
        setProblem(null);
        setSaved(false);
        save({ variables: { input: { key: key.trim(), subject: subject.trim() || null, body } } })
          .then(() => {
            setSaved(true);
            onDone?.();
          })
          .catch((err: unknown) => setProblem(errorMessage(err)));
      }}
    >
      <div className="dunning-template-columns">
        <div className="work-form">
          <div className="dunning-editor-row">
            <label className="work-field">
              Template key
              <input value={key} onChange={(e) => setKey(e.target.value.toUpperCase())} placeholder="REMINDER" required disabled={Boolean(initial)} />
            </label>
            <label className="work-field">
              Subject
              <input value={subject} onChange={(e) => setSubject(e.target.value)} placeholder="Reminder {{level}}" />
              {previewPath === 'subject' && (
                <span className="work-field-error" role="alert">
                  {preview.error?.message}
                </span>
              )}
            </label>
          </div>
          <label className="work-field">
            Body
            <textarea rows={7} value={body} onChange={(e) => setBody(e.target.value)} required />
            {previewPath === 'body' && (
              <span className="work-field-error" role="alert">
                {preview.error?.message}
              </span>
            )}
          </label>
          <p className="muted dunning-placeholders">
            Placeholders: {'{{partner.name}}'}, {'{{partner.externalId}}'}, {'{{partner.postalAddress}}'}, {'{{total}}'}, {'{{currency}}'}, {'{{charge}}'},{' '}
            {'{{level}}'}, {'{{asOf}}'}, and the items: {'{{#each items}}{{item.externalId}} {{item.dueDate}} {{item.openAmount}}{{/each}}'}.
          </p>
        </div>
        <section className="dunning-live-preview" aria-label="Rendered preview">
          <div className="dunning-notice-head">
            <b>Preview</b>
            <label className="dunning-preview-level">
              level
              <select value={level} onChange={(e) => setLevel(Number(e.target.value))} aria-label="Preview level">
                {[1, 2, 3, 4, 5].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {!body.trim() && <p className="muted">Type a body to see it rendered.</p>}
          {body.trim() && preview.data && !rendered && <p className="muted">No partner has an overdue item today: nothing to render for.</p>}
          {rendered && (
            <>
              <p className="muted">
                As partner {rendered.partnerName} ({rendered.partnerId}) would get it at level {rendered.level}, with {rendered.itemCount} overdue item
                {rendered.itemCount === 1 ? '' : 's'}:
              </p>
              {rendered.subject && <div className="dunning-subject">{rendered.subject}</div>}
              <pre className="dunning-body">{rendered.body}</pre>
            </>
          )}
          {preview.error && !previewPath && (
            <p className="work-error" role="alert">
              {preview.error.message}
            </p>
          )}
        </section>
      </div>
      {problem && (
        <p className="work-error" role="alert">
          {problem}
        </p>
      )}
      {saved && (
        <p className="work-hint is-ok" role="status">
          Saved {key}.
        </p>
      )}
      <div className="work-form-foot">
        {onDone && (
          <button type="button" className="button" onClick={onDone}>
            Close
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={loading}>
          {loading ? 'Saving…' : 'Save template'}
        </button>
      </div>
    </form>
  );
}
