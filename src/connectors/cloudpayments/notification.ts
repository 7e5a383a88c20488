// CloudPayments' notifications: each kind posted to its own address, form-encoded or JSON,
// signed by Content-HMAC (base64 HMAC-SHA256 of the raw body bytes with the API secret) or
// X-Content-HMAC (the same over the URL-decoded body). Verified before anything is parsed.
import { fail, ok, type Result } from '../../domain/result.js';
import type { ProviderNotice } from '../../domain/provider-notice.js';
import type { RawRequest } from '../../ports/connector.js';
import { bodyKind } from '../kit/fields.js';
import type { CloudPaymentsSettings } from './settings.js';
import {
  hmacMatches,
  hmacOf,
  isInvoiceId,
  NOTICE_KINDS,
  readAmount,
  transactionStatus,
  type NoticeKind,
} from './wire.js';

export const NOTIFICATION_BODY_MAX = 64 * 1024;
const FIELD_MAX = 256;

const malformed = (message: string) => fail('callback_malformed', message);
const header = (req: RawRequest, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export function parseNotification(s: CloudPaymentsSettings, req: RawRequest): Result<ProviderNotice> {
  try {
    return parse(s, req);
  } catch {
    return malformed('The notification could not be read.');
  }
}

function parse(s: CloudPaymentsSettings, req: RawRequest): Result<ProviderNotice> {
  const kind = req.subpath as NoticeKind | undefined;
  if (!kind || !NOTICE_KINDS.includes(kind))
    return malformed(
      'CloudPayments posts each notice to its own address: /callbacks/{method}/{check|pay|fail|confirm|refund|cancel}.',
    );
  if (!(req.body instanceof Uint8Array) || req.body.length === 0) return malformed('The notification has no body.');
  if (req.body.length > NOTIFICATION_BODY_MAX)
    return malformed(`The notification is larger than ${NOTIFICATION_BODY_MAX} bytes.`);
  // The signature first, over the bytes as they came.
  const secret = s.apiSecret.reveal();
  const raw = Buffer.from(req.body);
  const text = raw.toString('utf8');
  const overRaw = hmacMatches(header(req, 'content-hmac'), hmacOf(secret, raw));
  const overDecoded = !overRaw && hmacMatches(header(req, 'x-content-hmac'), hmacOf(secret, decoded(text)));
  if (!overRaw && !overDecoded) return fail('callback_signature_invalid', 'The notification HMAC does not match.');

  const f = fieldsOf(req, text);
  if (typeof f === 'string') return malformed(f);
  const invoice = f.InvoiceId;
  const currency = typeof f.Currency === 'string' && /^[A-Z]{3}$/.test(f.Currency) ? f.Currency : undefined;
  const transactionId =
    typeof f.TransactionId === 'string' && /^\d{1,20}$/.test(f.TransactionId) ? f.TransactionId : undefined;
  if (kind === 'refund') {
    // A refund names the payment it returns money from; the attempt stays paid.
    const ref = isInvoiceId(invoice) ? invoice : f.PaymentTransactionId;
    if (typeof ref !== 'string' || !ref) return malformed('The refund notice names no invoice or payment.');
    return ok({ kind: 'trigger', providerRef: ref, providerStatus: 'refund', verified: true });
  }
  if (!isInvoiceId(invoice)) return malformed('The notification has no InvoiceId Settle sends.');
  if (!currency) return malformed('The notification has no readable Currency.');
  const amount = readAmount(f.Amount, currency);
  if (kind === 'check')
    return ok({ kind: 'question', providerRef: invoice, providerStatus: 'check', amount, currency });
  const status =
    kind === 'pay'
      ? transactionStatus(f.Status)
      : kind === 'fail'
        ? 'failed'
        : kind === 'confirm'
          ? 'succeeded'
          : 'canceled';
  const errorCode = kind === 'fail' && typeof f.ReasonCode === 'string' ? f.ReasonCode.slice(0, 20) : null;
  return ok({
    kind: 'payment',
    event: {
      providerRef: invoice,
      status,
      providerStatus: kind === 'pay' && typeof f.Status === 'string' ? `pay: ${f.Status.slice(0, 40)}` : kind,
      errorCode,
      amount,
      currency,
      ...(transactionId && { providerPaymentId: transactionId }),
    },
  });
}

/** The body with %-escapes and "+" decoded, as X-Content-HMAC is computed over it. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** The fields as strings (JSON numbers by their text); a field given twice in a form is refused. */
function fieldsOf(req: RawRequest, text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  if (bodyKind(req.headers, text) === 'json') {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      return 'The notification is not JSON.';
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'The notification is not a JSON object.';
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string' && x.length <= FIELD_MAX) out[k] = x;
      else if (typeof x === 'number' && Number.isFinite(x)) out[k] = String(x);
    }
    return out;
  }
  for (const [k, x] of new URLSearchParams(text)) {
    if (k in out) return `The field ${k.slice(0, 40)} is given twice.`;
    if (x.length <= FIELD_MAX) out[k] = x;
  }
  return out;
}
