import { isAttemptOpen, type AttemptStatus } from './attempt-status.js';
import type { PaymentAttempt } from './order.js';

/**
 * Pure: the attempts a new attempt of an order supersedes: those started before it (the order's
 * attempts come oldest first) that are still open, created, pending or authorized, and have no
 * operation at the provider waiting on them already. Each is a way left for the customer to pay
 * the order a second time.
 */
export function supersededBy(
  attempts: readonly PaymentAttempt[],
  newAttemptId: string,
  busy: ReadonlySet<string> = new Set(),
): PaymentAttempt[] {
  const index = attempts.findIndex((a) => a.id === newAttemptId);
  if (index < 0) return [];
  return attempts.slice(0, index).filter((a) => isAttemptOpen(a.status) && !busy.has(a.id));
}

/** The reason a supersede operation carries, so its result can be told without the new attempt at hand. */
export const supersedeReason = (newRef: string) => `a new attempt ${newRef} was started`;

/** What the timeline says at each step of canceling an older attempt for a new one. */
export const SUPERSEDE_SUMMARY = {
  requested: (refs: readonly string[], newRef: string) =>
    `Asking the provider to cancel the older attempt${refs.length > 1 ? 's' : ''} ${refs.join(', ')}: ${supersedeReason(newRef)}, and the customer should not be able to pay twice.`,
  canceled: (ref: string, status: AttemptStatus, reason: string) =>
    status === 'canceled'
      ? `Attempt ${ref} canceled at the provider: ${reason}.`
      : `Attempt ${ref} ended ${status} before a cancel was confirmed: ${reason}.`,
  noCancel: (ref: string, provider: string, newRef: string) =>
    `Attempt ${ref} stays open at the provider: ${provider} has no cancel call. ${capital(supersedeReason(newRef))}, so the customer may still pay both: a double payment may still come.`,
  leftOpen: (ref: string, why: string, reason: string) =>
    `Attempt ${ref} stays open at the provider: ${why}. ${capital(reason)}, so the customer may still pay both: a double payment may still come.`,
  paid: (ref: string, reason: string) =>
    `Attempt ${ref} was paid before it could be canceled; ${reason} and is open too: should it be paid as well, that is a double payment.`,
  unanswered: (ref: string, why: string) =>
    `No usable answer from the provider to the cancel of attempt ${ref} (${why}): it may still be open there. Settle asks again.`,
};

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
