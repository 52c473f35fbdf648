import { ScopeFields } from './ScopeFields';
import { useState, type ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Money } from '../../components/Money';
import { formatInteger } from '../../lib/format';
import { FactValuesInWords, RuleWordsList } from '../../components/RuleWords';
import { sortedBands, type StrategyDoc } from '../../lib/strategyDocument';
import { usePreview, usePreviewScope, type PreviewScope, type PreviewState } from './hooks';
import { PreviewWarnings } from './PreviewWarnings';
import { PREVIEW_WHY_QUERY, type CatalogueData, type PreviewItem, type PriorityFigure, type SpecialistLoad, type WorklistPreview } from './queries';

/** The worklist this document would make, refreshed while editing. */
export function PreviewPanel({ doc, catalogue, paused }: { doc: StrategyDoc; catalogue: CatalogueData; paused: string | null }): ReactElement {
  const scope = usePreviewScope(catalogue);
  const preview = usePreview(paused ? null : doc, scope.asOf, scope.segment || null);
  const p = preview.data;
  const currency = doc.currency || 'EUR';
  const stale = preview.loading || !!paused || preview.invalid;
  // Which partner's fact values are open; kept while the figures refresh.
  const [why, setWhy] = useState<string | null>(null);

  return (
    <aside className="card strat-preview" aria-label="Live preview" aria-busy={preview.loading}>
      <div className="preview-head">
        <div>
          <h2>Live preview</h2>
          <PreviewStatus preview={preview} paused={paused} />
        </div>
      </div>
      <PreviewControls scope={scope} />
      {preview.error && (
        <p className="strat-error" role="alert">
          {preview.error}
        </p>
      )}
      {!p && !preview.error && (
        <div className="preview-skeleton">
          <div className="skeleton skeleton-value" />
          <div className="skeleton skeleton-row" />
          <div className="skeleton skeleton-row" />
        </div>
      )}
      {p && (
        <div className={`preview-body${stale ? ' is-stale' : ''}`} key={preview.serial % 2 === 0 ? 'a' : 'b'}>
          <PreviewWarnings warnings={p.warnings} />
          <PreviewFigures preview={p} currency={currency} />
          <h3>Partners per priority</h3>
          <Histogram bands={sortedBands(doc.priorities ?? [])} figures={p.byPriority} currency={currency} />
          <h3>Top of the list</h3>
          <TopOfList preview={p} currency={currency} why={why} onWhy={setWhy} />
          <h3>Specialist load</h3>
          <Loads loads={p.bySpecialist} currency={currency} />
        </div>
      )}
    </aside>
  );
}

/** Paused, refreshing, or how long the last answer took. */
function PreviewStatus({ preview, paused }: { preview: PreviewState; paused: string | null }): ReactElement {
  return (
    <p className="muted preview-status" data-state={preview.loading ? 'loading' : 'ready'} data-answer={preview.serial}>
      {paused ? (
        paused
      ) : preview.invalid ? (
        'Paused until the document is valid'
      ) : preview.loading ? (
        <>
          <span className="pulse" /> Refreshing…
        </>
      ) : preview.took !== null ? (
        `Updated in ${Math.round(preview.took)} ms`
      ) : (
        ''
      )}
    </p>
  );
}

/** The segment and key date previewed on. */
function PreviewControls({ scope }: { scope: PreviewScope }): ReactElement {
  return (
    <div className="preview-controls">
      <ScopeFields scope={scope} name="Preview" />
    </div>
  );
}

function PreviewFigures({ preview: p, currency }: { preview: WorklistPreview; currency: string }): ReactElement {
  return (
    <>
      <div className="preview-figures">
        <div>
          <span className="preview-fig" data-testid="preview-partners">
            {formatInteger(p.partners)}
          </span>
          <span className="muted">on the list</span>
        </div>
        <div>
          <span className="preview-fig" data-testid="preview-excluded">
            {formatInteger(p.excluded)}
          </span>
          <span className="muted">excluded</span>
        </div>
        <div>
          <span className="preview-fig preview-fig-money">
            <Money amount={p.amountToBeCollected} currency={currency} />
          </span>
          <span className="muted">to be collected</span>
        </div>
      </div>
      <p className="muted preview-evaluated">
        {formatInteger(p.partnersEvaluated)} partners evaluated · {formatInteger(p.partnersEvaluated - p.partners - p.excluded)} below the list threshold or
        with nothing to collect
      </p>
    </>
  );
}

function TopOfList({
  preview: p,
  currency,
  why,
  onWhy,
}: {
  preview: WorklistPreview;
  currency: string;
  why: string | null;
  onWhy: (partnerId: string | null) => void;
}): ReactElement {
  return (
    <ol className="preview-top">
      {p.items.edges.map(({ node: it }) => (
        <TopPartner
          key={it.partnerId}
          item={it}
          currency={currency}
          open={why === it.partnerId}
          onToggle={() => onWhy(why === it.partnerId ? null : it.partnerId)}
        />
      ))}
      {p.items.edges.length === 0 && <li className="muted">Nobody on the list.</li>}
    </ol>
  );
}

