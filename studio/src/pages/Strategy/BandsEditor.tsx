import { useRef, useState, type PointerEvent, type ReactElement } from 'react';
import { errorsAt, removeAt, sortedBands, type PriorityBand, type StrategyDoc } from '../../lib/strategyDocument';
import { NodeErrors } from './NodeErrors';
import type { ValidationError } from './queries';

/** A band and its index in the document's list. */
interface Placed {
  b: PriorityBand;
  i: number;
}

/** A percent drawn inside the bar, whatever the document says. */
const clampPercent = (p: number) => Math.max(0, Math.min(100, Number.isFinite(p) ? p : 0));

function renumber(bands: PriorityBand[]): PriorityBand[] {
  return sortedBands(bands).map((b, i) => ({ ...b, priority: i + 1 }));
}

/** The bands in priority order (P1 first): the order of the form, which does not move while a start is typed. */
function byPriority(bands: PriorityBand[]): Placed[] {
  return bands.map((b, i) => ({ b, i })).sort((x, y) => x.b.priority - y.b.priority);
}

/**
 * A new band below the others, with the next priority number: the lowest band's range is split,
 * its upper half keeps the lowest band (its number and label), the new one takes the rest down
 * to 0 %. Inserting anywhere else would shift the numbers, and so the names, of existing bands.
 */
export function addBandBelow(bands: PriorityBand[]): PriorityBand[] | null {
  const ordered = byPriority(bands);
  const lowest = ordered[ordered.length - 1];
  if (!lowest) return null;
  const above = ordered[ordered.length - 2]?.b.minPercent ?? 100;
  const mid = Math.round(above / 2);
  if (mid <= 0 || mid >= above) return null;
  const next = Math.max(...bands.map((b) => b.priority)) + 1;
  if (next > 99) return null;
  return [...bands.map((b, i) => (i === lowest.i ? { ...b, minPercent: mid } : b)), { priority: next, label: `New band ${next}`, minPercent: 0 }];
}

/**
 * Why a typed band start cannot be taken, or null: 0 to 100, starts strictly decreasing from P1
 * down, the lowest band at 0 % (the rules need a 0-band so that every partner gets a priority).
 */
export function bandStartProblem(text: string, bands: PriorityBand[], index: number): string | null {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) return 'Type a percent from 0 to 100.';
  if (value < 0 || value > 100) return 'A band starts between 0 and 100 %.';
  if (Math.round(value * 100) !== value * 100) return 'At most two decimals.';
  const ordered = byPriority(bands);
  const pos = ordered.findIndex((x) => x.i === index);
  const me = ordered[pos]!.b;
  const higher = ordered[pos - 1]?.b;
  const lower = ordered[pos + 1]?.b;
  if (!lower && value !== 0) return `P${me.priority} is the lowest band: it starts at 0 %, so that every partner gets a priority.`;
  if (higher && value >= higher.minPercent) return `Start P${me.priority} below P${higher.priority}, which starts at ${higher.minPercent} %.`;
  if (lower && value <= lower.minPercent) return `Start P${me.priority} above P${lower.priority}, which starts at ${lower.minPercent} %.`;
  return null;
}

/** Priority bands on a 0–100 % bar: drag a boundary, or type it. */
export function BandsEditor({ doc, setDoc, errors }: { doc: StrategyDoc; setDoc: (d: StrategyDoc) => void; errors: ValidationError[] }): ReactElement {
  const bands = Array.isArray(doc.priorities) ? doc.priorities : [];
  const asc = [...bands].map((b, i) => ({ b, i })).sort((x, y) => x.b.minPercent - y.b.minPercent);
  const setBand = (i: number, patch: Partial<PriorityBand>) => setDoc({ ...doc, priorities: bands.map((b, j) => (j === i ? { ...b, ...patch } : b)) });
  const bandErrors = errors.filter((e) => e.path.startsWith('priorities'));
  const added = addBandBelow(bands);
  const setStart = (i: number, minPercent: number) => {
    if (bandStartProblem(String(minPercent), bands, i) === null) setBand(i, { minPercent });
  };

  return (
    <section className="card bands-card" aria-label="Priority bands" data-path="priorities">
      <div className="bands-head">
        <div>
          <h2>Priority bands</h2>
          <p className="muted">
            A partner's percent of max valuation picks the band with the highest start at or below it. Drag a boundary or type a start; a new band goes below
            the others.
          </p>
        </div>
        <button
          type="button"
          className="button"
          disabled={!added}
          title={added ? undefined : 'The lowest band is too narrow to split'}
          onClick={() => added && setDoc({ ...doc, priorities: added })}
        >
          Add band
        </button>
      </div>
      <BandsBar asc={asc} minPercent={doc.minPercent} setStart={setStart} />
      <div className="bands-scale">
        <span>0 %</span>
        <span>25</span>
        <span>50</span>
        <span>75</span>
        <span>100 %</span>
      </div>
      <div className="bands-table">
        {byPriority(bands).map(({ b, i }) => (
          <BandRow
            key={`${b.priority}:${i}`}
            band={b}
            index={i}
            startProblem={(text) => bandStartProblem(text, bands, i)}
            errors={errorsAt(errors, `priorities[${i}]`, true)}
            onChange={(patch) => setBand(i, patch)}
            removable={bands.length > 1}
            onRemove={() => setDoc({ ...doc, priorities: renumber(removeAt(bands, i)) })}
          />
        ))}
      </div>
      <NodeErrors errors={bandErrors.filter((e) => !/^priorities\[\d+\]/.test(e.path))} />
    </section>
  );
}

