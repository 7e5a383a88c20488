import { ok, type Result } from '../../domain/result.js';
import type { Connector, StartedPayment } from '../../ports/connector.js';
import { notSent, type CallFailure } from '../../ports/provider-failure.js';
import { redactRequest } from '../kit/redact.js';
import { suffixedRef } from '../kit/references.js';
import { callApi } from './api.js';
import { CALLBACK_BODY_MAX, parseArcaCallback } from './callback.js';
import { cancelOrder, captureHold, refundPayment, voidHold } from './operations.js';
import { parseSettings, secretFields, settingsSchema, type ArcaSettings } from './settings.js';
import { fetchOrderState } from './status.js';
import {
  isMdOrder,
  isOrderNumber,
  isWireableAmount,
  normalizeOrderNumber,
  ORDER_NUMBER_MAX,
  wireAmount,
  wireCurrency,
  wireDescription,
} from './wire.js';

const FORM_URL_MAX = 2048;

/** ArCa iPay, the BPC "RBS" gateway's REST protocol; see README.md beside this file. */
export const arca: Connector<ArcaSettings> = {
  id: 'arca',
  title: 'ArCa iPay',
  settingsSchema,
  secretFields,
  parseSettings,

  // BPC keeps orderNumber unique per merchant, so each attempt needs its own: attempt 1 is the
  // store's reference as is (accounting sees the store's number at the bank), attempt n adds -n.
  providerRef: (reference, n) =>
    suffixedRef(reference, n, {
      accepts: isOrderNumber,
      rule: `ArCa takes order numbers of Latin letters, digits, "-" and "_", at most ${ORDER_NUMBER_MAX} characters`,
    }),

  normalizeRef: normalizeOrderNumber,

  // register.do: one-phase; the gateway answers its order id and the payment page.
  async startPayment(input, ctx): Promise<Result<StartedPayment, CallFailure>> {
    const { settings: s, providerRef, amount, currency } = input;
    if (!isOrderNumber(providerRef)) return notSent('reference_invalid', 'The orderNumber is not one ArCa accepts.');
    if (!isWireableAmount(amount, currency))
      return notSent('amount_invalid', `ArCa cannot take an amount of ${amount} in "${currency.slice(0, 8)}".`);
    const params: Record<string, string> = {
      orderNumber: providerRef,
      amount: wireAmount(amount),
      currency: wireCurrency(currency),
      returnUrl: input.returnUrl,
      failUrl: input.returnUrl,
      language: s.language,
    };
    const description = wireDescription(input.description);
    if (description !== '') params.description = description;
    return callApi(ctx, s, 'register.do', params, `registration of order ${providerRef}`, (a) => {
      const orderId = a.orderId;
      const formUrl = a.formUrl;
      if (typeof orderId !== 'string' || !isMdOrder(orderId))
        return { kind: 'unreadable', what: 'no readable orderId' };
      if (typeof formUrl !== 'string' || formUrl.length > FORM_URL_MAX || !isHttpUrl(formUrl))
        return { kind: 'unreadable', what: 'no readable formUrl' };
      return { kind: 'answer', value: { next: { type: 'redirect', url: formUrl }, providerPaymentId: orderId } };
    });
  },

  parseCallback: parseArcaCallback,

  redactCallback: (req) =>
    redactRequest(req, { secretNames: ['checksum'], bodyMax: CALLBACK_BODY_MAX, signature: /[0-9a-f]{64,}/gi }),

  // BPC retries until it gets HTTP 200; whatever Settle did with the trigger, it is done.
  callbackResponse() {
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' };
  },

  async checkStatus(settings, input, ctx) {
    const state = await fetchOrderState(ctx, settings, input);
    return state.ok ? ok(state.value.event) : state;
  },

  cancel: (settings, input, ctx) => cancelOrder(ctx, settings, input),
  capture: (settings, input, ctx) => captureHold(ctx, settings, input),
  void: (settings, input, ctx) => voidHold(ctx, settings, input),
  refund: (settings, input, ctx) => refundPayment(ctx, settings, input),
};

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
}
