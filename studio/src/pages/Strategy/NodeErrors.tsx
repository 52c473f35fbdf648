import type { ReactElement } from 'react';
import { messageInWords } from './errorWords';
import type { ValidationError } from './queries';

/**
 * The validation errors at a node of the document (a setting, band, rule or condition), where it
 * is edited: the field is beside them, so they say what is wrong in words, not the JSON path.
 */
export function NodeErrors({ errors }: { errors: ValidationError[] }): ReactElement | null {
  if (!errors.length) return null;
  return (
    <ul className="node-errors" role="alert">
      {errors.map((e, i) => (
        <li key={i}>{messageInWords(e.message)}</li>
      ))}
    </ul>
  );
}
