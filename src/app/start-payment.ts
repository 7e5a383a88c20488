import { formatDecimal } from '../domain/money.js';
import { derivePaymentStatus, type PaymentAttempt } from '../domain/order.js';
import { acceptsNewAttempt } from '../domain/order-status.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { Actor } from '../domain/timeline.js';
import { nowIso, type AppDeps } from './deps.js';
import { recordEvents } from './record-events.js';
import { loadMethod, methodRefusal } from './payment-methods.js';

/** How many provider references to try when a retry suffix collides with another order's reference. */
const REF_TRIES = 5;

/**
 * Starts a new payment attempt for the order's current amount and returns it with the customer's
 * next step. The attempt is committed first (the intent), then the connector is called outside
 * the transaction, then its answer is committed; a retry is a new attempt on the same order.
 */
export async function startPayment(
  deps: AppDeps,
  input: { orderId: string; paymentMethodId: string },
  actor: Actor,
): Promise<Result<PaymentAttempt>> {
  const pm = await deps.storage.read.getPaymentMethod(input.paymentMethodId);
  if (!pm) return fail('payment_method_unknown', `There is no payment method ${input.paymentMethodId}.`);
  const method = loadMethod(deps, pm);
  if (!method.ok) return method;
  const { connector, settings } = method.value;
  const at = nowIso(deps);

  const created = await deps.storage.transaction(async (tx): Promise<Result<PaymentAttempt>> => {
    const order = await tx.lockOrder(input.orderId);
    if (!order) return fail('order_not_found', `There is no order ${input.orderId}.`);
    if (order.paymentStatus === 'paid' || !acceptsNewAttempt(order.status)) {
      return fail('order_not_payable', `Order ${order.reference} is ${order.status.replace('_', ' ')} (payment ${order.paymentStatus}); it takes no new payment.`);
    }
    const refusal = methodRefusal(pm, order.amount, order.currency);
    if (refusal) return fail('payment_method_refused', refusal);
    const attempts = await tx.listAttempts(order.id);
    for (let i = 0; i < REF_TRIES; i++) {
      const ref = connector.providerRef(order.reference, attempts.length + 1 + i);
      if (!ref.ok) return ref;
      const attempt: PaymentAttempt = {
        id: deps.random.id('pay'),
        orderId: order.id,
        paymentMethodId: pm.id,
        connector: connector.id,
        amount: order.amount,
        currency: order.currency,
        providerRef: ref.value,
        nextStep: null,
        status: 'created',
        verifiedBy: null,
        providerStatus: null,
        errorCode: null,
        createdAt: at,
        updatedAt: at,
      };
      if (!(await tx.insertAttempt(attempt, connector.normalizeRef(ref.value)))) continue;
      const status = order.status === 'payment_failed' ? 'pending_payment' : order.status;
      await tx.updateOrder(order.id, { status, paymentStatus: derivePaymentStatus([...attempts, attempt]), updatedAt: at });
      const events = [
        {
          kind: 'payment.created',
          actor,
          summary: `Payment ${ref.value} started with ${pm.name} for ${formatDecimal(order.amount, order.currency)} ${order.currency}; the customer is sent to the payment page.`,
          attemptId: attempt.id,
        },
      ];
      if (status !== order.status) {
        events.push({ kind: 'order.status_changed', actor, summary: 'Order status: payment failed → pending payment (a new payment was started).', attemptId: attempt.id });
      }
      await recordEvents(deps, tx, order.id, at, events);
      return ok(attempt);
    }
    return fail('provider_ref_taken', `Could not find a free provider reference for order ${order.reference}.`);
  });
  if (!created.ok) return created;
  const attempt = created.value;

  const step = await connector.startPayment(
    {
      settings,
      providerRef: attempt.providerRef,
      amount: attempt.amount,
      currency: attempt.currency,
      callbackUrl: `${deps.publicUrl}/callbacks/${pm.id}`,
      returnUrl: `${deps.publicUrl}/return/${attempt.id}`,
    },
    { http: deps.http },
  );
  const doneAt = nowIso(deps);
  if (!step.ok) {
    await deps.storage.transaction(async (tx) => {
      const order = await tx.lockOrder(attempt.orderId);
      await tx.updateAttempt(attempt.id, { status: 'failed', errorCode: step.error.code, updatedAt: doneAt });
      if (order) {
        const attempts = await tx.listAttempts(order.id);
        await tx.updateOrder(order.id, { paymentStatus: derivePaymentStatus(attempts), updatedAt: doneAt });
        await recordEvents(deps, tx, order.id, doneAt, [
          { kind: 'payment.failed', actor: 'system', summary: `Payment ${attempt.providerRef} could not be started: ${step.error.message}`, attemptId: attempt.id },
        ]);
      }
    });
    return step;
  }
  await deps.storage.transaction((tx) => tx.updateAttempt(attempt.id, { nextStep: step.value, updatedAt: doneAt }));
  return ok({ ...attempt, nextStep: step.value, updatedAt: doneAt });
}
