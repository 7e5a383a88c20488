import { decideProviderEvent, type ProviderEvent, type ProviderEventDecision } from '../domain/provider-event.js';
import type { VerifiedBy } from '../domain/order.js';
import type { Actor } from '../domain/timeline.js';
import type { CallbackRecord, PaymentMethodRecord, StorageTx } from '../ports/storage.js';
import { recordEvents } from './record-events.js';
import type { AppDeps } from './deps.js';
import { openTasks } from './open-tasks.js';
import { decideReview, normalizeEmail, type ReviewVerdict } from '../domain/review.js';
import type { Order, PaymentAttempt } from '../domain/order.js';
import { reviewRules } from './settings.js';
import { linkState } from '../domain/payment-link.js';

export interface ApplyInput {
  /** The attempt the event is about, as the caller found it (re-read under the order's lock). */
  attempt: Pick<PaymentAttempt, 'id' | 'orderId'>;
  /** Its payment method, when the caller has it already (the review reads auto-approval from it). */
  paymentMethod?: PaymentMethodRecord;
  event: ProviderEvent;
  verifiedBy: VerifiedBy;
  actor: Actor;
  /** The callback that carried the event, recorded with its outcome in the same transaction. */
  callback?: Omit<CallbackRecord, 'outcome' | 'reason' | 'attemptId' | 'orderId'>;
}

/**
 * Applies one verified provider event inside the caller's transaction: locks the order, decides
 * (pure), and writes the attempt, the order, the timeline, the tasks and the callback record.
 * Run concurrently for the same order, the lock makes these serial, so a duplicate finds the
 * first one's result and changes nothing.
 */
export async function applyProviderEventInTx(
  deps: AppDeps,
  tx: StorageTx,
  input: ApplyInput,
  at: string,
): Promise<ProviderEventDecision> {
  // An attempt's order never changes, so the order can be locked before the attempt is re-read.
  const locked = await tx.lockOrderState(input.attempt.orderId);
  if (!locked) throw new Error(`order ${input.attempt.orderId} vanished`);
  // The attempt as read under the lock: what the caller read before it may be stale.
  const { order, attempts } = locked;
  const attempt = attempts.find((a) => a.id === input.attempt.id);
  if (!attempt) throw new Error(`attempt ${input.attempt.id} vanished`);
  const firstPayment = input.event.status === 'succeeded' && order.reviewStatus === 'none';
  const link = attempt.paymentLinkId ? await tx.getPaymentLink(attempt.paymentLinkId) : undefined;
  const state = link && linkState(link, at);
  const decision = decideProviderEvent({
    order,
    attempts,
    attemptId: attempt.id,
    event: input.event,
    verifiedBy: input.verifiedBy,
    actor: input.actor,
    review: firstPayment ? await reviewPayment(deps, tx, order, attempt, input.paymentMethod) : undefined,
    refunds: locked.refunds,
    chargebacks: locked.chargebacks,
    adjustments: locked.adjustments,
    link: link && state ? { id: link.id, state } : undefined,
  });
  if (decision.attempt) {
    await tx.updateAttempt(attempt.id, { ...decision.attempt, updatedAt: at });
  }
  if (decision.order) await tx.updateOrder(order.id, { ...decision.order, updatedAt: at });
  // A link records the payment that came through it, even late: an expired link that was paid
  // is paid (and no longer holds the order's one active place); a revoked one stays revoked.
  if (link && decision.attempt?.status === 'succeeded' && link.attemptId === null) {
    await tx.updatePaymentLink(link.id, {
      ...(link.status === 'active' && { status: 'paid' as const }),
      attemptId: attempt.id,
      updatedAt: at,
    });
  }
  // The order and attempt as just written: recordEvents need not read them back.
  const now = {
    order: decision.order ? { ...order, ...defined(decision.order), updatedAt: at } : order,
    attempts: [decision.attempt ? { ...attempt, ...defined(decision.attempt), updatedAt: at } : attempt],
  };
  await recordEvents(deps, tx, order.id, at, decision.events, now);
  await openTasks(deps, tx, decision.tasks, at);
  if (input.callback) {
    await tx.insertCallback({
      ...input.callback,
      outcome: decision.outcome,
      reason: decision.reason,
      attemptId: attempt.id,
      orderId: order.id,
    });
  }
  return decision;
}

/** Loads what the antifraud rules need (the customer's recent orders) and applies them. */
async function reviewPayment(
  deps: AppDeps,
  tx: StorageTx,
  order: Order,
  attempt: PaymentAttempt,
  known: PaymentMethodRecord | undefined,
): Promise<ReviewVerdict> {
  const pm = known?.id === attempt.paymentMethodId ? known : await tx.getPaymentMethod(attempt.paymentMethodId);
  const rules = await reviewRules(tx);
  const now = deps.clock.now().getTime();
  const since = (hours: number | undefined) => new Date(now - (hours ?? 0) * 3_600_000).toISOString();
  const email = normalizeEmail(order.customer.email);
  const ip = order.customer.ip;
  const ordersFromEmail =
    email && rules.max_orders_per_email
      ? await tx.countOrdersSince({ emailNorm: email, since: since(rules.max_orders_per_email.window_hours) })
      : 0;
  const ordersFromIp =
    ip && rules.max_orders_per_ip
      ? await tx.countOrdersSince({ ip, since: since(rules.max_orders_per_ip.window_hours) })
      : 0;
  return decideReview({
    order,
    paidAmount: attempt.amount,
    autoApprove: pm?.autoApprove ?? false,
    rules,
    ordersFromEmail,
    ordersFromIp,
  });
}

/** A patch's set fields: storage leaves a field that is undefined in a patch as it was. */
function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
