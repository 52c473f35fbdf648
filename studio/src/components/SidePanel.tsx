import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactElement, type ReactNode } from 'react';
import './side-panel.css';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A form beside the page (a modal dialog at the window's right edge): Escape or the backdrop
 * closes it. Focus moves into it when it opens (unless a field took it with autoFocus), Tab
 * cycles inside it, and on closing focus returns to what opened it.
 */
export function SidePanel({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }): ReactElement {
  const titleId = useId();
  const panel = useRef<HTMLElement>(null);
  // Read while rendering, before a field's autoFocus moves focus into the panel.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  useEffect(() => {
    if (!panel.current?.contains(document.activeElement)) panel.current?.focus();
    return () => opener?.focus();
  }, [opener]);
  const keepFocusInside = (e: KeyboardEvent) => {
    if (e.key !== 'Tab' || !panel.current) return;
    const stops = [...panel.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const [first, last] = [stops[0], stops[stops.length - 1]];
    if (!first || !last) return;
    if (e.shiftKey && (document.activeElement === first || document.activeElement === panel.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };
  return (
    <div className="org-backdrop" onClick={onClose}>
      <aside
        ref={panel}
        className="org-panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={keepFocusInside}
      >
        <header className="org-panel-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="org-close" onClick={onClose} aria-label="Close">
            ×
          </button>
        </header>
        {children}
      </aside>
    </div>
  );
}
