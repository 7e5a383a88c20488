import { attemptRank, joinAttemptStatus, type AttemptStatus } from './attempt-status.js';
import { formatDecimal } from './money.js';
import type { Order, PaymentAttempt, VerifiedBy } from './order.js';
import { derivePaymentStatus } from './payment-status.js';
import { canMoveOrder, ORDER_STATUS_LABELS, type OrderStatus, type PaymentStatus } from './order-status.js';
import type { Actor, NewOrderEvent, NewTask } from './timeline.js';
import type { ReviewStatus } from './order-status.js';
import type { ReviewVerdict } from './review.js';
import type { Refund } from './refund.js';
import type { Chargeback } from './chargeback.js';
import { outstandingOf, type PaymentLinkState } from './payment-link.js';
import type { Adjustment } from './adjustment.js';

/** A verified fact from a provider about one attempt, in Settle's terms. */
export interface ProviderEvent {
  providerRef: string;
  /** Settle's status for it, or null for a provider status we do not know (recorded, moves nothing). */
  status: AttemptStatus | null;
  /** The provider's own word for it, kept as said ("executed", "error#1234"). */
  providerStatus: string;
  errorCode?: string | null;
  /** Present only when the provider states them. */
  amount?: number;
  currency?: string;
  /** The provider's own id for the payment when it first tells it here (Idram's EDP_TRANS_ID). */
  providerPaymentId?: string;
}

export type EventOutcome = 'applied' | 'duplicate' | 'stale' | 'ignored';

export interface AttemptChange {
  status: AttemptStatus;
  providerStatus: string;
  errorCode: string | null;
  verifiedBy: VerifiedBy;
  /** The provider's id for the payment, when it told it only now. */
  providerPaymentId?: string;
}

export interface OrderChange {
  status?: OrderStatus;
  paymentStatus?: PaymentStatus;
  reviewStatus?: ReviewStatus;
}

export interface ProviderEventDecision {
  outcome: EventOutcome;
  /** A sentence for the callback log: why this outcome. */
  reason: string;
  attempt?: AttemptChange;
  order?: OrderChange;
  events: NewOrderEvent[];
  /** Tasks to open; the caller gives each its id and its own timeline event. */
  tasks: NewTask[];
}

export interface DecideInput {
  order: Order;
  /** All of the order's attempts, the one the event is about among them, oldest first. */
  attempts: readonly PaymentAttempt[];
  attemptId: string;
  event: ProviderEvent;
  verifiedBy: VerifiedBy;
  actor: Actor;
  /** The antifraud rules' verdict, needed when this event may make the order paid for the first time. */
  review?: ReviewVerdict;
  refunds?: readonly Refund[];
  chargebacks?: readonly Chargeback[];
  /** The order's adjustments: a refund one of them made counts against what is owed. */
  adjustments?: readonly Pick<Adjustment, 'refundId'>[];
  /** The pay-by-link the attempt was started through, as it stands now. */
  link?: { id: string; state: PaymentLinkState };
}

const STATUS_SUMMARY: Record<AttemptStatus, string> = {
  created: 'Payment created',
  pending: 'Payment is open at the acquirer, waiting for the customer',
  authorized: 'Payment authorized',
  expired: 'Payment expired without being paid',
  failed: 'Payment failed',
  canceled: 'Payment canceled at the acquirer',
  succeeded: 'Payment received',
};

/**
 * What a verified provider event does to an order, as values: the attempt moves by the lattice,
 * the order's status follows, and whatever a person must look at becomes a task. Pure: the
 * caller persists the result in the same transaction that locked the order.
 */
