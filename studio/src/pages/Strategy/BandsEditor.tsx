import { useRef, useState, type PointerEvent, type ReactElement } from 'react';
import { errorsAt, removeAt, sortedBands, type PriorityBand, type StrategyDoc } from '../../lib/strategyDocument';
import { NodeErrors } from './NodeErrors';
import type { ValidationError } from './queries';

/** A band and its index in the document's list. */
interface Placed {
  b: PriorityBand;
  i: number;
}

function renumber(bands: PriorityBand[]): PriorityBand[] {
  return sortedBands(bands).map((b, i) => ({ ...b, priority: i + 1 }));
}

/** The widest band split in two, as a new band. */
function splitWidest(bands: PriorityBand[], asc: Placed[]): PriorityBand[] {
  let best = { from: 0, to: 100, w: -1 };
  asc.forEach((x, k) => {
    const to = asc[k + 1]?.b.minPercent ?? 100;
    if (to - x.b.minPercent > best.w) best = { from: x.b.minPercent, to, w: to - x.b.minPercent };
  });
  const mid = Math.round((best.from + best.to) / 2);
  return renumber([...bands, { priority: 99, label: 'New band', minPercent: mid }]);
}

/** Priority bands on a 0–100 % bar: drag a boundary, or type it. */
export function BandsEditor({ doc, setDoc, errors }: { doc: StrategyDoc; setDoc: (d: StrategyDoc) => void; errors: ValidationError[] }): ReactElement {
  const bands = Array.isArray(doc.priorities) ? doc.priorities : [];
  const asc = [...bands].map((b, i) => ({ b, i })).sort((x, y) => x.b.minPercent - y.b.minPercent);
  const setBand = (i: number, patch: Partial<PriorityBand>) => setDoc({ ...doc, priorities: bands.map((b, j) => (j === i ? { ...b, ...patch } : b)) });
  const bandErrors = errors.filter((e) => e.path.startsWith('priorities'));

  return (
    <section className="card bands-card" aria-label="Priority bands" data-path="priorities">
      <div className="bands-head">
        <div>
          <h2>Priority bands</h2>
          <p className="muted">A partner's percent of max valuation picks the band with the highest start at or below it. Drag a boundary.</p>
        </div>
        <button type="button" className="button" onClick={() => setDoc({ ...doc, priorities: splitWidest(bands, asc) })}>
          Add band
        </button>
      </div>
      <BandsBar asc={asc} minPercent={doc.minPercent} setBand={setBand} />
      <div className="bands-scale">
        <span>0 %</span>
        <span>25</span>
        <span>50</span>
        <span>75</span>
        <span>100 %</span>
      </div>
      <div className="bands-table">
        {[...asc].reverse().map(({ b, i }) => (
          <BandRow
            key={i}
            band={b}
            index={i}
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
  setBand,
}: {
  asc: Placed[];
  minPercent: number | undefined;
  setBand: (i: number, patch: Partial<PriorityBand>) => void;
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
    setBand(drag, { minPercent: Math.max(lo, Math.min(hi, pct)) });
  };

  return (
    <div className="bands-bar" ref={bar} onPointerMove={onMove} onPointerUp={() => setDrag(null)} onPointerLeave={() => setDrag(null)}>
      {asc.map(({ b, i }, k) => {
        const to = asc[k + 1]?.b.minPercent ?? 100;
        return (
          <div
            key={i}
            className={`bands-seg prio-${Math.min(b.priority, 4)}`}
            style={{ left: `${b.minPercent}%`, width: `${Math.max(0, to - b.minPercent)}%` }}
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
            <BandHandle
              key={`h${i}`}
              band={b}
              dragging={drag === i}
              onGrab={() => setDrag(i)}
              onNudge={(by) => setBand(i, { minPercent: b.minPercent + by })}
            />
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
      style={{ left: `${b.minPercent}%` }}
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
  onChange,
  removable,
  onRemove,
}: {
  band: PriorityBand;
  index: number;
  errors: ValidationError[];
  onChange: (patch: Partial<PriorityBand>) => void;
  removable: boolean;
  onRemove: () => void;
}): ReactElement {
  return (
    <div className={`bands-row${errors.length ? ' has-error' : ''}`} data-path={`priorities[${i}]`}>
      <span className={`prio prio-${Math.min(b.priority, 4)}`}>P{b.priority}</span>
      <input className="cond-input" aria-label={`Label of P${b.priority}`} value={b.label} onChange={(e) => onChange({ label: e.target.value })} />
      <span className="input-suffix">
        from{' '}
        <input
          className="cond-input cond-num"
          type="number"
          min={0}
          max={100}
          aria-label={`Start of P${b.priority}`}
          value={b.minPercent}
          onChange={(e) => onChange({ minPercent: e.target.value === '' ? 0 : Number(e.target.value) })}
        />{' '}
        %
      </span>
      <button type="button" className="icon-button is-danger" aria-label={`Remove P${b.priority}`} disabled={!removable} onClick={onRemove}>
        ✕
      </button>
      <NodeErrors errors={errors} />
    </div>
  );
}
