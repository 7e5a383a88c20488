import type { PaymentAttempt } from './order.js';
import type { Adjustment } from './adjustment.js';
import type { Refund } from './refund.js';
import { fail, ok, type Result } from './result.js';

/**
 * Stored status of a pay-by-link. "expired" is not stored: an active link past its expiry is
 * expired, whatever the janitor has or has not done, so a late page view can never take money.
 */
export type PaymentLinkStoredStatus = 'active' | 'revoked' | 'paid';
export type PaymentLinkState = PaymentLinkStoredStatus | 'expired';

export interface PaymentLink {
  id: string;
  orderId: string;
  amount: number;
  currency: string;
  paymentMethodId: string;
  status: PaymentLinkStoredStatus;
  expiresAt: string;
  /** Who made it, and why (an adjustment, or support by hand). */
  actor: string;
  reason: string;
  /** The attempt that paid it. */
  attemptId: string | null;
  revokedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A link is usable while it is active and its expiry has not come. */
export function linkState(link: Pick<PaymentLink, 'status' | 'expiresAt'>, now: string): PaymentLinkState {
  if (link.status === 'active' && link.expiresAt <= now) return 'expired';
  return link.status;
}

/** The longest a link may stay open: long enough for a customer to come back, short enough to be forgotten safely. */
export const MAX_LINK_DAYS = 90;
/** A link made by an adjustment without a stated expiry. */
export const DEFAULT_LINK_HOURS = 72;

/**
 * What the customer still owes (negative: what was paid beyond the amount): the confirmed amount
 * less what was paid, plus what went back because the amount fell (a refund an adjustment made)
 * or because it was paid beyond it (the surplus part of any other refund, decided when it was
 * made: surplusPartOf). The rest of a goodwill or return refund gives money back without making
 * the customer owe it again. A refund not failed (requested, manual, succeeded) counts as given
 * back, so money on its way to the customer is never asked for twice, nor refunded twice by a
 * later adjustment.
 */
export function outstandingOf(
  amount: number,
  attempts: readonly Pick<PaymentAttempt, 'status' | 'amount'>[],
  refunds: readonly Pick<Refund, 'id' | 'status' | 'amount' | 'surplusAmount'>[],
  adjustments: readonly Pick<Adjustment, 'refundId'>[],
): number {
  const fromAdjustments = new Set(adjustments.map((a) => a.refundId));
  return (
    amount -
    netPaidOf(
      attempts,
      refunds.map((r) => ({ status: r.status, amount: fromAdjustments.has(r.id) ? r.amount : r.surplusAmount })),
    )
  );
}

/** Paid less refunds not failed. */
export function netPaidOf(
  attempts: readonly Pick<PaymentAttempt, 'status' | 'amount'>[],
  refunds: readonly Pick<Refund, 'status' | 'amount'>[],
): number {
  const paid = attempts.filter((a) => a.status === 'succeeded').reduce((s, a) => s + a.amount, 0);
  const returned = refunds.filter((r) => r.status !== 'failed').reduce((s, r) => s + r.amount, 0);
  return paid - returned;
}

/**
 * Pure: the amount and expiry of a new link, or why there may be none. Without an amount the
 * link is for all that is outstanding; it is never for more.
 */
export function planLink(input: {
  outstanding: number;
  amount?: number;
  expiresAt: string;
  now: string;
}): Result<{ amount: number; expiresAt: string }> {
  if (input.outstanding <= 0)
    return fail('nothing_to_collect', 'The order owes nothing: there is nothing to collect with a link.', {
      outstanding: Math.max(0, input.outstanding),
    });
  const amount = input.amount ?? input.outstanding;
  if (!Number.isSafeInteger(amount) || amount <= 0)
    return fail('amount_not_positive', 'A payment link must be for more than zero.');
  if (amount > input.outstanding) {
    return fail(
      'amount_above_outstanding',
      `The link would collect ${amount}, but only ${input.outstanding} is outstanding.`,
      { outstanding: input.outstanding },
    );
  }
  const expires = Date.parse(input.expiresAt);
  const now = Date.parse(input.now);
  if (!Number.isFinite(expires)) return fail('expires_at_invalid', 'expires_at is not a date and time.');
  if (expires <= now) return fail('expires_at_invalid', 'expires_at is in the past.');
  if (expires - now > MAX_LINK_DAYS * 86_400_000)
    return fail('expires_at_invalid', `A payment link may stay open at most ${MAX_LINK_DAYS} days.`);
  return ok({ amount, expiresAt: new Date(expires).toISOString() });
}
