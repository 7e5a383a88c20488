import { chargebackNoticeReason, decideUnmatched } from '../domain/callback-outcome.js';
import { decideChargebackNotice } from '../domain/chargeback-notice.js';
import { decidePaymentChange } from '../domain/payment-change.js';
import { noticeSubject } from '../domain/provider-notice.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { RawRequest } from '../ports/connector.js';
import type { CallbackRecord } from '../ports/storage.js';
import { nowIso, type AppDeps } from './deps.js';
import { loadMethod } from './payment-methods.js';
import { commitCallback } from './steps/commit-callback.js';
import { lockAttempt, lockPayment } from './steps/lock-payment.js';

export interface CallbackAck {
  status: number;
  contentType: string;
  body: string;
  outcome: CallbackRecord['outcome'];
}

/**
 * Receives a provider callback: verifies and reads it through the connector, then decides and
 * writes what it says, with its record in the callback log, in one transaction that locks the
 * order (commitCallback). Returns the acknowledgement only after that commit, so an acknowledged
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
  const { connector, settings } = method.value;
  const at = nowIso(deps);
  const redacted = connector.redactCallback(input.raw);
  const received = {
    id: deps.random.id('cb'),
    paymentMethodId: pm.id,
    receivedAt: at,
    method: redacted.method,
    headers: redacted.headers,
    query: redacted.query,
    body: redacted.body,
  };
  const nobody = { attemptId: null, orderId: null };

  const read = connector.parseCallback(settings, input.raw);
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
  const verified = { ...received, verified: true, ...subject };
  const attempt = await deps.storage.read.findAttemptByProviderRef(pm.id, connector.normalizeRef(subject.providerRef));

  if (!attempt) {
    const unmatched = await deps.storage.transaction(async (tx) => {
      const seen = await tx.listCallbacks({
        paymentMethodId: pm.id,
        providerRef: subject.providerRef,
        outcome: 'rejected',
        limit: 50,
      });
      const decided = decideUnmatched({ methodName: pm.name, ...subject, seenBefore: seen.some((c) => c.verified) });
      const callback = { ...verified, ...nobody, outcome: 'rejected' as const, reason: decided.reason };
      await commitCallback(deps, tx, { callback, tasks: decided.tasks }, at);
      return decided;
    });
    deps.metrics.callbackReceived(connector.id, 'rejected');
    return fail('callback_order_unknown', unmatched.reason);
  }

  const about = { attemptId: attempt.id, orderId: attempt.orderId };
  const outcome = await deps.storage.transaction(async (tx) => {
    switch (notice.kind) {
      case 'chargeback': {
        // A dispute notice: its own record; the payment's status does not move.
        const locked = await lockAttempt(deps, tx, attempt);
        const change = decideChargebackNotice({ ...locked, notice: notice.chargeback });
        const callback = {
          ...verified,
          ...about,
          outcome: change.outcome,
          reason: chargebackNoticeReason(notice.chargeback),
        };
        await commitCallback(deps, tx, { callback, change: { kind: 'chargeback', locked, change } }, at);
        return change.outcome;
      }
      case 'payment': {
        const locked = await lockPayment(deps, tx, { attempt, event: notice.event, paymentMethod: pm });
        const change = decidePaymentChange({
          ...locked,
          event: notice.event,
          verifiedBy: 'signature',
          actor: 'provider',
          at,
        });
        const callback = { ...verified, ...about, outcome: change.outcome, reason: change.reason };
        await commitCallback(deps, tx, { callback, change: { kind: 'payment', locked, change } }, at);
        return change.outcome;
      }
    }
  });
  deps.metrics.callbackReceived(connector.id, outcome);
  return ok({ ...connector.callbackAcknowledgement(), outcome });
}
