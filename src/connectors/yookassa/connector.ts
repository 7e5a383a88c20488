import type { Result } from '../../domain/result.js';
import type { ProviderEvent } from '../../domain/provider-event.js';
import type { Connector, ConnectorContext, PaymentRef, RefundAnswer, StartedPayment } from '../../ports/connector.js';
import { notSent, type CallFailure } from '../../ports/provider-failure.js';
import type { Reading } from '../kit/provider-call.js';
import { redactRequest } from '../kit/redact.js';
import { suffixedRef } from '../kit/references.js';
import { callYooKassa, type YooKassaObject } from './api.js';
import { NOTIFICATION_BODY_MAX, parseNotification } from './notification.js';
import { parseSettings, secretFields, settingsSchema, type YooKassaSettings } from './settings.js';
import {
  DESCRIPTION_MAX,
  isPaymentId,
  isReference,
  paymentStatus,
  readAmount,
  wireAmount,
  YOOKASSA_CURRENCIES,
} from './wire.js';

const URL_MAX = 2048;

/** YooKassa API v3: a redirect, unsigned notifications taken as triggers from known addresses; see README.md. */
export const yookassa: Connector<YooKassaSettings> = {
  id: 'yookassa',
  title: 'YooKassa',
  settingsSchema,
  secretFields,
  currencies: YOOKASSA_CURRENCIES,
  parseSettings,

  // The reference is Settle's own (metadata and Idempotence-Key); YooKassa names the payment by its id.
  providerRef: (reference, n) =>
    suffixedRef(reference, n, {
      accepts: isReference,
      rule: 'YooKassa payments carry references of Latin letters, digits, "-" and "_", at most 64 characters',
    }),
  normalizeRef: (ref) => ref,

  async startPayment(input, ctx): Promise<Result<StartedPayment, CallFailure>> {
    const { settings: s, providerRef, amount, currency } = input;
    if (!isReference(providerRef))
      return notSent('reference_invalid', 'The reference is not one Settle sends to YooKassa.');
    if (!Number.isSafeInteger(amount) || amount <= 0)
      return notSent('amount_invalid', 'YooKassa takes positive amounts.');
    const body = {
      amount: wireAmount(amount, currency),
      capture: s.capture,
      confirmation: { type: 'redirect', return_url: input.returnUrl },
      description: input.description.slice(0, DESCRIPTION_MAX),
      metadata: { settle_reference: providerRef, order_reference: input.orderReference.slice(0, 200) },
    };
    // The Idempotence-Key is the attempt's reference: a start sent again after no answer is the same payment.
    return callYooKassa(
      ctx,
      s,
      { method: 'POST', path: '/payments', body, idempotenceKey: providerRef, what: `payment ${providerRef}` },
      (o) => {
        const confirmation = (o.confirmation ?? {}) as Record<string, unknown>;
        const url = confirmation.confirmation_url;
        if (!isPaymentId(o.id)) return { kind: 'unreadable', what: 'no readable payment id' };
        if (typeof url !== 'string' || url.length > URL_MAX || !isHttpUrl(url))
          return { kind: 'unreadable', what: 'no readable confirmation_url' };
        return { kind: 'answer', value: { next: { type: 'redirect', url }, providerPaymentId: o.id } };
      },
    );
  },

  parseCallback: parseNotification,
  redactCallback: (req) => redactRequest(req, { secretNames: [], bodyMax: NOTIFICATION_BODY_MAX }),
  // YooKassa retries for 24 hours until it gets HTTP 200.
  callbackResponse: () => ({ status: 200, contentType: 'text/plain; charset=utf-8', body: '' }),

  checkStatus: (settings, input, ctx) =>
    paymentCall(ctx, settings, input, 'GET', '', undefined, `status check of payment ${input.providerRef}`),

  // A hold only (capture: false): captured for the amount asked, or released by /cancel.
  capture: (settings, input, ctx) =>
    paymentCall(
      ctx,
      settings,
      input,
      'POST',
      '/capture',
      { amount: wireAmount(input.captureAmount, input.currency) },
      `capture of payment ${input.providerRef}`,
    ),
  void: (settings, input, ctx) =>
    paymentCall(ctx, settings, input, 'POST', '/cancel', {}, `release of payment ${input.providerRef}`),

  // Partial allowed; the refund's id is the Idempotence-Key, so a resend is the same refund.
  async refund(settings, input, ctx) {
    const id = input.payment.providerPaymentId;
    if (!isPaymentId(id))
      return notSent('payment_id_missing', `YooKassa never gave an id for ${input.payment.providerRef}.`);
    const body = { payment_id: id, amount: wireAmount(input.amount, input.payment.currency) };
    return callYooKassa(
      ctx,
      settings,
      { method: 'POST', path: '/refunds', body, idempotenceKey: input.refundId, what: `refund ${input.refundId}` },
      (o): Reading<RefundAnswer> => {
        const ref = typeof o.id === 'string' ? o.id.slice(0, 64) : null;
        if (o.status === 'succeeded') return { kind: 'answer', value: { status: 'succeeded', providerRef: ref } };
        if (o.status === 'pending') return { kind: 'answer', value: { status: 'pending', providerRef: ref } };
        if (o.status === 'canceled') return { kind: 'refused', message: `YooKassa canceled refund ${input.refundId}.` };
        return { kind: 'unreadable', what: 'a refund without a status it documents' };
      },
    );
  },
};

/** A call on one payment (`/payments/{id}{suffix}`) answered by the payment object: its status as an event. */
function paymentCall(
  ctx: ConnectorContext,
  s: YooKassaSettings,
  input: PaymentRef,
  method: 'GET' | 'POST',
  suffix: string,
  body: object | undefined,
  what: string,
): Promise<Result<ProviderEvent, CallFailure>> {
  const id = input.providerPaymentId;
  if (!isPaymentId(id))
    return Promise.resolve(notSent('payment_id_missing', `YooKassa never gave an id for ${input.providerRef}.`));
  const idempotenceKey = method === 'POST' ? `${id}${suffix.replace('/', ':')}` : undefined;
  return callYooKassa(ctx, s, { method, path: `/payments/${id}${suffix}`, body, idempotenceKey, what }, (o) =>
    readPayment(o, input),
  );
}

/** The payment object as an event about this attempt, with the amount YooKassa states. */
export function readPayment(o: YooKassaObject, input: PaymentRef): Reading<ProviderEvent> {
  if (o.id !== input.providerPaymentId) return { kind: 'unreadable', what: 'another payment than the one asked about' };
  if (typeof o.status !== 'string') return { kind: 'unreadable', what: 'no status' };
  const details = (o.cancellation_details ?? {}) as Record<string, unknown>;
  const reason = typeof details.reason === 'string' ? details.reason.slice(0, 60) : undefined;
  const stated = readAmount(o.amount);
  return {
    kind: 'answer',
    value: {
      providerRef: input.providerRef,
      status: paymentStatus(o.status, reason),
      providerStatus: reason ? `${o.status.slice(0, 40)}: ${reason}` : o.status.slice(0, 40),
      errorCode: reason ?? null,
      // Read back from YooKassa over an authenticated call: Settle compares it with the attempt.
      amount: stated?.amount ?? -1,
      currency: stated?.currency ?? input.currency,
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
