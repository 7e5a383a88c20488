import { formatDecimal } from '../../domain/money.js';
import type { ProviderEvent } from '../../domain/provider-event.js';
import type { ProviderNotice } from '../../domain/provider-notice.js';
import { fail, ok, type Result } from '../../domain/result.js';
import type { Connector, ConnectorContext, PaymentRef, StartedPayment } from '../../ports/connector.js';
import { answerInvalid, notSent, refused, type CallFailure } from '../../ports/provider-failure.js';
import type { Reading } from '../kit/provider-call.js';
import { redactRequest } from '../kit/redact.js';
import { detailsEvent } from './details.js';
import { parseSettings, secretFields, settingsSchema, type AmeriaSettings } from './settings.js';
import { callOperation, callVpos, getDetails, paymentIdOf } from './vpos.js';
import {
  AMERIA_CURRENCIES,
  isInitSuccess,
  isOrderId,
  isPaymentId,
  messageText,
  normalizeOrderId,
  responseCodeText,
  wireAmount,
  wireCurrency,
} from './wire.js';

/** Ameriabank sends nothing to a callback address; whatever arrives there is not from the bank. */
export const NO_CALLBACKS =
  'Ameriabank sends no callbacks: its payments are confirmed by the status check on the return page and by the janitor.';
const REDACT_BODY_MAX = 64 * 1024;
/** The bank documents no ceiling for Description (1000 characters were accepted) nor for Opaque. */
const DESCRIPTION_MAX = 500;
const OPAQUE_MAX = 255;

const badAmount = (amount: number, currency: string) =>
  notSent('amount_invalid', `Ameriabank cannot take an amount of ${amount} in "${currency}".`);
const money = (amount: number, currency: string) => `${formatDecimal(amount, currency)} ${currency}`;

/** Two payment methods with the same ClientID share the bank's OrderID range, so one counter. */
export function counterKey(clientId: string): string {
  return `ameria:${clientId.toLowerCase()}`;
}

/** Ameriabank vPOS 3.1 (no callback: status check on return and by the janitor); see README.md. */
export const ameria: Connector<AmeriaSettings> = {
  id: 'ameria',
  title: 'Ameriabank vPOS',
  settingsSchema,
  secretFields,
  currencies: AMERIA_CURRENCIES,
  parseSettings,

  // The bank wants a unique integer OrderID from the range it assigned: Settle hands each number
  // out once from a database counter.
  references: (s) => ({ kind: 'counter', key: counterKey(s.clientId), from: s.orderIdFrom, to: s.orderIdTo }),

  providerRef(): Result<string> {
    return fail(
      'reference_invalid',
      "Ameriabank payments are numbered from the bank's OrderID range (the counter scheme), not named after the order.",
    );
  },

  normalizeRef: normalizeOrderId,

  async startPayment(input, ctx): Promise<Result<StartedPayment, CallFailure>> {
    const { settings: s, providerRef, amount, currency } = input;
    const orderId = Number(providerRef);
    if (!isOrderId(providerRef) || orderId < s.orderIdFrom || orderId > s.orderIdTo) {
      return notSent(
        'reference_invalid',
        `OrderID "${providerRef.slice(0, 40)}" is not a number of this method's range (${s.orderIdFrom}–${s.orderIdTo}).`,
      );
    }
    const wire = wireAmount(amount, currency);
    const code = wireCurrency(currency);
    if (wire === undefined || code === undefined) return badAmount(amount, currency);
    const started = await callVpos(
      ctx,
      s,
      'InitPayment',
      {
        ClientID: s.clientId,
        Amount: wire,
        OrderID: orderId,
        Currency: code,
        Description: input.description.slice(0, DESCRIPTION_MAX),
        BackURL: input.returnUrl,
        Opaque: input.orderReference.slice(0, OPAQUE_MAX),
      },
      `payment start of order ${providerRef}`,
      readInit,
    );
    if (!started.ok) return started;
    const id = started.value;
    const url = `${s.apiBaseUrl}/Payments/Pay?id=${encodeURIComponent(id)}&lang=${encodeURIComponent(s.language)}`;
    return ok({ next: { type: 'redirect', url }, providerPaymentId: id });
  },

  parseCallback(): Result<ProviderNotice> {
    return fail('callback_malformed', NO_CALLBACKS);
  },

  // Nothing the bank sends arrives here; a request that does may carry anything, a password too.
  redactCallback: (req) => redactRequest(req, { secretNames: ['password'], bodyMax: REDACT_BODY_MAX }),

  // Never used after a commit (no callback is ever read); a plain acknowledgement all the same.
  callbackResponse() {
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' };
  },

  async checkStatus(s, input, ctx) {
    const d = await getDetails(ctx, s, input);
    return d.ok ? ok(detailsEvent(d.value, input.providerRef)) : d;
  },

  // ConfirmPayment (two-stage payments), sent only while the payment is held: a capture sent
  // again after no answer finds it taken already and is not sent twice.
  async capture(s, input, ctx) {
    const wire = wireAmount(input.captureAmount, input.currency);
    if (wire === undefined) return badAmount(input.captureAmount, input.currency);
    return whileHeld(ctx, s, input, 'ConfirmPayment', { Amount: wire }, `capture of payment ${input.providerRef}`);
  },

  // CancelPayment releases a hold. It is also the bank's reversal of a payment taken (within 72
  // hours), which is not what releasing a hold means, so it is sent only while the payment is held.
  async void(s, input, ctx) {
    return whileHeld(ctx, s, input, 'CancelPayment', {}, `release of the hold on payment ${input.providerRef}`);
  },

  async refund(s, input, ctx) {
    const { payment, amount, refundedBefore } = input;
    const id = paymentIdOf(payment);
    if (!id.ok) return id;
    const wire = wireAmount(amount, payment.currency);
    if (wire === undefined) return badAmount(amount, payment.currency);
    const what = `refund of ${money(amount, payment.currency)} of payment ${payment.providerRef}`;
    if (input.resend) {
      // No idempotency key at the bank: only a refund its RefundedAmount shows not made is sent again.
      const made = await refundMade(ctx, s, payment, refundedBefore, amount, what);
      if (!made.ok) return made;
      if (made.value) return ok({ status: 'succeeded', providerRef: null });
    }
    const sent = await callOperation(ctx, s, 'RefundPayment', { PaymentID: id.value, Amount: wire }, what);
    return sent.ok ? ok({ status: 'succeeded', providerRef: null }) : sent;
  },
};

