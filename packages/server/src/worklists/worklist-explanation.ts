/**
 * What explaining a score needs of a strategy document, prepared once per document object: the
 * validated document, its fact keys and json-rules-engine instances. A settled version's document
 * is one object for the whole process (the loaders keep it: it never changes), so its preparation
 * is reused by every explanation; a draft's or a preview's is read afresh by each request, so its
 * preparation lives as long as that object does (WeakMap) and is never seen by another.
 */
import { assertValidStrategy, createEngine, factKeysOf, type DocumentEngine, type FactKey, type StrategyDocument } from '@recoup/rules';

export interface PreparedDocument {
  document: StrategyDocument;
  keys: FactKey[];
  /** Engines not running now. An engine runs one evaluation at a time: its status is shared by concurrent runs. */
  idle: DocumentEngine[];
}

const prepared = new WeakMap<object, PreparedDocument>();

/** Idle engines kept per document: enough for the explanations one process runs at once. */
const IDLE_ENGINES_KEPT = 8;

/** The stored document validated (StrategyValidationError as assertValidStrategy), with its keys. */
export function preparedDocument(stored: unknown): PreparedDocument {
  if (stored === null || typeof stored !== 'object') return prepare(stored);
  let p = prepared.get(stored);
  if (!p) prepared.set(stored, (p = prepare(stored)));
  return p;
}

function prepare(stored: unknown): PreparedDocument {
  const document = assertValidStrategy(stored);
  return { document, keys: factKeysOf(document), idle: [] };
}

/** Runs `use` with an engine of the document that no other evaluation uses meanwhile. */
export async function withEngine<T>(p: PreparedDocument, use: (engine: DocumentEngine) => Promise<T>): Promise<T> {
  const engine = p.idle.pop() ?? createEngine(p.document);
  try {
    return await use(engine);
  } finally {
    if (p.idle.length < IDLE_ENGINES_KEPT) p.idle.push(engine);
  }
}
