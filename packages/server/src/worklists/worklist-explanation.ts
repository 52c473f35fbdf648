/**
 * What explaining a score needs of a strategy document, prepared once per document object: the
 * validated document and its fact keys. A settled version's document is one object for the whole process (the loaders keep it: it never changes), so its preparation
 * is reused by every explanation; a draft's or a preview's is read afresh by each request, so its
 * preparation lives as long as that object does (WeakMap) and is never seen by another.
 */
import { assertValidStrategy, factKeysOf, type FactKey, type StrategyDocument } from '@recoup/rules';

export interface PreparedDocument {
  document: StrategyDocument;
  keys: FactKey[];
}

const prepared = new WeakMap<object, PreparedDocument>();

/** The stored document validated (StrategyValidationError as assertValidStrategy), with its keys. */
export function preparedDocument(stored: unknown): PreparedDocument {
  if (stored === null || typeof stored !== 'object') return prepare(stored);
  let p = prepared.get(stored);
  if (!p) prepared.set(stored, (p = prepare(stored)));
  return p;
}

function prepare(stored: unknown): PreparedDocument {
  const document = assertValidStrategy(stored);
  return { document, keys: factKeysOf(document) };
}
