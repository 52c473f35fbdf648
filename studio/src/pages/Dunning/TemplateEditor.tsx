import { useState, type ReactElement } from 'react';
import { useMutation } from '@apollo/client/react';
import { graphql } from '../../gql';
import { errorMessage } from '../../lib/errors';

const SAVE_TEMPLATE_MUTATION = graphql(`
  mutation StudioSaveDunningTemplate($input: DunningTemplateInput!) {
    saveDunningTemplate(input: $input) {
      key
      subject
      body
    }
  }
`);

/** Adds a template or replaces one (same key); the server refuses unknown placeholders, its message shown under the body. */
export function TemplateEditor({ initial }: { initial?: { key: string; subject?: string | null; body: string } }): ReactElement {
  const [key, setKey] = useState(initial?.key ?? '');
  const [subject, setSubject] = useState(initial?.subject ?? '');
  const [body, setBody] = useState(initial?.body ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [save, { loading }] = useMutation(SAVE_TEMPLATE_MUTATION, { refetchQueries: ['StudioDunningConfig'] });
  return (
    <form
      className="work-form dunning-editor"
      aria-label="Template editor"
      onSubmit={(e) => {
        e.preventDefault();
        setProblem(null);
        setSaved(false);
        save({ variables: { input: { key: key.trim(), subject: subject.trim() || null, body } } })
          .then(() => setSaved(true))
          .catch((err: unknown) => setProblem(errorMessage(err)));
      }}
    >
      <div className="dunning-editor-row">
        <label className="work-field">
          Template key
          <input value={key} onChange={(e) => setKey(e.target.value.toUpperCase())} placeholder="REMINDER" required />
        </label>
        <label className="work-field">
          Subject
          <input value={subject} onChange={(e) => setSubject(e.target.value)} placeholder="Reminder {{level}}" />
        </label>
      </div>
      <label className="work-field">
        Body
        <textarea rows={4} value={body} onChange={(e) => setBody(e.target.value)} required />
      </label>
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
        <button type="submit" className="button button-primary" disabled={loading}>
          {loading ? 'Saving…' : 'Save template'}
        </button>
      </div>
    </form>
  );
}
