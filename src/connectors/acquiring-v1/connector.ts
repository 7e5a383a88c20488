import { isCurrency } from '../../domain/currency.js';
import { parseDecimal } from '../../domain/money.js';
import type { NextStep } from '../../domain/order.js';
import type { ProviderEvent } from '../../domain/provider-event.js';
import type { ProviderNotice } from '../../domain/provider-notice.js';
import { fail, ok, type Result } from '../../domain/result.js';
import type { Connector, ConnectorContext, HttpResponse, RawRequest, RedactedRequest } from '../../ports/connector.js';
import { ProviderUnreachable } from '../http-client.js';
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
const REDACTED_TEXT_MAX = 2048;
const FIELDS = ['order_id', 'status', 'hash'] as const;
// Not in the acquirer's documents: if it ever adds the amount paid, it is compared. They are not
// covered by the signature, so they can only hold an order for a person, never mark it paid.
const OPTIONAL = ['amount', 'currency'] as const;
type CallbackFields = Record<(typeof FIELDS)[number], string> & Partial<Record<(typeof OPTIONAL)[number], string>>;

/** The seed acquirer ("acquiring API v1"); see README.md beside this file. */
export const acquiringV1: Connector<AcquiringV1Settings> = {
  id: 'acquiring-v1',
  title: 'Acquiring API v1',
  settingsSchema,
  secretFields,
  parseSettings,

  // The acquirer keys orders by OrderID, so each retry needs its own: attempt 1 is the store's
  // reference as is, attempt n is `${reference}-${n}`.
  providerRef(reference: string, n: number): Result<string> {
    if (!Number.isSafeInteger(n) || n < 1)
      return fail('reference_invalid', `Attempt number ${n} is not a positive integer.`);
    const ref = n === 1 ? reference : `${reference}-${n}`;
    if (!isOrderId(ref)) {
      return fail(
        'reference_invalid',
        `The acquirer takes order numbers of Latin letters, digits and hyphens, at most ${ORDER_ID_MAX} characters` +
          (n > 1 ? ` including the retry suffix "-${n}"` : '') +
          `; "${reference.slice(0, 80)}" does not fit.`,
        { reference: reference.slice(0, 80), attempt: n },
      );
    }
    return ok(ref);
  },

  normalizeRef: normalizeOrderId,

  // No "register order" call exists: the payment page URL carries everything, signed.
  async startPayment(input): Promise<Result<NextStep>> {
    const { settings, providerRef, amount, currency } = input;
    if (!isOrderId(providerRef)) return fail('reference_invalid', 'The OrderID is not one the acquirer accepts.');
    if (!isWireableAmount(amount, currency)) {
      return fail('amount_invalid', `The acquirer cannot take an amount of ${amount} in "${currency}".`);
    }
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
    return ok({ type: 'redirect', url });
  },

  parseCallback(settings: AcquiringV1Settings, req: RawRequest): Result<ProviderNotice> {
    try {
      const read = readCallbackFields(req);
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

  redactCallback(req: RawRequest): RedactedRequest {
    try {
      return {
        method: String(req.method),
        headers: redactHeaders(req.headers),
        query: redactUrlEncoded(String(req.rawQuery ?? '')),
        body: redactBody(req),
      };
    } catch {
      return { method: '', headers: {}, query: '', body: '' };
    }
  },

  callbackAcknowledgement() {
    return { status: 200, contentType: 'application/json', body: '{"status":"ok"}' };
  },

  async checkStatus(settings, input, ctx): Promise<Result<ProviderEvent>> {
    const ref = input.providerRef;
    if (!isOrderId(ref)) return fail('reference_invalid', 'The OrderID is not one the acquirer accepts.');
    const url = `${settings.apiBaseUrl}/api/v1/checkorder/${encodeURIComponent(settings.shopId)}/${encodeURIComponent(ref)}`;
    const answer = await callApi(ctx, url, 'status check', ref);
    if (!answer.ok) return answer;
    const mapped = mapStatus(answer.value);
    return ok({ providerRef: ref, status: mapped.status, providerStatus: answer.value, errorCode: mapped.errorCode });
  },

  async cancel(settings, input, ctx): Promise<Result<ProviderEvent>> {
    const ref = input.providerRef;
    if (!isOrderId(ref)) return fail('reference_invalid', 'The OrderID is not one the acquirer accepts.');
    if (!isWireableAmount(input.amount, input.currency)) {
      return fail('amount_invalid', `The acquirer cannot take an amount of ${input.amount} in "${input.currency}".`);
    }
    const hash = paymentHash(settings.privateKey, ref, wireAmount(input.amount, input.currency));
    const url = `${settings.apiBaseUrl}/api/v1/cancelorder/${encodeURIComponent(settings.shopId)}/${encodeURIComponent(ref)}/${hash}`;
    const answer = await callApi(ctx, url, 'cancel request', ref);
    if (!answer.ok) return answer;
    const status = answer.value;
    const read = readStatus(status);
    // error#NNNN here is the cancel being refused (e.g. already paid), not the payment failing:
    // reading it as "failed" would mark a possibly paid attempt as failed.
    if (read.kind === 'error') {
      return fail('provider_error', `The acquirer refused to cancel order ${ref}: ${status}.`, {
        providerStatus: status,
        errorCode: read.code,
      });
    }
    const mapped = mapStatus(status);
    return ok({ providerRef: ref, status: mapped.status, providerStatus: status, errorCode: mapped.errorCode });
  },
};

/** GETs one API URL and reads `{"status": "..."}`. Messages never carry the URL (it may hold the hash). */
async function callApi(ctx: ConnectorContext, url: string, what: string, ref: string): Promise<Result<string>> {
  let res: HttpResponse;
  try {
    res = await ctx.http.request({ method: 'GET', url, headers: { accept: 'application/json' } });
  } catch (err) {
    if (!(err instanceof ProviderUnreachable)) throw err;
    const why = err.reason === 'timeout' ? 'did not answer in time' : 'could not be reached';
    return fail('provider_unreachable', `The acquirer ${why} for the ${what} of order ${ref}.`, { reason: err.reason });
  }
  if (res.status < 200 || res.status > 299) {
    return fail(
      'provider_answer_invalid',
      `The acquirer answered the ${what} of order ${ref} with HTTP ${res.status}.`,
      {
        httpStatus: res.status,
      },
    );
  }
  const status = readStatusBody(res.body);
  if (status === undefined) {
    return fail(
      'provider_answer_invalid',
      `The acquirer answered the ${what} of order ${ref} (HTTP ${res.status}) with a body that is not {"status": "..."}.`,
      {
        httpStatus: res.status,
      },
    );
  }
  return ok(status);
}

function readStatusBody(body: string): string | undefined {
  try {
    const v: unknown = JSON.parse(body);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    const status = (v as Record<string, unknown>).status;
    return typeof status === 'string' && status.length > 0 && status.length <= CALLBACK_FIELD_MAX ? status : undefined;
  } catch {
    return undefined;
  }
}

// ---- reading a callback ------------------------------------------------------------------

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

const malformed = (message: string) => fail('callback_malformed', message);

/** The body's media type, lower case, without parameters. */
function contentType(headers: RawRequest['headers']): string {
  const v = headers?.['content-type'];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? (first.split(';')[0] ?? '').trim().toLowerCase() : '';
}

type BodyKind = 'json' | 'form';

function bodyKind(type: string, text: string): BodyKind {
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  return text.trimStart().startsWith('{') ? 'json' : 'form';
}

/**
 * The three fields, from a JSON body, a urlencoded form body, or (when the body is empty) the
 * query string. Only these forms; a field given twice in a form is ambiguous and refused.
 */
function readCallbackFields(req: RawRequest): Result<CallbackFields> {
  const body = req.body;
  if (!(body instanceof Uint8Array)) return malformed('The callback has no readable body.');
  if (body.length > CALLBACK_BODY_MAX) return malformed(`The callback body is larger than ${CALLBACK_BODY_MAX} bytes.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return malformed('The callback body is not UTF-8 text.');
  }
  if (text.trim() === '') {
    const query = typeof req.rawQuery === 'string' ? req.rawQuery : '';
    if (query.length > CALLBACK_BODY_MAX) return malformed('The callback query string is too long.');
    return fromUrlEncoded(query, 'query string');
  }
  return bodyKind(contentType(req.headers), text) === 'json' ? fromJson(text) : fromUrlEncoded(text, 'form body');
}

function fromJson(text: string): Result<CallbackFields> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return malformed('The callback body is not valid JSON.');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return malformed('The callback body is not a JSON object.');
  const obj = v as Record<string, unknown>;
  const out: Partial<CallbackFields> = {};
  for (const f of FIELDS) {
    const value = Object.prototype.hasOwnProperty.call(obj, f) ? obj[f] : undefined;
    if (typeof value !== 'string') return malformed(`The callback field ${f} is missing or not a string.`);
    const checked = checkField(f, value);
    if (checked) return checked;
    out[f] = value;
  }
  for (const f of OPTIONAL) {
    const value = Object.prototype.hasOwnProperty.call(obj, f) ? obj[f] : undefined;
    if (value === undefined) continue;
    if (typeof value !== 'string' || checkField(f, value))
      return malformed(`The callback field ${f} is not a short string.`);
    out[f] = value;
  }
  return ok(out as CallbackFields);
}

function fromUrlEncoded(text: string, where: string): Result<CallbackFields> {
  const params = new URLSearchParams(text);
  const out: Partial<CallbackFields> = {};
  for (const f of FIELDS) {
    const values = params.getAll(f);
    if (values.length !== 1) {
      return malformed(
        values.length === 0 ? `The callback ${where} has no ${f}.` : `The callback ${where} has ${f} more than once.`,
      );
    }
    const value = values[0] as string;
    const checked = checkField(f, value);
    if (checked) return checked;
    out[f] = value;
  }
  for (const f of OPTIONAL) {
    const values = params.getAll(f);
    if (values.length === 0) continue;
    if (values.length > 1 || checkField(f, values[0] as string))
      return malformed(`The callback ${where} has a bad ${f}.`);
    out[f] = values[0] as string;
  }
  return ok(out as CallbackFields);
}

function checkField(f: string, value: string) {
  if (value.length === 0) return malformed(`The callback field ${f} is empty.`);
  if (value.length > CALLBACK_FIELD_MAX)
    return malformed(`The callback field ${f} is longer than ${CALLBACK_FIELD_MAX} characters.`);
  return undefined;
}

// ---- redacting a callback ----------------------------------------------------------------

const DROPPED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);
const REDACTED = '***';

function redactHeaders(headers: RawRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const key = name.toLowerCase();
    if (DROPPED_HEADERS.has(key) || value === undefined) continue;
    out[key] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  }
  return out;
}

/** Replaces the value of every `hash` in a urlencoded text, keeping the rest exactly as sent. */
function redactUrlEncoded(text: string): string {
  return text
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      const rawKey = eq === -1 ? part : part.slice(0, eq);
      // Decode the key as the parser does (URLSearchParams), so "h%61sh" is caught too.
      const key = [...new URLSearchParams(`${rawKey}=`).keys()][0] ?? '';
      return key.trim().toLowerCase() === 'hash' ? `${rawKey}=${REDACTED}` : part;
    })
    .join('&');
}

function redactBody(req: RawRequest): string {
  const body = req.body;
  if (!(body instanceof Uint8Array) || body.length === 0) return '';
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (body.length <= CALLBACK_BODY_MAX) {
    const kind = bodyKind(contentType(req.headers), text);
    if (kind === 'json') {
      try {
        return JSON.stringify(redactJson(JSON.parse(text)));
      } catch {
        // Not JSON after all: kept below as a scrubbed excerpt.
      }
    } else {
      return redactUrlEncoded(text);
    }
  }
  return scrubText(text.slice(0, REDACTED_TEXT_MAX));
}

function redactJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactJson);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(v as Record<string, unknown>)) {
    out[k] = k.toLowerCase() === 'hash' ? REDACTED : redactJson(value);
  }
  return out;
}

/** Best effort for text that would not parse: anything that looks like a hash field or a hex signature. */
function scrubText(text: string): string {
  return text
    .replace(/("hash"\s*:\s*")[^"]*"?/gi, `$1${REDACTED}"`)
    .replace(/(hash=)[^&\s]*/gi, `$1${REDACTED}`)
    .replace(/[0-9a-f]{32}/gi, REDACTED);
}
