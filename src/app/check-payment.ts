import { paymentRefOf } from './payment-ref.js';
import type { PaymentAttempt } from '../domain/order.js';
import type { EventOutcome } from '../domain/provider-event.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { Actor } from '../domain/timeline.js';
import { applyProviderEventInTx } from './apply-provider-event.js';
import { nowIso, type AppDeps } from './deps.js';
import { recordEvents } from './record-events.js';
import { loadMethod } from './payment-methods.js';
import { sendSurplusRefund } from './steps/surplus-refund.js';

export interface CheckResult {
  attempt: PaymentAttempt;
  outcome: EventOutcome;
  providerStatus: string;
}

/**
 * Asks the provider for an attempt's status (outside any transaction) and applies the answer
 * through the same path as a callback, verified by "status_check". A provider that cannot be
 * reached changes nothing and is reported as provider_unreachable.
 */
export async function checkPayment(
  deps: AppDeps,
  input: { paymentId: string; orderId?: string },
  actor: Actor,
): Promise<Result<CheckResult>> {
  const attempt = await deps.storage.read.getAttempt(input.paymentId);
  if (!attempt || (input.orderId !== undefined && attempt.orderId !== input.orderId)) {
    return fail('payment_not_found', `There is no payment ${input.paymentId} on this order.`);
  }
  const pm = await deps.storage.read.getPaymentMethod(attempt.paymentMethodId);
  if (!pm) return fail('payment_method_unknown', `The payment method of ${attempt.id} is gone.`);
  const method = loadMethod(deps, pm);
  if (!method.ok) return method;
  const connector = method.value;
  if (!connector.checkStatus) return fail('check_not_supported', `${connector.title} has no status check.`);

  const answer = await connector.checkStatus(paymentRefOf(attempt));
  if (!answer.ok) return answer;
  const at = nowIso(deps);
  const decision = await deps.storage.transaction(async (tx) => {
    const d = await applyProviderEventInTx(
      deps,
      tx,
      { attempt, paymentMethod: pm, event: answer.value, verifiedBy: 'status_check', actor },
      at,
    );
    // A person's check that moved nothing still goes on the timeline, so support sees it was asked.
    if (d.outcome !== 'applied' && actor !== 'system') {
      await recordEvents(deps, tx, attempt.orderId, at, [
        {
          kind: 'payment.checked',
          actor,
          summary: `Status checked at the acquirer for ${attempt.providerRef}: "${answer.value.providerStatus}"; nothing changed (${d.outcome}).`,
          attemptId: attempt.id,
        },
      ]);
    }
    return d;
  });
  await sendSurplusRefund(deps, decision.refund);
  const updated = await deps.storage.read.getAttempt(attempt.id);
  return ok({ attempt: updated ?? attempt, outcome: decision.outcome, providerStatus: answer.value.providerStatus });
}
