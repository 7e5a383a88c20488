import { attemptRank, joinAttemptStatus, type AttemptStatus } from './attempt-status.js';
import { formatDecimal } from './money.js';
import { derivePaymentStatus, type Order, type PaymentAttempt, type VerifiedBy } from './order.js';
import { canMoveOrder, ORDER_STATUS_LABELS, type OrderStatus, type PaymentStatus } from './order-status.js';
import type { Actor, NewOrderEvent, NewTask } from './timeline.js';

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
}

export type EventOutcome = 'applied' | 'duplicate' | 'stale' | 'ignored';

export interface AttemptChange {
  status: AttemptStatus;
  providerStatus: string;
  errorCode: string | null;
  verifiedBy: VerifiedBy;
}

export interface OrderChange {
  status?: OrderStatus;
  paymentStatus?: PaymentStatus;
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
    data: { status: next, provider_status: event.providerStatus, error_code: event.errorCode ?? null, verified_by: input.verifiedBy },
  });

  let status: OrderStatus = order.status;
  const hold = (kind: NewTask['kind'], reason: string) => {
    tasks.push({ kind, reason, orderId: order.id, attemptId: attempt.id });
    if (canMoveOrder(status, 'on_hold')) status = 'on_hold';
  };

  if (next === 'succeeded') {
    const mismatch = describeMismatch(attempt, event);
    const otherPaid = attempts.find((a) => a.id !== attempt.id && a.status === 'succeeded');
    if (mismatch) {
      hold(mismatch.kind, mismatch.reason);
    } else if (order.status === 'canceled') {
      hold('paid_after_cancel', `Payment ${attempt.providerRef} of ${amountText} ${attempt.currency} arrived after the order was canceled: refund it or reopen the order.`);
    } else if (attempt.status === 'canceled') {
      hold('paid_after_cancel', `Payment ${attempt.providerRef} of ${amountText} ${attempt.currency} arrived after it was canceled at the acquirer: check the order before fulfilling it.`);
    } else if (attempt.status === 'expired') {
      hold('paid_after_expiry', `Payment ${attempt.providerRef} of ${amountText} ${attempt.currency} arrived after the attempt had expired: check the order before fulfilling it.`);
    }
    // A success after "failed" is ordinary: the customer retried on the acquirer's page.
    if (otherPaid) {
      tasks.push({
        kind: 'double_payment',
        reason: `Order ${order.reference} is paid twice: ${otherPaid.providerRef} and ${attempt.providerRef}, ${amountText} ${attempt.currency} each. Refund one of them.`,
        orderId: order.id,
        attemptId: attempt.id,
      });
    } else if (status === 'pending_payment' || status === 'payment_failed') {
      status = 'processing';
    }
  } else if (attemptRank(next) === 3) {
    const latest = attempts[attempts.length - 1];
    const anyPaid = all.some((a) => a.status === 'succeeded');
    if (!anyPaid && latest?.id === attempt.id && order.status === 'pending_payment') status = 'payment_failed';
  }

  const paymentStatus = derivePaymentStatus(all);
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

  return {
    outcome: 'applied',
    reason: `${attempt.status} → ${next}.`,
    attempt: {
      status: next,
      providerStatus: event.providerStatus,
      errorCode: event.errorCode ?? null,
      verifiedBy: input.verifiedBy,
    },
    order: orderChange.status || orderChange.paymentStatus ? orderChange : undefined,
    events,
    tasks,
  };
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
