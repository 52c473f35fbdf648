import type { ReactElement } from 'react';
import type { PreviewScope } from './hooks';

/** The segment and key date a preview or comparison runs on; `name` prefixes the fields' accessible names. */
export function ScopeFields({ scope, name }: { scope: PreviewScope; name: string }): ReactElement {
  return (
    <>
      <label>
        Segment
        <select value={scope.segment} onChange={(e) => scope.setSegment(e.target.value)} aria-label={`${name} segment`}>
          {scope.segments.map((s) => (
            <option key={s.key} value={s.key}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Key date
        <input type="date" value={scope.asOf} onChange={(e) => e.target.value && scope.setAsOf(e.target.value)} aria-label={`${name} key date`} />
      </label>
    </>
  );
}
