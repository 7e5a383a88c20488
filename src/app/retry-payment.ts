import { isAttemptOpen } from '../domain/attempt-status.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { PaymentAttempt } from '../domain/order.js';
import type { AppDeps } from './deps.js';
import { returnPage } from './queries/index.js';
import { startPayment } from './start-payment.js';

/**
 * The customer's "try again" on a return page: a new attempt with the same payment method for
 * what the order still owes. Nothing is started twice: when an attempt of the order is already
 * open (a second click, another tab) the customer is sent on to that one, and an order that is
 * paid, canceled or held for review starts none. An attempt made through a payment link is
 * retried through the link (its amount is the link's), not here.
 */
export async function retryPayment(
  deps: AppDeps,
  paymentId: string,
): Promise<Result<{ attempt: PaymentAttempt; started: boolean }>> {
  const found = await returnPage(deps, paymentId);
  if (!found.ok) return found;
  const { order, attempt, attempts } = found.value;
  const open = attempts.filter((a) => isAttemptOpen(a.status)).at(-1);
  if (open) return ok({ attempt: open, started: false });
  if (order.status !== 'pending_payment' && order.status !== 'payment_failed')
    return fail('order_not_payable', `Order ${order.reference} takes no payment now.`);
  if (attempts.some((a) => a.status === 'succeeded'))
    return fail('order_not_payable', `Order ${order.reference} is paid.`);
  if (attempt.paymentLinkId)
    return fail('order_not_payable', 'A payment through a link is tried again through the link.');
  const started = await startPayment(deps, { orderId: order.id, paymentMethodId: attempt.paymentMethodId }, 'customer');
  return started.ok ? ok({ attempt: started.value, started: true }) : started;
}