export function decideProviderEvent(input: DecideInput): ProviderEventDecision {
  const { order, attempts, event } = input;
  const attempt = attempts.find((a) => a.id === input.attemptId);
  if (!attempt) throw new Error('decideProviderEvent: the attempt is not among the order attempts');

  if (event.status === null) {
    return {
      outcome: 'ignored',
      reason: `The provider status "${event.providerStatus}" is not one it documents; recorded, nothing moved.`,
      events: [],
      tasks: [],
    };
  }
  const next = joinAttemptStatus(attempt.status, event.status);
  if (next === attempt.status) {
    const same = event.status === attempt.status;
    return {
      outcome: same ? 'duplicate' : 'stale',
      reason: same
        ? `The attempt is already ${attempt.status}.`
        : `"${event.status}" is lower than the attempt's ${attempt.status}; nothing moved.`,
      events: [],
      tasks: [],
    };
  }

  const updated: PaymentAttempt = { ...attempt, status: next };
  const all = attempts.map((a) => (a.id === attempt.id ? updated : a));
  const events: NewOrderEvent[] = [];
  const tasks: NewTask[] = [];
  const amountText = formatDecimal(attempt.amount, attempt.currency);
  const by = input.verifiedBy === 'signature' ? 'signed callback' : 'status check at the acquirer';
  const error = next === 'failed' && event.errorCode ? ` (error ${event.errorCode})` : '';
  events.push({
    kind: `payment.${next}`,
    actor: input.actor,
    summary: `${STATUS_SUMMARY[next]}: ${amountText} ${attempt.currency}, ${attempt.providerRef}${error}; verified by ${by}.`,
    attemptId: attempt.id,
    data: {
      status: next,
      amount: attempt.amount,
      provider_status: event.providerStatus,
      error_code: event.errorCode ?? null,
      verified_by: input.verifiedBy,
    },
  });

  let status: OrderStatus = order.status;
  let reviewStatus: ReviewStatus = order.reviewStatus;
  const hold = (kind: NewTask['kind'], reason: string) => {
    tasks.push({ kind, reason, orderId: order.id, attemptId: attempt.id });
    if (canMoveOrder(status, 'on_hold')) status = 'on_hold';
    return status;
  };

  if (next === 'succeeded') {
    const mismatch = describeMismatch(attempt, event);
    const paidBefore = attempts.filter((a) => a.id !== attempt.id && a.status === 'succeeded');
    // More paid than the order costs: a second payment for the same thing, or a payment made
    // out before the amount fell. A further payment for what the order still owes (a link
    // after the amount rose) is not a surplus.
    const surplus = -outstandingOf(
      order.amount,
      [...paidBefore, updated],
      input.refunds ?? [],
      input.adjustments ?? [],
    );
    const inactiveLink =
      input.link && (input.link.state === 'revoked' || input.link.state === 'expired') ? input.link : undefined;
    if (mismatch) {
      hold(mismatch.kind, mismatch.reason);
    } else if (order.status === 'canceled') {
      hold(
        'paid_after_cancel',
        `Payment ${attempt.providerRef} of ${amountText} ${attempt.currency} arrived after the order was canceled: refund it or reopen the order.`,
      );
    } else if (attempt.status === 'canceled') {
      hold(
        'paid_after_cancel',
        `Payment ${attempt.providerRef} of ${amountText} ${attempt.currency} arrived after it was canceled at the acquirer: check the order before fulfilling it.`,
      );
    } else if (attempt.status === 'expired') {
      hold(
        'paid_after_expiry',
        `Payment ${attempt.providerRef} of ${amountText} ${attempt.currency} arrived after the attempt had expired: check the order before fulfilling it.`,
      );
    } else if (inactiveLink) {
      hold(
        'paid_via_inactive_link',
        `Payment ${attempt.providerRef} of ${amountText} ${attempt.currency} came through payment link ${inactiveLink.id} after it was ${inactiveLink.state}: check what the order still owes and refund any surplus.`,
      );
    }
    // A success after "failed" is ordinary: the customer retried on the acquirer's page.
    if (surplus > 0) {
      const cur = attempt.currency;
      tasks.push({
        kind: paidBefore.length > 0 ? 'double_payment' : 'amount_mismatch',
        reason:
          paidBefore.length > 0
            ? `Order ${order.reference} is paid more than it costs: ${[...paidBefore, attempt].map((a) => `${a.providerRef} (${formatDecimal(a.amount, cur)})`).join(', ')} for an amount of ${formatDecimal(order.amount, cur)} ${cur}. Refund the surplus of ${formatDecimal(surplus, cur)} ${cur}.`
            : `Payment ${attempt.providerRef} of ${amountText} ${cur} was made out before the order's amount changed to ${formatDecimal(order.amount, cur)} ${cur}. Refund the surplus of ${formatDecimal(surplus, cur)} ${cur}.`,
        orderId: order.id,
        attemptId: attempt.id,
      });
    }
    if (paidBefore.length === 0) {
      reviewStatus = review(input, status, hold, events, attempt);
      if (status === 'pending_payment' || status === 'payment_failed') status = 'processing';
    }
  } else if (attemptRank(next) === 3) {
    const latest = attempts[attempts.length - 1];
    const anyPaid = all.some((a) => a.status === 'succeeded');
    if (!anyPaid && latest?.id === attempt.id && order.status === 'pending_payment') status = 'payment_failed';
  }

  const paymentStatus = derivePaymentStatus(all, input.refunds, input.chargebacks);
  const orderChange: OrderChange = {};
  if (status !== order.status) {
    orderChange.status = status;
    events.push({
      kind: 'order.status_changed',
      actor: input.actor,
      summary: `Order status: ${ORDER_STATUS_LABELS[order.status]} → ${ORDER_STATUS_LABELS[status]}.`,
      attemptId: attempt.id,
      data: { from: order.status, to: status },
    });
  }
  if (paymentStatus !== order.paymentStatus) orderChange.paymentStatus = paymentStatus;
  if (reviewStatus !== order.reviewStatus) orderChange.reviewStatus = reviewStatus;

  return {
    outcome: 'applied',
    reason: `${attempt.status} → ${next}.`,
    attempt: {
      status: next,
      providerStatus: event.providerStatus,
      errorCode: event.errorCode ?? null,
      verifiedBy: input.verifiedBy,
      ...(event.providerPaymentId && !attempt.providerPaymentId && { providerPaymentId: event.providerPaymentId }),
    },
    order: Object.keys(orderChange).length > 0 ? orderChange : undefined,
    events,
    tasks,
  };
}

