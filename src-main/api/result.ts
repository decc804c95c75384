// Results as values at the boundary: every api call answers {ok: true, value} or
// {ok: false, error}. Exceptions stay inside main; AppError is how services say "no" on purpose.
// Pure and shared with the renderer (which imports only types from here).

export type ErrorCode = 'validation' | 'not_found' | 'conflict' | 'forbidden' | 'unauthenticated' | 'unavailable' | 'internal';

export interface ApiError {
  code: ErrorCode;
  /** Swedish text for the user. */
  message: string;
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Swedish, shown to the user. */
    readonly messageSv: string,
    readonly details?: unknown,
  ) {
    super(messageSv);
    this.name = 'AppError';
  }
}

export const notFound = (what: string, id?: string): AppError =>
  new AppError('not_found', `${what} hittades inte.`, id === undefined ? undefined : { id });
export const conflict = (messageSv: string, details?: unknown): AppError => new AppError('conflict', messageSv, details);
export const invalid = (messageSv: string, details?: unknown): AppError => new AppError('validation', messageSv, details);
