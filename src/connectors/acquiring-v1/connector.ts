import { isCurrency } from '../../domain/currency.js';
import { parseDecimal } from '../../domain/money.js';
import type { ProviderNotice } from '../../domain/provider-notice.js';
import { fail, ok, type Result } from '../../domain/result.js';
import type { Connector, ConnectorContext, StartedPayment } from '../../ports/connector.js';
import { notSent, type CallFailure } from '../../ports/provider-failure.js';
import { readFields, type Fields } from '../kit/fields.js';
import { callProvider, jsonStringField, type Reading } from '../kit/provider-call.js';
import { redactRequest } from '../kit/redact.js';
import { suffixedRef } from '../kit/references.js';
import { parseSettings, secretFields, settingsSchema, type AcquiringV1Settings } from './settings.js';
import {
  callbackHash,
  hashEquals,
  isOrderId,
  isWireableAmount,
  mapStatus,
  normalizeOrderId,
  ORDER_ID_MAX,
  paymentHash,
  readStatus,
  wireAmount,
} from './wire.js';

export const CALLBACK_BODY_MAX = 64 * 1024;
export const CALLBACK_FIELD_MAX = 256;
const CALLBACK = {
  required: ['order_id', 'status', 'hash'],
  // Not in the acquirer's documents: if it ever adds the amount paid, it is compared. They are not
  // covered by the signature, so they can only hold an order for a person, never mark it paid.
  optional: ['amount', 'currency'],
  bodyMax: CALLBACK_BODY_MAX,
  fieldMax: CALLBACK_FIELD_MAX,
} as const;
type CallbackFields = Fields<(typeof CALLBACK.required)[number], (typeof CALLBACK.optional)[number]>;

const badRef = () => notSent('reference_invalid', 'The OrderID is not one the acquirer accepts.');
const badAmount = (amount: number, currency: string) =>
  notSent('amount_invalid', `The acquirer cannot take an amount of ${amount} in "${currency}".`);

