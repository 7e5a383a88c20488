import { ok, type Result } from '../../domain/result.js';
import type { ProviderEvent } from '../../domain/provider-event.js';
import type { Connector, ConnectorContext, PaymentRef, StartedPayment } from '../../ports/connector.js';
import { notSent, type CallFailure } from '../../ports/provider-failure.js';
import { redactRequest } from '../kit/redact.js';
import { suffixedRef } from '../kit/references.js';
import { callTBank, type TBankAnswer } from './api.js';
import { NOTIFICATION_BODY_MAX, parseNotification } from './notification.js';
import { refundPayment } from './refund.js';
import { parseSettings, secretFields, settingsSchema, type TBankSettings } from './settings.js';
import {
  DESCRIPTION_MAX,
  isOrderId,
  isWireableAmount,
  ORDER_ID_MAX,
  readAmount,
  readPaymentId,
  statusMeaning,
  TBANK_CURRENCIES,
} from './wire.js';

const PAYMENT_URL_MAX = 2048;
/** Statuses before the card is charged: the only ones Settle cancels (Cancel of a paid one refunds it). */
const UNPAID = new Set(['NEW', 'FORM_SHOWED']);

/** T-Bank internet acquiring v2: Init, notifications signed by Token, GetState, Cancel; see README.md. */
export const tbank: Connector<TBankSettings> = {
  id: 'tbank',
  title: 'T-Bank',
  settingsSchema,
  secretFields,
  currencies: TBANK_CURRENCIES,
  parseSettings,

  // OrderId must be unique per operation: attempt 1 is the store's reference, attempt n adds -n.
  providerRef: (reference, n) =>
    suffixedRef(reference, n, {
      accepts: isOrderId,
      rule: `T-Bank takes OrderId of Latin letters, digits, "-" and "_", at most ${ORDER_ID_MAX} characters`,
    }),
  // T-Bank documents no case folding: OrderId is compared as sent.
  normalizeRef: (ref) => ref,

  async startPayment(input, ctx): Promise<Result<StartedPayment, CallFailure>> {
    const { settings: s, providerRef, amount, currency } = input;
    if (!isOrderId(providerRef)) return notSent('reference_invalid', 'The OrderId is not one T-Bank accepts.');
    if (!isWireableAmount(amount, currency))
      return notSent(
        'amount_invalid',
        `T-Bank takes positive amounts in RUB, not ${amount} in "${currency.slice(0, 8)}".`,
      );
    const params: Record<string, string | number> = {
      Amount: amount,
      OrderId: providerRef,
      Description: input.description.slice(0, DESCRIPTION_MAX),
      Language: s.language,
      PayType: 'O',
      NotificationURL: input.callbackUrl,
      SuccessURL: input.returnUrl,
      FailURL: input.returnUrl,
    };
    return callTBank(ctx, s, 'Init', params, `Init of order ${providerRef}`, (a) => {
      const paymentId = readPaymentId(a.PaymentId);
      const url = a.PaymentURL;
      if (!paymentId) return { kind: 'unreadable', what: 'no readable PaymentId' };
      if (typeof url !== 'string' || url.length > PAYMENT_URL_MAX || !isHttpUrl(url))
        return { kind: 'unreadable', what: 'no readable PaymentURL' };
      return { kind: 'answer', value: { next: { type: 'redirect', url }, providerPaymentId: paymentId } };
    });
  },

  parseCallback: parseNotification,

  redactCallback: (req) =>
    redactRequest(req, { secretNames: ['Token'], bodyMax: NOTIFICATION_BODY_MAX, signature: /[0-9a-f]{64}/gi }),

  // T-Bank retries a notification until it gets HTTP 200 with the body OK.
  callbackResponse() {
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' };
  },

  async checkStatus(settings, input, ctx) {
    const state = await getState(ctx, settings, input);
    return state.ok ? ok(state.value.event) : state;
  },

  // Cancel of a paid payment refunds it: only a payment still unpaid at T-Bank is canceled;
  // any other is answered with its status and nothing is sent.
  async cancel(settings, input, ctx) {
    const state = await getState(ctx, settings, input);
    if (!state.ok || !UNPAID.has(state.value.status)) return state.ok ? ok(state.value.event) : state;
    return callTBank(
      ctx,
      settings,
      'Cancel',
      { PaymentId: state.value.paymentId },
      `cancel of order ${input.providerRef}`,
      (a) => readEvent(a, input),
    );
  },

  refund: (settings, input, ctx) => refundPayment(ctx, settings, input),
};

/** GetState of the payment: its status word, id and what it means. */
export async function getState(
  ctx: ConnectorContext,
  s: TBankSettings,
  input: PaymentRef,
): Promise<Result<{ status: string; paymentId: string; event: ProviderEvent }, CallFailure>> {
  const paymentId = input.providerPaymentId;
  if (!paymentId || !readPaymentId(paymentId))
    return notSent('payment_id_missing', `T-Bank never gave a PaymentId for order ${input.providerRef}.`);
  return callTBank(ctx, s, 'GetState', { PaymentId: paymentId }, `status check of order ${input.providerRef}`, (a) => {
    const read = readEvent(a, input);
    if (read.kind !== 'answer') return read;
    return { kind: 'answer', value: { status: a.Status as string, paymentId, event: read.value } };
  });
}

/** A GetState or Cancel answer as the payment's status; refund statuses move nothing (the attempt stays paid). */
function readEvent(
  a: TBankAnswer,
  input: PaymentRef,
): { kind: 'answer'; value: ProviderEvent } | { kind: 'unreadable'; what: string } {
  const status = a.Status;
  if (typeof status !== 'string' || !/^[A-Z0-9_]{1,40}$/.test(status))
    return { kind: 'unreadable', what: 'no readable Status' };
  if (a.OrderId !== undefined && a.OrderId !== input.providerRef)
    return { kind: 'unreadable', what: `another OrderId than ${input.providerRef}` };
  const meaning = statusMeaning(status);
  const amount = readAmount(a.Amount ?? a.OriginalAmount);
  return {
    kind: 'answer',
    value: {
      providerRef: input.providerRef,
      status: meaning.kind === 'status' ? meaning.status : null,
      providerStatus: status,
      ...(amount >= 0 && { amount, currency: 'RUB' }),
    },
  };
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
}
