import type { ReactElement } from 'react';
import type { ValidationError } from './queries';

/** The validation errors at a node of the document (a setting, band, rule or condition), where it is edited. */
export function NodeErrors({ errors }: { errors: ValidationError[] }): ReactElement | null {
  if (!errors.length) return null;
  return (
    <ul className="node-errors" role="alert">
      {errors.map((e, i) => (
        <li key={i}>
          <code>{e.path}</code> {e.message}
        </li>
      ))}
    </ul>
  );
}
