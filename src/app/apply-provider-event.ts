import type { VerifiedBy, PaymentAttempt } from '../domain/order.js';
import { decidePaymentChange, type PaymentChange } from '../domain/payment-change.js';
import type { ProviderEvent } from '../domain/provider-event.js';
import type { Actor } from '../domain/timeline.js';
import type { PaymentMethodRecord, StorageTx, WebhookEndpointRecord } from '../ports/storage.js';
import type { AppDeps } from './deps.js';
import { commitPaymentChange } from './steps/commit-payment-change.js';
import { lockPayment } from './steps/lock-payment.js';

export interface ApplyInput {
  /** The attempt the event is about, as the caller found it (re-read under the order's lock). */
  attempt: Pick<PaymentAttempt, 'id' | 'orderId'>;
  /** Its payment method, when the caller has it already (the review reads auto-approval from it). */
  paymentMethod?: PaymentMethodRecord;
  event: ProviderEvent;
  verifiedBy: VerifiedBy;
  actor: Actor;
}

/**
 * Applies one verified provider event inside the caller's transaction (a status check, the
 * janitor, a cancel's answer): locks the order, decides (pure), and writes the attempt, the
 * order, the timeline, the outbox and the tasks. Run concurrently for the same order, the lock
 * makes these serial, so a duplicate finds the first one's result and changes nothing.
 */
export async function applyProviderEventInTx(
  deps: AppDeps,
  tx: StorageTx,
  input: ApplyInput,
  at: string,
): Promise<PaymentChange<WebhookEndpointRecord>> {
  const locked = await lockPayment(deps, tx, input);
  const change = decidePaymentChange({
    ...locked,
    event: input.event,
    verifiedBy: input.verifiedBy,
    actor: input.actor,
    at,
  });
  await commitPaymentChange(deps, tx, locked, change, at);
  return change;
}
