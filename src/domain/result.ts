/** Expected failures inside the app are values, not exceptions. */
export type Ok<T> = { ok: true; value: T };
export type Err<E> = { ok: false; error: E };
export type Result<T, E = Failure> = Ok<T> | Err<E>;

/** A refusal a caller can act on: `code` is stable, `message` is for a person. */
export interface Failure {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const fail = (code: string, message: string, details?: Record<string, unknown>): Err<Failure> => ({
  ok: false,
  error: details ? { code, message, details } : { code, message },
});
