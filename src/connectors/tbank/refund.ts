// Refunds: Cancel with Amount on a confirmed payment, under ExternalRequestId = Settle's refund
// id. T-Bank checks that id before it refunds: a Cancel sent again with it answers the state of
// the first instead of refunding twice, so a refund with no answer can simply be sent again.
import type { Result } from '../../domain/result.js';
import type { ConnectorContext, RefundAnswer, RefundInput } from '../../ports/connector.js';
import { notSent, type CallFailure } from '../../ports/provider-failure.js';
import type { Reading } from '../kit/provider-call.js';
import { callTBank } from './api.js';
import type { TBankSettings } from './settings.js';
import { readPaymentId } from './wire.js';

const DONE = new Set(['PARTIAL_REFUNDED', 'REFUNDED']);
const UNDER_WAY = new Set(['REFUNDING', 'ASYNC_REFUNDING']);
const EXTERNAL_REQUEST_ID = /^[A-Za-z0-9_-]{1,100}$/;

export async function refundPayment(
  ctx: ConnectorContext,
  s: TBankSettings,
  input: RefundInput,
): Promise<Result<RefundAnswer, CallFailure>> {
  const { payment } = input;
  const paymentId = payment.providerPaymentId;
  if (!paymentId || !readPaymentId(paymentId))
    return notSent('payment_id_missing', `T-Bank never gave a PaymentId for order ${payment.providerRef}.`);
  if (!EXTERNAL_REQUEST_ID.test(input.refundId))
    return notSent('refund_id_invalid', 'The refund id cannot be sent as ExternalRequestId.');
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0)
    return notSent('amount_invalid', 'A refund is a positive amount of kopecks.');
  return callTBank(
    ctx,
    s,
    'Cancel',
    { PaymentId: paymentId, Amount: input.amount, ExternalRequestId: input.refundId },
    `refund ${input.refundId} of order ${payment.providerRef}`,
    (a): Reading<RefundAnswer> => {
      const status = a.Status;
      if (typeof status === 'string' && DONE.has(status))
        return { kind: 'answer', value: { status: 'succeeded', providerRef: null } };
      if (typeof status === 'string' && UNDER_WAY.has(status))
        return { kind: 'answer', value: { status: 'pending', providerRef: null } };
      return { kind: 'unreadable', what: `a Status that is no refund (${String(status).slice(0, 40)})` };
    },
  );
}