/** A partner at the top of the previewed list; opened, its rules in words and the fact values they read. */
function TopPartner({ item: it, currency, open, onToggle }: { item: PreviewItem; currency: string; open: boolean; onToggle: () => void }): ReactElement {
  return (
    <li className={open ? 'is-open' : undefined}>
      <span className={`prio prio-${Math.min(it.priority, 4)}`}>P{it.priority}</span>
      <div className="preview-top-main">
        <button type="button" className="preview-top-line" aria-expanded={open} onClick={onToggle} title={open ? 'Hide why' : 'Why this score?'}>
          <span className="preview-top-name">{it.partner.name}</span>
          <span className="preview-top-score">
            {it.valuation} pts · {Number(it.percent).toFixed(0)}%
          </span>
        </button>
        <div className="rule-chips">
          {(open ? it.firedRules : it.firedRules.slice(0, 3)).map((r) => (
            <span key={r.name} className={`rule-chip${r.points < 0 ? ' is-negative' : ''}`}>
              {r.name}{' '}
              <b>
                {r.points > 0 ? '+' : ''}
                {r.points}
              </b>
            </span>
          ))}
          {!open && it.firedRules.length > 3 && (
            <span
              className="rule-chip is-more"
              title={it.firedRules
                .slice(3)
                .map((r) => `${r.name} ${r.points}`)
                .join(', ')}
            >
              +{it.firedRules.length - 3}
            </span>
          )}
          {it.firedRules.length === 0 && <span className="muted">no rule fired</span>}
        </div>
      </div>
      <span className="preview-top-amount">
        <Money amount={it.amounts.toBeCollected} currency={currency} />
      </span>
      {open && <WhyInWords runId={it.runId} partnerId={it.partnerId} currency={currency} />}
    </li>
  );
}

/** Why an opened partner scored so: every rule in words (fired first) and the fact values, in the strategy currency. */
function WhyInWords({ runId, partnerId, currency }: { runId: string; partnerId: string; currency: string }): ReactElement {
  const { data, loading, error } = useQuery(PREVIEW_WHY_QUERY, { variables: { runId, partnerId } });
  const explanation = data?.worklistItem?.explanation;
  if (error) return <p className="preview-why strat-error">{error.message}</p>;
  if (loading && !explanation)
    return (
      <div className="preview-why">
        <div className="skeleton skeleton-row" />
      </div>
    );
  if (!explanation) return <p className="preview-why muted">This preview has expired; edit to refresh it.</p>;
  return (
    <div className="preview-why-words">
      <RuleWordsList rules={explanation.rules} currency={currency} label="Rules, fired first" />
      <FactValuesInWords facts={(explanation.facts ?? {}) as Record<string, unknown>} currency={currency} />
    </div>
  );
}

export function Histogram({
  bands,
  figures,
  currency,
  compact,
}: {
  bands: { priority: number; label: string }[];
  figures: PriorityFigure[];
  currency: string;
  compact?: boolean;
}): ReactElement {
  const byP = new Map(figures.map((f) => [f.priority, f]));
  const rows = bands.length ? bands : figures.map((f) => ({ priority: f.priority, label: '' }));
  const max = Math.max(1, ...figures.map((f) => f.count));
  return (
    <div className={`histogram${compact ? ' is-compact' : ''}`} role="table" aria-label="Partners per priority">
      {rows.map((b) => {
        const f = byP.get(b.priority);
        const count = f?.count ?? 0;
        return (
          <div key={b.priority} className="histo-row" role="row" data-priority={b.priority}>
            <span role="cell" className={`prio prio-${Math.min(b.priority, 4)}`} title={b.label}>
              P{b.priority}
            </span>
            <span role="cell" className="histo-track">
              <span className={`histo-fill prio-${Math.min(b.priority, 4)}`} style={{ width: `${(count / max) * 100}%` }} />
            </span>
            <span role="cell" className="histo-count">
              {formatInteger(count)}
            </span>
            <span role="cell" className="histo-amount">
              <Money amount={f?.amountToBeCollected ?? '0'} currency={currency} />
            </span>
          </div>
        );
      })}
    </div>
  );
}

export function Loads({ loads, currency }: { loads: SpecialistLoad[]; currency: string }): ReactElement {
  const max = Math.max(1, ...loads.map((l) => l.count));
  if (!loads.length) return <p className="muted">No items to assign.</p>;
  return (
    <ul className="loads">
      {loads.map((l) => (
        <li key={l.specialistId ?? 'none'}>
          <span className="loads-name">{l.specialist?.name ?? <span className="muted">unassigned</span>}</span>
          <span className="histo-track">
            <span className="histo-fill loads-fill" style={{ width: `${(l.count / max) * 100}%` }} />
          </span>
          <span className="histo-count">{formatInteger(l.count)}</span>
          <span className="histo-amount">
            <Money amount={l.amountToBeCollected} currency={currency} />
          </span>
        </li>
      ))}
    </ul>
  );
}
