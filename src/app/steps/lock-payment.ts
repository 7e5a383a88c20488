import type { EffectSettings } from '../../domain/effect-plan.js';
import type { Order, PaymentAttempt } from '../../domain/order.js';
import type { PaymentLink } from '../../domain/payment-link.js';
import type { ProviderEvent } from '../../domain/provider-event.js';
import { decideReview, normalizeEmail, type ReviewVerdict } from '../../domain/review.js';
import type { LockedOrder, StorageTx } from '../../ports/storage.js';
import type { PaymentMethodRecord } from '../../domain/payment-method.js';
import type { WebhookEndpointRecord } from '../../domain/webhook-endpoint.js';
import type { AppDeps } from '../deps.js';
import { reviewRules } from '../settings.js';
import { effectSettings } from './queue-effects.js';

/** An order locked, with the attempt a notice is about and what the effects of a change depend on. */
export interface LockedAttempt extends LockedOrder {
  /** The attempt, as read under the lock: what the caller read before may be stale. */
  attempt: PaymentAttempt;
  attemptId: string;
  effects: EffectSettings<WebhookEndpointRecord>;
}

/** An order locked with everything a payment event's decision reads (see decidePaymentChange). */
export interface LockedPayment extends LockedAttempt {
  link?: PaymentLink;
  review?: ReviewVerdict;
  /** Read when the event may pay an order a second time: whether a surplus payment is refunded by itself. */
  autoRefundSurplus?: boolean;
}

/** Locks the attempt's order and loads its records, the attempt and the effect settings. Reads only. */
export async function lockAttempt(
  deps: AppDeps,
  tx: StorageTx,
  ref: Pick<PaymentAttempt, 'id' | 'orderId'>,
): Promise<LockedAttempt> {
  // An attempt's order never changes, so the order can be locked before the attempt is re-read.
  const locked = await tx.lockOrderState(ref.orderId);
  if (!locked) throw new Error(`order ${ref.orderId} vanished`);
  const attempt = locked.attempts.find((a) => a.id === ref.id);
  if (!attempt) throw new Error(`attempt ${ref.id} vanished`);
  return { ...locked, attempt, attemptId: attempt.id, effects: await effectSettings(deps, tx) };
}

/**
 * Locks the attempt's order and loads, under that lock, what deciding `event` needs: the order's
 * records, the attempt as it is now, its pay-by-link, the antifraud verdict when the event may
 * make the order paid for the first time, and what the effects depend on. Reads only: nothing is
 * written until the decision is made.
 */
export async function lockPayment(
  deps: AppDeps,
  tx: StorageTx,
  input: { attempt: Pick<PaymentAttempt, 'id' | 'orderId'>; event: ProviderEvent; paymentMethod?: PaymentMethodRecord },
): Promise<LockedPayment> {
  const locked = await lockAttempt(deps, tx, input.attempt);
  const { order, attempt } = locked;
  const firstPayment = input.event.status === 'succeeded' && order.reviewStatus === 'none';
  const link = attempt.paymentLinkId ? await tx.getPaymentLink(attempt.paymentLinkId) : undefined;
  const paidTwice =
    input.event.status === 'succeeded' && locked.attempts.some((a) => a.id !== attempt.id && a.status === 'succeeded');
  return {
    ...locked,
    link,
    review: firstPayment ? await reviewPayment(deps, tx, order, attempt, input.paymentMethod) : undefined,
    ...(paidTwice && { autoRefundSurplus: await refundsSurplus(deps, tx, attempt, input.paymentMethod) }),
  };
}

/** The attempt's payment method refunds a surplus payment automatically, and its connector can refund. */
async function refundsSurplus(
  deps: AppDeps,
  tx: StorageTx,
  attempt: PaymentAttempt,
  known: PaymentMethodRecord | undefined,
): Promise<boolean> {
  const pm = known?.id === attempt.paymentMethodId ? known : await tx.getPaymentMethod(attempt.paymentMethodId);
  return (pm?.autoRefundSurplus ?? false) && typeof deps.connectors.get(attempt.connector)?.refund === 'function';
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
