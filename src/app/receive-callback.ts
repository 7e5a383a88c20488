import { decideUnmatched } from '../domain/callback-outcome.js';
import { noticeSubject } from '../domain/provider-notice.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { CallbackResponse, RawRequest } from '../ports/connector.js';
import type { CallbackRecord } from '../domain/callback-record.js';
import { nowIso, type AppDeps } from './deps.js';
import { loadMethod } from './payment-methods.js';
import { commitCallback } from './steps/commit-callback.js';
import { applyNotice } from './apply-notice.js';
import { runRefund } from './refunds.js';
import { sendSurplusRefund } from './steps/surplus-refund.js';
import type { PaymentAttempt } from '../domain/order.js';

export interface CallbackAck extends CallbackResponse {
  outcome: CallbackRecord['outcome'];
}

/**
 * Receives a provider callback: verifies and reads it through the connector, then decides and
 * writes what it says, with its record in the callback log, in one transaction that locks the
 * order (applyNotice). Returns the connector's answer only after that commit, so an acknowledged
 * callback is never lost. A callback that fails verification or names no known attempt is
 * recorded as rejected and changes nothing (but a verified one opens a task, once).
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
  const { subpath } = input.raw;
  if (subpath !== undefined && !connector.callbackKinds?.includes(subpath))
    return fail('not_found', 'There is no such callback address for this payment method.');
  const at = nowIso(deps);
  const redacted = connector.redactCallback(input.raw);
  const received = {
    id: deps.random.orderedId('cb'),
    paymentMethodId: pm.id,
    receivedAt: at,
    method: redacted.method,
    headers: redacted.headers,
    query: redacted.query,
    body: redacted.body,
  };
  const nobody = { attemptId: null, orderId: null };

  const read = connector.parseCallback(input.raw);
  if (!read.ok) {
    const callback = { ...received, ...nobody, verified: false, providerRef: null, providerStatus: null };
    await deps.storage.transaction((tx) =>
      commitCallback(deps, tx, { callback: { ...callback, outcome: 'rejected', reason: read.error.message } }, at),
    );
    deps.metrics.callbackVerificationFailed(connector.id, read.error.code);
    deps.metrics.callbackReceived(connector.id, 'rejected');
    return read;
  }
  const notice = read.value;
  const subject = noticeSubject(notice);
  // A trigger may come unsigned (no key set) and a pre-check always does: the log says so. Neither
  // moves money by itself: a trigger's status check is applied, a question only answered.
  const signed = notice.kind === 'trigger' ? notice.verified : notice.kind !== 'question';
  const verified = { ...received, verified: signed, ...subject };
  const attempt = await deps.storage.read.findAttemptByProviderRef(pm.id, {
    norm: connector.normalizeRef(subject.providerRef),
    raw: subject.providerRef,
  });

  if (!attempt && notice.kind === 'question') {
    // Anyone may ask (a pre-check is not signed): the answer is no, and nobody is given a task.
    const reason = `Pre-check refused: no payment ${subject.providerRef} was started with this payment method.`;
    await deps.storage.transaction((tx) =>
      commitCallback(deps, tx, { callback: { ...verified, ...nobody, outcome: 'answered', reason } }, at),
    );
    deps.metrics.callbackReceived(connector.id, 'answered');
    return ok({
      ...connector.callbackResponse({
        kind: 'answered',
        accepted: false,
        reason,
        refusal: 'unknown',
        providerRef: subject.providerRef,
      }),
      outcome: 'answered',
    });
  }
  if (!attempt) {
    const unmatched = await deps.storage.transaction(async (tx) => {
      const seen = await tx.listCallbacks({
        paymentMethodId: pm.id,
        providerRef: subject.providerRef,
        outcome: 'rejected',
        limit: 50,
      });
      // An unsigned trigger proves nothing, so it opens no task.
      const decided = decideUnmatched({
        methodName: pm.name,
        ...subject,
        seenBefore: !verified.verified || seen.some((c) => c.verified),
      });
      const callback = { ...verified, ...nobody, outcome: 'rejected' as const, reason: decided.reason };
      await commitCallback(deps, tx, { callback, tasks: decided.tasks }, at);
      return decided;
    });
    deps.metrics.callbackReceived(connector.id, 'rejected');
    return fail('callback_order_unknown', unmatched.reason);
  }

  const committed = await applyNotice(deps, { pm, connector, attempt, notice, callback: verified }, at);
  // Committed: a double payment it revealed is refunded now when its method says so (once: a
  // repeat of this callback is a duplicate and records no refund).
  await sendSurplusRefund(deps, committed.refund);
  if (notice.kind === 'trigger' && notice.verified) await askPendingRefunds(deps, attempt);
  deps.metrics.callbackReceived(connector.id, committed.outcome);
  return ok({
    ...connector.callbackResponse({ ...committed.reply, providerRef: subject.providerRef }),
    outcome: committed.outcome,
  });
}

/**
 * A verified trigger says something moved at the provider, and that may be one of the payment's
 * refunds (YooKassa's refund.succeeded, T-Bank's REFUNDED): each refund the provider accepted and
 * has not finished is asked again now (under its own idempotency key, or after the connector's
 * check), instead of at the janitor's next round. The callback is committed already; what cannot
 * be asked now stays pending and the janitor asks it.
 */
async function askPendingRefunds(deps: AppDeps, attempt: PaymentAttempt): Promise<void> {
  const refunds = await deps.storage.read.listRefunds(attempt.orderId);
  for (const refund of refunds.filter((r) => r.attemptId === attempt.id && r.status === 'pending')) {
    await runRefund(deps, refund, { resend: true }).catch(() => undefined);
  }
}
