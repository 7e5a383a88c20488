import type { Failure } from '../domain/result.js';

/**
 * Why a connector's call to the provider failed, by what it says about what the provider did.
 * Use cases switch on `outcome`, never on a code compared by hand, so a typo cannot turn
 * "maybe paid" into "refused":
 * - `not_sent`: the connector refused the input before asking anything (a bad reference or
 *   amount, a method that cannot be used); nothing happened at the provider.
 * - `refused`: the provider answered and said no (`provider_error`); nothing was done.
 * - `unknown`: no answer at all (`provider_unreachable`: timeout, refused connection) or an
 *   answer that could not be read (`provider_answer_invalid`: an HTTP 5xx from a gateway, a
 *   maintenance page). The provider may have done what was asked.
 */
export type CallFailure =
  | (Failure & { outcome: 'not_sent' })
  | (Failure & { code: 'provider_error'; outcome: 'refused' })
  | (Failure & { code: 'provider_answer_invalid' | 'provider_unreachable'; outcome: 'unknown' });

export type CallOutcome = CallFailure['outcome'];

const failure = <F extends CallFailure>(f: F, details?: Record<string, unknown>): { ok: false; error: F } => ({
  ok: false,
  error: details ? { ...f, details } : f,
});

/** The connector did not send the request (its input cannot be put on the wire). */
export const notSent = (code: string, message: string, details?: Record<string, unknown>) =>
  failure({ code, message, outcome: 'not_sent' as const }, details);

/** A failure found before the call (a method that cannot be loaded), as a call's failure. */
export const notSentFrom = (f: Failure) => notSent(f.code, f.message, f.details);

/** The provider answered and refused. */
export const refused = (message: string, details?: Record<string, unknown>) =>
  failure({ code: 'provider_error' as const, message, outcome: 'refused' as const }, details);

/** The provider answered with something that cannot be read: the outcome is unknown. */
export const answerInvalid = (message: string, details?: Record<string, unknown>) =>
  failure({ code: 'provider_answer_invalid' as const, message, outcome: 'unknown' as const }, details);

/** The provider gave no answer: the outcome is unknown. */
export const unreachable = (message: string, details?: Record<string, unknown>) =>
  failure({ code: 'provider_unreachable' as const, message, outcome: 'unknown' as const }, details);
