import { useState, type ReactElement } from 'react';
import { maxValuation, type StrategyDoc } from '../../lib/strategyDocument';
import { BandsEditor } from './BandsEditor';
import { inWords } from './errorWords';
import { useValidation } from './hooks';
import { PreviewPanel } from './Preview';
import type { CatalogueData, ValidationError } from './queries';
import { RulesCard } from './RulesCard';

/** The strategy builder: settings, priority bands, rules with their condition trees (or the JSON), and the live preview. */
export function Builder({ doc, setDoc, catalogue }: { doc: StrategyDoc; setDoc: (d: StrategyDoc) => void; catalogue: CatalogueData }): ReactElement {
  const validation = useValidation(doc);
  const [jsonBroken, setJsonBroken] = useState<string | null>(null);
  const max = maxValuation({ ...doc, rules: Array.isArray(doc.rules) ? doc.rules : [] });
  return (
    <div className="builder">
      <div className="builder-editor">
        <Problems errors={validation.errors} checking={validation.checking} doc={doc} />
        <Settings doc={doc} setDoc={setDoc} errors={validation.errors} max={max} />
        <BandsEditor doc={doc} setDoc={setDoc} errors={validation.errors} />
        <RulesCard doc={doc} setDoc={setDoc} catalogue={catalogue} errors={validation.errors} max={max} jsonBroken={jsonBroken} onJsonBroken={setJsonBroken} />
      </div>
      <PreviewPanel doc={doc} catalogue={catalogue} paused={jsonBroken ? 'Paused: the JSON does not parse' : null} />
    </div>
  );
}

/** Scrolls to the node a document path names (or the nearest one above it) and flashes it. */
function goToPath(path: string): void {
  let p = path;
  while (p) {
    const el = document.querySelector(`[data-path="${CSS.escape(p)}"]`);
    if (el) {
      el.scrollIntoView({ block: 'center', behavior: 'smooth' });
      (el as HTMLElement).classList.add('flash');
      setTimeout(() => el.classList.remove('flash'), 1200);
      return;
    }
    p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
  }
}

/** The document's problems, each named by its field in the editor's words: a click goes to it. */
function Problems({ errors, checking, doc }: { errors: ValidationError[]; checking: boolean; doc: StrategyDoc }): ReactElement {
  if (!errors.length) {
    return (
      <div className={`strat-valid${checking ? ' is-checking' : ''}`} role="status">
        {checking ? 'Checking…' : '✓ Valid document'}
      </div>
    );
  }
  return (
    <div className="strat-problems" role="alert" aria-label="Problems">
      <b>
        {errors.length} {errors.length === 1 ? 'problem' : 'problems'} to fix before saving
      </b>
      <ul>
        {errors.map((e, i) => {
          const said = inWords(e, doc);
          return (
            <li key={i}>
              <button type="button" className="link-button" onClick={() => goToPath(e.path)}>
                {said.field}
              </button>
              : {said.message}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function Settings({ doc, setDoc, errors, max }: { doc: StrategyDoc; setDoc: (d: StrategyDoc) => void; errors: ValidationError[]; max: number }): ReactElement {
  const auto = doc.maxValuation === null || doc.maxValuation === undefined;
  const at = (path: string) => errors.filter((e) => e.path === path || e.path.startsWith(`${path}[`));
  return (
    <section className="card settings-card" aria-label="Settings" data-path="">
      <label className="setting setting-wide">
        Name
        <input value={doc.name ?? ''} onChange={(e) => setDoc({ ...doc, name: e.target.value })} />
      </label>
      <label className="setting">
        Currency
        <input value={doc.currency ?? ''} maxLength={3} onChange={(e) => setDoc({ ...doc, currency: e.target.value.toUpperCase() })} />
      </label>
      <label className="setting" title="Partners below this percent of max valuation stay off the list">
        On the list from
        <span className="input-suffix">
          <input
            type="number"
            min={0}
            max={100}
            step={1}
            value={doc.minPercent ?? 0}
            aria-invalid={at('minPercent').length ? true : undefined}
            onChange={(e) => setDoc({ ...doc, minPercent: e.target.value === '' ? 0 : Number(e.target.value) })}
          />{' '}
          %
        </span>
      </label>
      <label className="setting">
        Max valuation
        <span className="input-suffix">
          <input
            type="number"
            min={1}
            placeholder={`auto (${max})`}
            value={auto ? '' : String(doc.maxValuation)}
            aria-invalid={at('maxValuation').length ? true : undefined}
            onChange={(e) => setDoc({ ...doc, maxValuation: e.target.value === '' ? null : Number(e.target.value) })}
          />{' '}
          pts
        </span>
      </label>
      <SettingErrors errors={errors.filter((e) => !/^(priorities|rules)\b/.test(e.path))} doc={doc} />
    </section>
  );
}

/** The settings' errors under the card, each named by its field (the fields sit side by side, too narrow for a sentence each). */
function SettingErrors({ errors, doc }: { errors: ValidationError[]; doc: StrategyDoc }): ReactElement | null {
  if (!errors.length) return null;
  return (
    <ul className="node-errors" role="alert">
      {errors.map((e, i) => {
        const said = inWords(e, doc);
        return (
          <li key={i}>
            <b>{said.field}</b>: {said.message}
          </li>
        );
      })}
    </ul>
  );
}
