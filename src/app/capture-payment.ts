import { formatDecimal } from '../domain/money.js';
import type { PaymentAttempt } from '../domain/order.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { Actor } from '../domain/timeline.js';
import { applyProviderEventInTx } from './apply-provider-event.js';
import { nowIso, type AppDeps } from './deps.js';
import { loadMethod } from './payment-methods.js';
import { recordEvents } from './record-events.js';
import { paymentRefOf } from './payment-ref.js';

/**
 * Takes a held payment (authorized, not yet deposited: a two-phase merchant at ArCa/BPC, Ameria)
 * in full: the provider is asked outside any transaction, and the status it answers is applied as
 * a status check, so the order becomes paid only when the provider says the money was taken. A
 * partial capture is not offered: the attempt would then be paid for less than it was made out.
 */
export async function capturePayment(
  deps: AppDeps,
  input: { orderId: string; paymentId: string },
  actor: Actor,
): Promise<Result<PaymentAttempt>> {
  const attempt = await deps.storage.read.getAttempt(input.paymentId);
  if (!attempt || attempt.orderId !== input.orderId)
    return fail('payment_not_found', `There is no payment ${input.paymentId} on this order.`);
  const pm = await deps.storage.read.getPaymentMethod(attempt.paymentMethodId);
  if (!pm) return fail('payment_method_unknown', `The payment method of ${attempt.id} is gone.`);
  const method = loadMethod(deps, pm);
  if (!method.ok) return method;
  const connector = method.value;
  if (!connector.capture) return fail('capture_not_supported', `${connector.title} has no capture call.`);
  if (attempt.status !== 'authorized')
    return fail(
      'payment_not_held',
      `Payment ${attempt.providerRef} is ${attempt.status}; only a held payment is captured.`,
    );

  const answer = await connector.capture({ ...paymentRefOf(attempt), captureAmount: attempt.amount });
  if (!answer.ok) return answer;
  const at = nowIso(deps);
  await deps.storage.transaction(async (tx) => {
    await recordEvents(deps, tx, attempt.orderId, at, [
      {
        kind: 'payment.capture_requested',
        actor,
        summary: `Capture of ${formatDecimal(attempt.amount, attempt.currency)} ${attempt.currency} asked of the provider for ${attempt.providerRef}; it answers "${answer.value.providerStatus}".`,
        attemptId: attempt.id,
      },
    ]);
    await applyProviderEventInTx(
      deps,
      tx,
      { attempt, paymentMethod: pm, event: answer.value, verifiedBy: 'status_check', actor },
      at,
    );
  });
  return ok((await deps.storage.read.getAttempt(attempt.id)) ?? attempt);
}