/** The seed acquirer ("acquiring API v1"); see README.md beside this file. */
export const acquiringV1: Connector<AcquiringV1Settings> = {
  id: 'acquiring-v1',
  title: 'Acquiring API v1',
  settingsSchema,
  secretFields,
  parseSettings,

  // The acquirer keys orders by OrderID, so each retry needs its own: attempt 1 is the store's
  // reference as is, attempt n is `${reference}-${n}`.
  providerRef: (reference, n) =>
    suffixedRef(reference, n, {
      accepts: isOrderId,
      rule: `The acquirer takes order numbers of Latin letters, digits and hyphens, at most ${ORDER_ID_MAX} characters`,
    }),

  normalizeRef: normalizeOrderId,

  startsLocally: true,
  // No "register order" call exists: the payment page URL carries everything, signed.
  async startPayment(input): Promise<Result<StartedPayment, CallFailure>> {
    const { settings, providerRef, amount, currency } = input;
    if (!isOrderId(providerRef)) return badRef();
    if (!isWireableAmount(amount, currency)) return badAmount(amount, currency);
    const wire = wireAmount(amount, currency);
    const values: Record<string, string> = {
      '[ShopID]': settings.shopId,
      '[OrderID]': providerRef,
      '[Amount]': wire,
      '[Hash]': paymentHash(settings.privateKey, providerRef, wire),
    };
    let url = settings.paymentPageUrl;
    // split/join rather than replace: a value is never read as a replacement pattern.
    for (const [placeholder, value] of Object.entries(values))
      url = url.split(placeholder).join(encodeURIComponent(value));
    return ok({ next: { type: 'redirect', url } });
  },

  parseCallback(settings, req): Result<ProviderNotice> {
    try {
      const read = readFields(req, CALLBACK);
      if (!read.ok) return read;
      const { order_id: orderId, status, hash } = read.value;
      if (!isOrderId(orderId))
        return fail('callback_malformed', 'The callback order_id is not an OrderID this acquirer uses.');
      if (!hashEquals(callbackHash(settings.privateKey, orderId, status), hash)) {
        return fail(
          'callback_signature_invalid',
          `The callback for order ${orderId} is not signed with this shop's key.`,
        );
      }
      const mapped = mapStatus(status);
      return ok({
        kind: 'payment',
        event: {
          providerRef: orderId,
          status: mapped.status,
          providerStatus: status,
          errorCode: mapped.errorCode,
          ...statedAmount(read.value),
        },
      });
    } catch {
      // Nothing above should throw; this keeps the port's promise for inputs no one foresaw.
      return fail('callback_malformed', 'The callback could not be read.');
    }
  },

  redactCallback: (req) => redactRequest(req, { secretNames: ['hash'], bodyMax: CALLBACK_BODY_MAX }),

  // The acquirer documents no answer body; any 200 ends its retries. Every outcome gets the same.
  callbackResponse() {
    return { status: 200, contentType: 'application/json', body: '{"status":"ok"}' };
  },

  async checkStatus(settings, input, ctx) {
    const ref = input.providerRef;
    if (!isOrderId(ref)) return badRef();
    const url = `${settings.apiBaseUrl}/api/v1/checkorder/${encodeURIComponent(settings.shopId)}/${encodeURIComponent(ref)}`;
    const answer = await callApi(ctx, url, `status check of order ${ref}`);
    if (!answer.ok) return answer;
    const mapped = mapStatus(answer.value);
    return ok({ providerRef: ref, status: mapped.status, providerStatus: answer.value, errorCode: mapped.errorCode });
  },

  async cancel(settings, input, ctx) {
    const ref = input.providerRef;
    if (!isOrderId(ref)) return badRef();
    if (!isWireableAmount(input.amount, input.currency)) return badAmount(input.amount, input.currency);
    const hash = paymentHash(settings.privateKey, ref, wireAmount(input.amount, input.currency));
    const url = `${settings.apiBaseUrl}/api/v1/cancelorder/${encodeURIComponent(settings.shopId)}/${encodeURIComponent(ref)}/${hash}`;
    const answer = await callApi(ctx, url, `cancel request of order ${ref}`, (status) => {
      const read = readStatus(status);
      // error#NNNN here is the cancel being refused (e.g. already paid), not the payment failing:
      // reading it as "failed" would mark a possibly paid attempt as failed.
      if (read.kind !== 'error') return { kind: 'answer', value: status };
      const message = `The acquirer refused to cancel order ${ref}: ${status}.`;
      return { kind: 'refused', message, details: { providerStatus: status, errorCode: read.code } };
    });
    if (!answer.ok) return answer;
    const mapped = mapStatus(answer.value);
    return ok({ providerRef: ref, status: mapped.status, providerStatus: answer.value, errorCode: mapped.errorCode });
  },
};

/**
 * GETs one API URL and reads `{"status": "..."}`; `read` may call a status a refusal. Messages
 * never carry the URL (it may hold the hash).
 */
function callApi(
  ctx: ConnectorContext,
  url: string,
  what: string,
  read: (status: string) => Reading<string> = (value) => ({ kind: 'answer', value }),
): Promise<Result<string, CallFailure>> {
  return callProvider(ctx.http, {
    request: { method: 'GET', url, headers: { accept: 'application/json' } },
    provider: 'The acquirer',
    what,
    read(res) {
      const status = jsonStringField(res.body, 'status', CALLBACK_FIELD_MAX);
      return status === undefined ? { kind: 'unreadable', what: 'a body that is not {"status": "..."}' } : read(status);
    },
  });
}

/**
 * The amount and currency the acquirer states, when it states both. An amount that cannot be read
 * in that currency is reported as -1, which never matches, so the order is held for a person.
 */
function statedAmount(f: CallbackFields): { amount?: number; currency?: string } {
  if (f.amount === undefined || f.currency === undefined) return {};
  const currency = f.currency.toUpperCase();
  const amount = isCurrency(currency) ? parseDecimal(f.amount, currency) : undefined;
  return { amount: amount ?? -1, currency };
}
