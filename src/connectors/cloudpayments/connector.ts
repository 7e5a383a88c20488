import type { Result } from '../../domain/result.js';
import type { ProviderEvent } from '../../domain/provider-event.js';
import type { Connector, PaymentRef, RefundAnswer, StartedPayment } from '../../ports/connector.js';
import { notSent, type CallFailure } from '../../ports/provider-failure.js';
import type { Reading } from '../kit/provider-call.js';
import { redactRequest } from '../kit/redact.js';
import { suffixedRef } from '../kit/references.js';
import { callCloudPayments, messageOf } from './api.js';
import { NOTIFICATION_BODY_MAX, parseNotification } from './notification.js';
import { parseSettings, secretFields, settingsSchema, type CloudPaymentsSettings } from './settings.js';
import {
  amountLiteral,
  checkCode,
  CLOUDPAYMENTS_CURRENCIES,
  isInvoiceId,
  NOTICE_KINDS,
  readAmount,
  transactionStatus,
} from './wire.js';

const URL_MAX = 2048;
const DESCRIPTION_MAX = 200;

/** CloudPayments: an invoice link, HMAC-signed notices per kind with a check question; see README.md. */
export const cloudpayments: Connector<CloudPaymentsSettings> = {
  id: 'cloudpayments',
  title: 'CloudPayments',
  settingsSchema,
  secretFields,
  currencies: CLOUDPAYMENTS_CURRENCIES,
  callbackKinds: NOTICE_KINDS,
  parseSettings,

  // InvoiceId is Settle's reference: the order's own for attempt 1, "-n" after.
  providerRef: (reference, n) =>
    suffixedRef(reference, n, {
      accepts: isInvoiceId,
      rule: 'CloudPayments invoices are numbered with Latin letters, digits, "-" and "_", at most 64 characters',
    }),
  normalizeRef: (ref) => ref,

  async startPayment(input, ctx): Promise<Result<StartedPayment, CallFailure>> {
    const { settings: s, providerRef, amount, currency } = input;
    if (!isInvoiceId(providerRef)) return notSent('reference_invalid', 'The InvoiceId is not one Settle sends.');
    if (!Number.isSafeInteger(amount) || amount <= 0)
      return notSent('amount_invalid', 'CloudPayments takes positive amounts.');
    // Amount is a JSON number in major units: written from minor units as text, never as a float.
    const fields = JSON.stringify({
      Currency: currency,
      Description: input.description.slice(0, DESCRIPTION_MAX),
      InvoiceId: providerRef,
      AccountId: input.orderReference.slice(0, 100),
      ...(input.customerEmail && { Email: input.customerEmail }),
      RequireConfirmation: false,
    });
    const body = `{"Amount":${amountLiteral(amount, currency)},${fields.slice(1)}`;
    return callCloudPayments(ctx, s, { path: '/orders/create', body, what: `invoice ${providerRef}` }, (a) => {
      if (!a.Success)
        return { kind: 'refused', message: `CloudPayments refused invoice ${providerRef}: ${messageOf(a)}.` };
      const url = (a.Model as { Url?: unknown } | undefined)?.Url;
      if (typeof url !== 'string' || url.length > URL_MAX || !isHttpUrl(url))
        return { kind: 'unreadable', what: 'no readable Model.Url' };
      return { kind: 'answer', value: { next: { type: 'redirect', url } } };
    });
  },

  parseCallback: parseNotification,
  redactCallback: (req) => redactRequest(req, { secretNames: [], bodyMax: NOTIFICATION_BODY_MAX }),

  // {"code":0} for every committed notice and a check answered yes; a refused check gets its code.
  callbackResponse(reply) {
    const code = reply.kind === 'answered' ? checkCode(reply.accepted, reply.refusal) : 0;
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ code }) };
  },

  // /payments/find by InvoiceId: the transaction of this invoice, if the customer paid or tried.
  checkStatus: (settings, input, ctx) =>
    callCloudPayments(
      ctx,
      settings,
      {
        path: '/payments/find',
        body: JSON.stringify({ InvoiceId: input.providerRef }),
        what: `status check of invoice ${input.providerRef}`,
      },
      (a): Reading<ProviderEvent> => {
        if (!a.Success) {
          // "Not found": no transaction yet, the customer has not paid; recorded, moves nothing.
          if (/not found/i.test(messageOf(a)))
            return {
              kind: 'answer',
              value: { providerRef: input.providerRef, status: null, providerStatus: 'not found' },
            };
          return { kind: 'refused', message: `CloudPayments refused the status check: ${messageOf(a)}.` };
        }
        return readTransaction(a.Model, input);
      },
    ),

  // Releases a hold (an Authorized transaction).
  void: (settings, input, ctx) =>
    withTransaction(input, (id) =>
      callCloudPayments(
        ctx,
        settings,
        {
          path: '/payments/void',
          body: JSON.stringify({ TransactionId: Number(id) }),
          what: `release of invoice ${input.providerRef}`,
        },
        (a): Reading<ProviderEvent> =>
          a.Success
            ? { kind: 'answer', value: { providerRef: input.providerRef, status: 'canceled', providerStatus: 'void' } }
            : { kind: 'refused', message: `CloudPayments refused the release: ${messageOf(a)}.` },
      ),
    ),

  // Partial allowed. X-Request-ID is the refund's id: a refund sent again is not made twice.
  refund: (settings, input, ctx) =>
    withTransaction(input.payment, (id) =>
      callCloudPayments(
        ctx,
        settings,
        {
          path: '/payments/refund',
          body: `{"TransactionId":${id},"Amount":${amountLiteral(input.amount, input.payment.currency)}}`,
          requestId: input.refundId,
          what: `refund ${input.refundId}`,
        },
        (a): Reading<RefundAnswer> => {
          if (!a.Success)
            return { kind: 'refused', message: `CloudPayments refused refund ${input.refundId}: ${messageOf(a)}.` };
          const ref = (a.Model as { TransactionId?: unknown } | undefined)?.TransactionId;
          return {
            kind: 'answer',
            value: { status: 'succeeded', providerRef: ref === undefined ? null : String(ref).slice(0, 40) },
          };
        },
      ),
    ),
};

