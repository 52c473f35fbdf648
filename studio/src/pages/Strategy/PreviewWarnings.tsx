import type { ReactElement } from 'react';
import { AlertIcon } from '../../components/Icons';
import type { PreviewWarning } from './queries';

/**
 * What the organisation lacks for the previewed segments, as the server words it: without a
 * collection group or specialist the figures are right but nobody gets the items, which the
 * figures alone cannot say. Warnings that block generateWorklist are marked.
 */
export function PreviewWarnings({ warnings }: { warnings: PreviewWarning[] }): ReactElement | null {
  if (!warnings.length) return null;
  return (
    <ul className="preview-warnings" aria-label="Configuration warnings">
      {warnings.map((w) => (
        <li key={`${w.code}:${w.segment ?? ''}:${w.group ?? ''}`} className={w.blocksGeneration ? 'is-blocking' : undefined} data-code={w.code}>
          <AlertIcon width={16} height={16} className="preview-warning-icon" />
          <span className="preview-warning-text">{w.message}</span>
          {w.blocksGeneration && <span className="preview-warning-tag">blocks generation</span>}
        </li>
      ))}
    </ul>
  );
}