/** The bands side by side on 0–100 %, the list threshold shaded, a handle on each boundary (dragged, or moved with the arrow keys). */
function BandsBar({
  asc,
  minPercent,
  setStart,
}: {
  asc: Placed[];
  minPercent: number | undefined;
  /** Moves a band's start, when the move keeps the starts valid. */
  setStart: (i: number, minPercent: number) => void;
}): ReactElement {
  const bar = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<number | null>(null);

  const onMove = (e: PointerEvent) => {
    if (drag === null || !bar.current) return;
    const rect = bar.current.getBoundingClientRect();
    const pos = asc.findIndex((x) => x.i === drag);
    const lo = (asc[pos - 1]?.b.minPercent ?? 0) + 1;
    const hi = (asc[pos + 1]?.b.minPercent ?? 101) - 1;
    const pct = Math.round(((e.clientX - rect.left) / rect.width) * 100);
    setStart(drag, Math.max(lo, Math.min(hi, pct)));
  };

  return (
    <div className="bands-bar" ref={bar} onPointerMove={onMove} onPointerUp={() => setDrag(null)} onPointerLeave={() => setDrag(null)}>
      {asc.map(({ b, i }, k) => {
        const to = asc[k + 1]?.b.minPercent ?? 100;
        return (
          <div
            key={i}
            className={`bands-seg prio-${Math.min(b.priority, 4)}`}
            style={{ left: `${clampPercent(b.minPercent)}%`, width: `${Math.max(0, clampPercent(to) - clampPercent(b.minPercent))}%` }}
          >
            <span>
              P{b.priority} · {b.label}
            </span>
          </div>
        );
      })}
      {typeof minPercent === 'number' && minPercent > 0 && (
        <div className="bands-cut" style={{ width: `${Math.min(minPercent, 100)}%` }} title={`Below ${minPercent} %: not on the list`} />
      )}
      {asc.map(
        ({ b, i }) =>
          b.minPercent > 0 && (
            <BandHandle key={`h${i}`} band={b} dragging={drag === i} onGrab={() => setDrag(i)} onNudge={(by) => setStart(i, b.minPercent + by)} />
          ),
      )}
    </div>
  );
}

/** The boundary where a band starts: grabbed to drag it, or nudged a percent with the arrow keys. */
function BandHandle({
  band: b,
  dragging,
  onGrab,
  onNudge,
}: {
  band: PriorityBand;
  dragging: boolean;
  onGrab: () => void;
  onNudge: (by: number) => void;
}): ReactElement {
  return (
    <button
      type="button"
      className={`bands-handle${dragging ? ' is-dragging' : ''}`}
      style={{ left: `${clampPercent(b.minPercent)}%` }}
      aria-label={`Start of P${b.priority}: ${b.minPercent} %`}
      onPointerDown={(e) => {
        e.preventDefault();
        (e.target as HTMLElement).setPointerCapture?.(e.pointerId);
        onGrab();
      }}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft') onNudge(-1);
        if (e.key === 'ArrowRight') onNudge(1);
      }}
    >
      <span>{b.minPercent}%</span>
    </button>
  );
}

/** A band's label and start, typed; it can be removed while it is not the only one. */
function BandRow({
  band: b,
  index: i,
  errors,
  startProblem,
  onChange,
  removable,
  onRemove,
}: {
  band: PriorityBand;
  index: number;
  errors: ValidationError[];
  startProblem: (text: string) => string | null;
  onChange: (patch: Partial<PriorityBand>) => void;
  removable: boolean;
  onRemove: () => void;
}): ReactElement {
  return (
    <div className={`bands-row${errors.length ? ' has-error' : ''}`} data-path={`priorities[${i}]`}>
      <span className={`prio prio-${Math.min(b.priority, 4)}`}>P{b.priority}</span>
      <input className="cond-input" aria-label={`Label of P${b.priority}`} value={b.label} onChange={(e) => onChange({ label: e.target.value })} />
      {/* Keyed by the start: a start set elsewhere (dragged, a valid value) drops a refused text. */}
      <BandStart key={b.minPercent} band={b} problem={startProblem} onStart={(minPercent) => onChange({ minPercent })} />
      <button type="button" className="icon-button is-danger" aria-label={`Remove P${b.priority}`} disabled={!removable} onClick={onRemove}>
        ✕
      </button>
      <NodeErrors errors={errors} />
    </div>
  );
}

/**
 * A band's start as typed: a start the bands cannot take (150 %, above the band before it) stays
 * in the field with the reason beside it and never reaches the document, so the bar, the preview
 * and the saved draft only ever see valid starts.
 */
function BandStart({
  band: b,
  problem,
  onStart,
}: {
  band: PriorityBand;
  problem: (text: string) => string | null;
  onStart: (minPercent: number) => void;
}): ReactElement {
  const [refused, setRefused] = useState<{ text: string; why: string } | null>(null);
  const id = `band-start-${b.priority}`;
  return (
    <>
      <span className="input-suffix">
        from{' '}
        <input
          className="cond-input cond-num"
          type="number"
          min={0}
          max={100}
          aria-label={`Start of P${b.priority}`}
          aria-invalid={refused ? true : undefined}
          aria-describedby={refused ? id : undefined}
          value={refused ? refused.text : b.minPercent}
          onChange={(e) => {
            const why = problem(e.target.value);
            setRefused(why ? { text: e.target.value, why } : null);
            if (!why) onStart(Number(e.target.value));
          }}
        />{' '}
        %
      </span>
      {refused && (
        <span className="field-error" id={id} role="alert">
          {refused.why}
        </span>
      )}
    </>
  );
}