function readInit(body: Record<string, unknown> | undefined): Reading<string> {
  if (!body) return { kind: 'unreadable', what: 'a body that is not a JSON object' };
  if (isInitSuccess(body.ResponseCode)) {
    return isPaymentId(body.PaymentID)
      ? { kind: 'answer', value: body.PaymentID }
      : { kind: 'unreadable', what: 'ResponseCode 1 without a PaymentID' };
  }
  const code = responseCodeText(body.ResponseCode);
  if (code === undefined) return { kind: 'unreadable', what: 'a body without a ResponseCode' };
  const said = messageText(body.ResponseMessage);
  return {
    kind: 'refused',
    message: `Ameriabank refused to start the payment: ResponseCode ${code}${said ? ` (${said})` : ''}.`,
    details: { errorCode: code, ...(said && { responseMessage: said }) },
  };
}

/**
 * Sends `op` only while the payment is held (OrderStatus 1), then answers its status after; a
 * payment in any other state is answered as it is, nothing sent.
 */
async function whileHeld(
  ctx: ConnectorContext,
  s: AmeriaSettings,
  p: PaymentRef,
  op: 'ConfirmPayment' | 'CancelPayment',
  fields: Record<string, unknown>,
  what: string,
): Promise<Result<ProviderEvent, CallFailure>> {
  const before = await getDetails(ctx, s, p);
  if (!before.ok) return before;
  if (before.value.orderStatus !== 1) return ok(detailsEvent(before.value, p.providerRef));
  const id = paymentIdOf(p);
  if (!id.ok) return id;
  const sent = await callOperation(ctx, s, op, { PaymentID: id.value, ...fields }, what);
  if (!sent.ok) return sent;
  const after = await getDetails(ctx, s, p);
  return after.ok ? ok(detailsEvent(after.value, p.providerRef)) : after;
}

/**
 * Whether a refund sent before without an answer was made, by the payment's RefundedAmount: equal
 * to what was refunded before plus this refund, it was; equal to what was refunded before, it was
 * not. Any other figure (a refund made at the bank by hand, or two refunds of the payment
 * unsettled at once) is not guessed at: the outcome stays unknown, the refund keeps its amount.
 */
async function refundMade(
  ctx: ConnectorContext,
  s: AmeriaSettings,
  p: PaymentRef,
  refundedBefore: number,
  amount: number,
  what: string,
): Promise<Result<boolean, CallFailure>> {
  const d = await getDetails(ctx, s, p);
  if (!d.ok) {
    // A refused status check says nothing about the refund: it stays unknown, to be asked again.
    if (d.error.outcome !== 'refused') return d;
    return answerInvalid(`Could not check whether the ${what} was made: ${d.error.message}`, d.error.details);
  }
  const refunded = d.value.refunded;
  if (d.value.currency !== p.currency || refunded === undefined)
    return answerInvalid(`Could not check whether the ${what} was made: its RefundedAmount cannot be read.`);
  if (refunded === refundedBefore + amount) return ok(true);
  if (refunded === refundedBefore) return ok(false);
  // Neither figure: another refund of the payment may still be unsettled, or one was made at the
  // bank by hand. Not sent, and not called failed (that would free its amount for a second
  // refund): it stays unknown, holding its amount, and is asked again once the figures settle.
  return answerInvalid(
    `The ${what} was not sent again: Ameriabank reports ${money(refunded, p.currency)} refunded of it, where Settle expected ${money(refundedBefore, p.currency)} (this refund not made) or ${money(refundedBefore + amount, p.currency)} (made). Settle asks again later; check the payment at Ameriabank if this stays.`,
    { refunded, refundedBefore, amount },
  );
}
