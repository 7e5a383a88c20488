import { fail, ok, type Result } from '../domain/result.js';
import type { RawRequest } from '../ports/connector.js';
import type { CallbackRecord } from '../ports/storage.js';
import { applyProviderEventInTx } from './apply-provider-event.js';
import { applyChargebackNoticeInTx } from './chargebacks.js';
import { nowIso, type AppDeps } from './deps.js';
import { openTasks } from './open-tasks.js';
import { loadMethod } from './payment-methods.js';

export interface CallbackAck {
  status: number;
  contentType: string;
  body: string;
  outcome: CallbackRecord['outcome'];
}

/**
 * Receives a provider callback: verifies it through the connector, then records and applies it
 * in one transaction that locks the order. Returns the acknowledgement only after that commit,
 * so an acknowledged callback is never lost. A callback that fails verification or names no
 * known attempt is recorded as rejected and changes nothing.
 */
export async function receiveCallback(
  deps: AppDeps,
  input: { paymentMethodId: string; raw: RawRequest },
): Promise<Result<CallbackAck>> {
  const pm = await deps.storage.read.getPaymentMethod(input.paymentMethodId);
  if (!pm) return fail('payment_method_unknown', 'There is no payment method at this callback address.');
  const method = loadMethod(deps, pm);
  if (!method.ok) return method;
  const connector = method.value;
  const receivedAt = nowIso(deps);
  const redacted = connector.redactCallback(input.raw);
  const base = {
    id: deps.random.id('cb'),
    paymentMethodId: pm.id,
    receivedAt,
    method: redacted.method,
    headers: redacted.headers,
    query: redacted.query,
    body: redacted.body,
  };

  const parsed = connector.parseCallback(input.raw);
  if (!parsed.ok) {
    await recordRejected(deps, {
      ...base,
      verified: false,
      providerRef: null,
      providerStatus: null,
      reason: parsed.error.message,
    });
    deps.metrics.callbackVerificationFailed(connector.id, parsed.error.code);
    deps.metrics.callbackReceived(connector.id, 'rejected');
    return parsed;
  }
  const event = parsed.value;
  const attempt = await deps.storage.read.findAttemptByProviderRef(pm.id, connector.normalizeRef(event.providerRef));
  if (!attempt) {
    // Verified, so the provider really says this: a person must find out what it is about.
    const reason = `No payment ${event.providerRef} was started with this payment method.`;
    await deps.storage.transaction(async (tx) => {
      const seen = await tx.listCallbacks({
        paymentMethodId: pm.id,
        providerRef: event.providerRef,
        outcome: 'rejected',
        limit: 50,
      });
      const again = seen.some((c) => c.verified);
      await tx.insertCallback({
        ...base,
        verified: true,
        providerRef: event.providerRef,
        providerStatus: event.providerStatus,
        reason,
        outcome: 'rejected',
        attemptId: null,
        orderId: null,
      });
      if (again) return; // the provider's retries of the same callback open no more tasks
      await openTasks(
        deps,
        tx,
        [
          {
            kind: 'callback_unmatched',
            reason: `A signed callback from ${pm.name} says "${event.providerStatus}" for ${event.providerRef}, which matches no payment: find the order it belongs to.`,
            orderId: null,
          },
        ],
        receivedAt,
      );
    });
    deps.metrics.callbackReceived(connector.id, 'rejected');
    return fail('callback_order_unknown', reason);
  }

  const chargeback = event.chargeback;
  if (chargeback) {
    // A dispute notice: its own record; the payment's status does not move.
    const outcome = await deps.storage.transaction(async (tx) => {
      const applied = await applyChargebackNoticeInTx(deps, tx, attempt, chargeback, receivedAt);
      await tx.insertCallback({
        ...base,
        verified: true,
        providerRef: event.providerRef,
        providerStatus: event.providerStatus,
        outcome: applied,
        reason: `Chargeback ${chargeback.ref}: ${chargeback.status}.`,
        attemptId: attempt.id,
        orderId: attempt.orderId,
      });
      return applied;
    });
    deps.metrics.callbackReceived(connector.id, outcome);
    return ok({ ...connector.callbackAcknowledgement(), outcome });
  }
  const decision = await deps.storage.transaction((tx) =>
    applyProviderEventInTx(
      deps,
      tx,
      {
        attempt,
        paymentMethod: pm,
        event,
        verifiedBy: 'signature',
        actor: 'provider',
        callback: { ...base, verified: true, providerRef: event.providerRef, providerStatus: event.providerStatus },
      },
      receivedAt,
    ),
  );
  deps.metrics.callbackReceived(connector.id, decision.outcome);
  return ok({ ...connector.callbackAcknowledgement(), outcome: decision.outcome });
}

async function recordRejected(
  deps: AppDeps,
  cb: Omit<CallbackRecord, 'outcome' | 'attemptId' | 'orderId'>,
): Promise<void> {
  await deps.storage.transaction((tx) =>
    tx.insertCallback({ ...cb, outcome: 'rejected', attemptId: null, orderId: null }),
  );
}