/** The transaction CloudPayments told in its pay notice (the attempt's provider_payment_id). */
function withTransaction<T>(
  p: PaymentRef,
  call: (transactionId: string) => Promise<Result<T, CallFailure>>,
): Promise<Result<T, CallFailure>> {
  const id = p.providerPaymentId;
  if (!id || !/^\d{1,20}$/.test(id))
    return Promise.resolve(
      notSent('payment_id_missing', `CloudPayments has told no TransactionId for invoice ${p.providerRef} yet.`),
    );
  return call(id);
}

/** A transaction (Model of /payments/find) as an event about this attempt. */
export function readTransaction(model: unknown, input: PaymentRef): Reading<ProviderEvent> {
  if (typeof model !== 'object' || model === null) return { kind: 'unreadable', what: 'no Model' };
  const m = model as Record<string, unknown>;
  if (m.InvoiceId !== undefined && m.InvoiceId !== input.providerRef)
    return { kind: 'unreadable', what: `another InvoiceId than ${input.providerRef}` };
  const currency = typeof m.Currency === 'string' ? m.Currency : input.currency;
  const id =
    typeof m.TransactionId === 'number' || typeof m.TransactionId === 'string' ? String(m.TransactionId) : undefined;
  return {
    kind: 'answer',
    value: {
      providerRef: input.providerRef,
      status: transactionStatus(m.Status),
      providerStatus: typeof m.Status === 'string' ? m.Status.slice(0, 40) : 'unknown',
      amount: readAmount(m.Amount, currency),
      currency,
      ...(id && /^\d{1,20}$/.test(id) && { providerPaymentId: id }),
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