/**
 * The first verified payment passes the antifraud rules: flagged holds the order with a review
 * task; a hold for another reason (a mismatch, paid after cancel) also waits for a person's
 * review. Returns the review status the order moves to.
 */
function review(
  input: DecideInput,
  status: OrderStatus,
  hold: (kind: NewTask['kind'], reason: string) => OrderStatus,
  events: NewOrderEvent[],
  attempt: PaymentAttempt,
): ReviewStatus {
  if (input.order.reviewStatus !== 'none') return input.order.reviewStatus;
  const verdict = input.review ?? { verdict: 'approved', reasons: ['No review rule applies.'] };
  if (verdict.verdict === 'flagged') {
    hold('review', `Review the order before it is fulfilled: ${verdict.reasons.join(' ')}`);
    events.push({
      kind: 'review.flagged',
      actor: 'system',
      summary: `Review: flagged. ${verdict.reasons.join(' ')}`,
      attemptId: attempt.id,
      data: { reasons: verdict.reasons },
    });
    return 'pending';
  }
  if (status === 'on_hold' || status === 'canceled') {
    events.push({
      kind: 'review.pending',
      actor: 'system',
      summary: 'Review: the order is on hold, a person decides before it is fulfilled.',
      attemptId: attempt.id,
    });
    return 'pending';
  }
  events.push({
    kind: 'review.approved',
    actor: 'system',
    summary: `Review: approved. ${verdict.reasons.join(' ')}`,
    attemptId: attempt.id,
    data: { reasons: verdict.reasons },
  });
  return 'approved';
}

function describeMismatch(
  attempt: PaymentAttempt,
  event: ProviderEvent,
): { kind: 'amount_mismatch' | 'currency_mismatch'; reason: string } | undefined {
  if (event.currency !== undefined && event.currency !== attempt.currency) {
    return {
      kind: 'currency_mismatch',
      reason: `The acquirer reports payment ${attempt.providerRef} in ${event.currency}, but it was made out in ${attempt.currency}.`,
    };
  }
  if (event.amount !== undefined && event.amount !== attempt.amount) {
    const cur = attempt.currency;
    return {
      kind: 'amount_mismatch',
      reason: `The acquirer reports ${formatDecimal(event.amount, cur)} ${cur} paid for ${attempt.providerRef}, but it was made out for ${formatDecimal(attempt.amount, cur)} ${cur}.`,
    };
  }
  return undefined;
}
