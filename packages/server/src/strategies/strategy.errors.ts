import type { ValidationError } from '@recoup/rules';
import { DomainError } from '../graphql/errors';

/**
 * An invalid strategy document on a write: BAD_USER_INPUT whose `path` is the first error's
 * JSON path (DESIGN.md) and whose `errors` lists them all, so an editor can mark each one.
 */
export class InvalidStrategyDocumentError extends DomainError {
  constructor(readonly errors: ValidationError[]) {
    const first = errors[0]!;
    super(
      'BAD_USER_INPUT',
      `Invalid strategy document at ${first.path || '(document)'}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
      {
        path: first.path,
        errors,
      },
    );
    this.name = 'InvalidStrategyDocumentError';
  }
}

/** An edit based on a revision that is no longer current: someone saved in between. */
export class StaleDraftError extends DomainError {
  constructor(versionId: string, expected: number, current: number) {
    super('CONFLICT', `Strategy version ${versionId} was changed meanwhile (your revision ${expected}, now ${current}); reload and reapply your edit`, {
      versionId,
      expectedRevision: expected,
      currentRevision: current,
    });
  }
}

export class VersionStateError extends DomainError {
  constructor(message: string, details: Record<string, unknown>) {
    super('CONFLICT', message, details);
  }
}
