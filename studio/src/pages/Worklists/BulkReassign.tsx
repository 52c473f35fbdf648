import { useState, type ReactElement } from 'react';
import { useMutation } from '@apollo/client/react';
import { graphql } from '../../gql';
import { errorMessage } from '../../lib/errors';
import { formatInteger } from '../../lib/format';
import type { SpecialistOption } from './useSegmentWorklist';

/** Moves the selected items of one run to one specialist, all or nothing. */
const REASSIGN_ITEMS_MUTATION = graphql(`
  mutation StudioReassignItems($segment: String!, $runId: ID, $partnerIds: [ID!]!, $specialistId: ID!) {
    reassignWorklistItems(segment: $segment, runId: $runId, partnerIds: $partnerIds, specialistId: $specialistId) {
      ...WorkItemFields
    }
  }
`);

/**
 * The bar over a selection (supervisors): "Reassign N items to [specialist]", then a
 * confirmation naming both; the list is read again and the selection cleared after the move.
 */
export function BulkReassign({
  segment,
  runId,
  partnerIds,
  specialists,
  onDone,
  onClear,
}: {
  segment: string;
  runId: string | null;
  partnerIds: string[];
  specialists: SpecialistOption[];
  /** After the move, with what to tell the person. */
  onDone: (message: string) => Promise<void>;
  onClear: () => void;
}): ReactElement {
  const [target, setTarget] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [reassign, { loading, error, reset }] = useMutation(REASSIGN_ITEMS_MUTATION);
  const active = specialists.filter((s) => s.active);
  const name = active.find((s) => s.id === target)?.name ?? '';
  const n = partnerIds.length;
  const items = `${formatInteger(n)} item${n === 1 ? '' : 's'}`;

  const move = async () => {
    const result = await reassign({ variables: { segment, runId, partnerIds, specialistId: target } }).catch(() => null);
    if (!result?.data) return;
    setConfirming(false);
    await onDone(`Moved ${items} to ${name}.`);
  };

  return (
    <div className="bulk-bar" role="region" aria-label="Reassign selected items">
      {!confirming ? (
        <>
          <span className="bulk-count">Reassign {items} to</span>
          <select
            aria-label="Specialist to take the items"
            value={target}
            onChange={(e) => {
              setTarget(e.target.value);
              reset();
            }}
          >
            <option value="">Choose a specialist…</option>
            {active.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
                {s.group ? ` · ${s.group}` : ''}
              </option>
            ))}
          </select>
          <button type="button" className="button button-primary" disabled={!target} onClick={() => setConfirming(true)}>
            Reassign…
          </button>
          <button type="button" className="link-button" onClick={onClear}>
            Clear selection
          </button>
        </>
      ) : (
        <>
          <span className="bulk-count">
            Move {items} to <b>{name}</b> until the next run?
          </span>
          <button type="button" className="button button-primary" disabled={loading} onClick={() => void move()}>
            {loading ? 'Moving…' : `Move ${items}`}
          </button>
          <button type="button" className="button" disabled={loading} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </>
      )}
      {error && (
        <span className="bulk-error" role="alert">
          {errorMessage(error)} Nothing was moved.
        </span>
      )}
    </div>
  );
}
