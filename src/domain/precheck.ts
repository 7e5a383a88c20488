import { isAttemptOpen } from './attempt-status.js';
import { formatDecimal } from './money.js';
import type { Order, PaymentAttempt } from './order.js';

/**
 * Why a pre-check was answered no, for providers whose refusal carries a code (CloudPayments:
 * 10 unknown invoice, 12 wrong amount, 13 cannot be accepted, 20 expired).
 * - `unknown`: no payment by that reference was started with this method.
 * - `amount`: another amount or currency than the payment was made out for.
 * - `expired`: the payment's time ran out (the attempt expired).
 * - `not_payable`: anything else (the order is paid, canceled or completed, the attempt ended,
 *   the connector's own refusal).
 */
export type PrecheckRefusal = 'unknown' | 'amount' | 'expired' | 'not_payable';

export interface PrecheckAnswer {
  accepted: boolean;
  /** A sentence for the callback log: why yes or no. */
  reason: string;
  /** Set when `accepted` is false. */
  refusal?: PrecheckRefusal;
}

/**
 * Pure: the answer to a provider's pre-check ("may this bill be paid, for this amount?", Idram's
 * EDP_PRECHECK). Yes only when the attempt is still open, its order still takes the money, and the
 * amount and currency are exactly the attempt's. Anything else refuses the payment before any money
 * moves: a paid or canceled order, an attempt that ended, a different amount.
 */
export function answerPrecheck(input: {
  order: Order;
  attempts: readonly PaymentAttempt[];
  attempt: PaymentAttempt;
  amount: number;
  currency: string;
  /** The connector's own reason to refuse (another merchant account), if any. */
  refusal?: string;
}): PrecheckAnswer {
  const { order, attempt } = input;
  const no = (reason: string, refusal: PrecheckRefusal = 'not_payable'): PrecheckAnswer => ({
    accepted: false,
    reason: `Pre-check refused: ${reason}`,
    refusal,
  });
  if (input.refusal) return no(input.refusal);
  if (order.status === 'canceled' || order.status === 'completed')
    return no(`order ${order.reference} is ${order.status}.`);
  if (order.paymentStatus === 'paid' || input.attempts.some((a) => a.status === 'succeeded'))
    return no(`order ${order.reference} is paid already.`);
  if (!isAttemptOpen(attempt.status))
    return no(
      `payment ${attempt.providerRef} is ${attempt.status}.`,
      attempt.status === 'expired' ? 'expired' : 'not_payable',
    );
  if (input.currency !== attempt.currency || input.amount !== attempt.amount) {
    const asked = input.currency === attempt.currency ? formatDecimal(input.amount, input.currency) : input.currency;
    return no(
      `the provider asks about ${asked} ${input.currency === attempt.currency ? attempt.currency : ''}`.trimEnd() +
        ` for payment ${attempt.providerRef}, made out for ${formatDecimal(attempt.amount, attempt.currency)} ${attempt.currency}.`,
      'amount',
    );
  }
  return {
    accepted: true,
    reason: `Pre-check answered yes: payment ${attempt.providerRef} is open for ${formatDecimal(attempt.amount, attempt.currency)} ${attempt.currency}.`,
  };
}
