import { useEffect, useState, type ReactElement } from 'react';
import type { StrategyDoc } from '../../lib/strategyDocument';
import type { ValidationError } from './queries';

/** The json-rules-engine document, editable; a parse error pauses the other views. */
export function JsonView({
  doc,
  setDoc,
  errors,
  onBroken,
}: {
  doc: StrategyDoc;
  setDoc: (d: StrategyDoc) => void;
  errors: ValidationError[];
  onBroken: (m: string | null) => void;
}): ReactElement {
  const [text, setText] = useState(() => JSON.stringify(doc, null, 2));
  const [broken, setBroken] = useState<string | null>(null);
  // Another view changed the document: show it here, unless the text already says the same or
  // does not parse (someone is typing in it).
  const [shownDoc, setShownDoc] = useState(doc);
  if (shownDoc !== doc) {
    setShownDoc(doc);
    if (!saysTheSame(text, doc)) setText(JSON.stringify(doc, null, 2));
  }
  useEffect(() => () => onBroken(null), [onBroken]);
  const change = (t: string) => {
    setText(t);
    try {
      const parsed: unknown = JSON.parse(t);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('The document is a JSON object.');
      setBroken(null);
      onBroken(null);
      setDoc(parsed as StrategyDoc);
    } catch (err) {
      const m = err instanceof Error ? err.message : String(err);
      setBroken(m);
      onBroken(m);
    }
  };
  return (
    <div className="json-view">
      <textarea
        className={`json-text${broken ? ' is-bad' : ''}`}
        spellCheck={false}
        value={text}
        aria-label="Strategy JSON"
        onChange={(e) => change(e.target.value)}
      />
      {broken ? (
        <p className="strat-error" role="alert">
          JSON does not parse: {broken}
        </p>
      ) : (
        <p className="muted">
          {errors.length
            ? `${errors.length} validation problem(s); the visual view shows each at its node.`
            : 'Valid json-rules-engine document; each rule loads unchanged with new Rule(entry).'}
        </p>
      )}
    </div>
  );
}

/** Whether the JSON text is the document (or does not parse, so it is left alone). */
function saysTheSame(text: string, doc: StrategyDoc): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(doc);
  } catch {
    return true;
  }
}
