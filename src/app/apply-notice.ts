import type { CallbackOutcome, CallbackRecord } from '../domain/callback-record.js';
import { chargebackNoticeReason } from '../domain/callback-outcome.js';
import { decideChargebackNotice } from '../domain/chargeback-notice.js';
import type { PaymentAttempt } from '../domain/order.js';
import { decidePaymentChange } from '../domain/payment-change.js';
import type { PaymentMethodRecord } from '../domain/payment-method.js';
import { answerPrecheck } from '../domain/precheck.js';
import type { ProviderEvent } from '../domain/provider-event.js';
import type { ProviderNotice } from '../domain/provider-notice.js';
import type { Result } from '../domain/result.js';
import type { SurplusRefundPlan } from '../domain/surplus-refund.js';
import type { BoundConnector, CallbackReply } from '../ports/connector.js';
import type { CallFailure } from '../ports/provider-failure.js';
import type { AppDeps } from './deps.js';
import { paymentRefOf } from './payment-ref.js';
import { commitCallback } from './steps/commit-callback.js';
import { lockAttempt, lockPayment } from './steps/lock-payment.js';

type Received = Omit<CallbackRecord, 'outcome' | 'reason' | 'attemptId' | 'orderId'>;

export interface CommittedNotice {
  outcome: CallbackOutcome;
  reply: CallbackReply;
  /** The surplus refund the commit recorded, for the caller to send once committed. */
  refund?: SurplusRefundPlan;
}

/**
 * Applies what one read callback says about a known attempt, by kind, with its callback record, in
 * one transaction that locks the order: a payment's change, a dispute, a trigger's status check
 * (made before the transaction, never inside it), a pre-check's answer. Returns what to answer.
 */
export async function applyNotice(
  deps: AppDeps,
  input: {
    pm: PaymentMethodRecord;
    connector: BoundConnector;
    attempt: PaymentAttempt;
    notice: ProviderNotice;
    callback: Received;
  },
  at: string,
): Promise<CommittedNotice> {
  const { pm, connector, attempt, notice } = input;
  const callback = { ...input.callback, attemptId: attempt.id, orderId: attempt.orderId };
  const committed = (outcome: CallbackOutcome): CommittedNotice => ({ outcome, reply: { kind: 'committed', outcome } });

  switch (notice.kind) {
    case 'chargeback':
      return deps.storage.transaction(async (tx) => {
        // A dispute notice: its own record; the payment's status does not move.
        const locked = await lockAttempt(deps, tx, attempt);
        const change = decideChargebackNotice({ ...locked, notice: notice.chargeback });
        const record = { ...callback, outcome: change.outcome, reason: chargebackNoticeReason(notice.chargeback) };
        await commitCallback(deps, tx, { callback: record, change: { kind: 'chargeback', locked, change } }, at);
        return committed(change.outcome);
      });
    case 'question':
      return deps.storage.transaction(async (tx) => {
        const locked = await lockAttempt(deps, tx, attempt);
        const answer = answerPrecheck({
          ...locked,
          amount: notice.amount,
          currency: notice.currency,
          refusal: notice.refusal,
        });
        await commitCallback(deps, tx, { callback: { ...callback, outcome: 'answered', reason: answer.reason } }, at);
        return { outcome: 'answered', reply: { kind: 'answered', ...answer } };
      });
    case 'payment':
      return applyEvent(deps, { pm, attempt, callback, event: notice.event, verifiedBy: 'signature' }, at);
    case 'trigger': {
      // The callback only says "look": what is applied is the provider's answer to a status check.
      const checked: Result<ProviderEvent, CallFailure> | undefined = connector.checkStatus
        ? await connector.checkStatus(paymentRefOf(attempt))
        : undefined;
      if (checked?.ok)
        return applyEvent(deps, { pm, attempt, callback, event: checked.value, verifiedBy: 'status_check' }, at);
      const why = checked
        ? `the status check got no usable answer (${checked.error.message})`
        : `${connector.title} has no status check`;
      const reason = `Recorded; nothing applied: ${why}. The janitor checks the payment again while it is open.`;
      await deps.storage.transaction((tx) =>
        commitCallback(deps, tx, { callback: { ...callback, outcome: 'received', reason } }, at),
      );
      return committed('received');
    }
  }
}

async function applyEvent(
  deps: AppDeps,
  input: {
    pm: PaymentMethodRecord;
    attempt: PaymentAttempt;
    callback: Omit<CallbackRecord, 'outcome' | 'reason'>;
    event: ProviderEvent;
    verifiedBy: 'signature' | 'status_check';
  },
  at: string,
): Promise<CommittedNotice> {
  return deps.storage.transaction(async (tx) => {
    const locked = await lockPayment(deps, tx, { attempt: input.attempt, event: input.event, paymentMethod: input.pm });
    const change = decidePaymentChange({
      ...locked,
      event: input.event,
      verifiedBy: input.verifiedBy,
      actor: 'provider',
      at,
    });
    const record = { ...input.callback, outcome: change.outcome, reason: change.reason };
    await commitCallback(deps, tx, { callback: record, change: { kind: 'payment', locked, change } }, at);
    return { outcome: change.outcome, reply: { kind: 'committed', outcome: change.outcome }, refund: change.refund };
  });
}
