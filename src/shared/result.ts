/** Errors as values at module boundaries: callers must look at `ok` before using the value. */
export type Result<T, E = UserFacingError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });

/**
 * An expected refusal that a user can act on (bad input, wrong state, missing config).
 * Bugs stay ordinary Errors: they are logged with context and the user gets a reference id.
 */
export class UserFacingError extends Error {
  constructor(
    readonly id: string,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}
