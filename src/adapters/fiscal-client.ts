import { fail, ok, type Result } from '../domain/result.js';
import type { Secret } from '../domain/secret.js';
import type { HttpClient, HttpResponse } from '../ports/http-client.js';
import type { FiscalService, IssuedReceipt, ReceiptRequest } from '../ports/fiscal.js';
import { ProviderUnreachable } from '../ports/http-client.js';

const REASON_MAX = 300;
const REF_MAX = 256;
const CODE_MAX = 64;

export interface FiscalClientOptions {
  /** The service's API root, under which `/api/v1/receipts` lives (the sandbox's URL, or its mount). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`. */
  token?: Secret;
  http: HttpClient;
}

/**
 * A FiscalService over the receipt-registration API the fiscal sandbox plays (see
 * fiscal-sandbox.md). The receipt id is the service's `external_id`, so a resend after a crash
 * returns the receipt already registered. Throws only here, for a base URL that is not an
 * http(s) URL, and without echoing it.
 */
export function createFiscalClient(opts: FiscalClientOptions): FiscalService {
  const base = parseBaseUrl(opts.baseUrl);
  // Origin only: the rest of a URL may carry a tenant or a token.
  const origin = new URL(base).origin;
  const token = opts.token?.reveal();
  const unavailable = (why: string, details: Record<string, unknown>) =>
    fail('fiscal_unavailable', `The fiscal service at ${origin} ${why}.`, details);

  return {
    async issue(receipt: ReceiptRequest): Promise<Result<IssuedReceipt>> {
      let res: HttpResponse;
      try {
        res = await opts.http.request({
          method: 'POST',
          url: `${base}/api/v1/receipts`,
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            ...(token !== undefined && { authorization: `Bearer ${token}` }),
          },
          body: JSON.stringify(wireReceipt(receipt)),
        });
      } catch (err) {
        if (err instanceof ProviderUnreachable) {
          const why =
            err.reason === 'timeout'
              ? 'did not answer in time'
              : `could not be reached${err.code ? ` (${err.code})` : ''}`;
          return unavailable(why, { reason: err.reason });
        }
        // The port promises no throw; another client's error text may hold the URL, so only its name.
        return unavailable(`could not be called (${err instanceof Error ? err.name : 'error'})`, {
          reason: 'client_error',
        });
      }
      const { status } = res;
      // A refused token is a setting an operator fixes: keep the receipt queued until then.
      if (status === 401) {
        return fail(
          'fiscal_unavailable',
          `The fiscal service at ${origin} refused the API token (HTTP 401); check the fiscal settings.`,
          { httpStatus: status },
        );
      }
      if (status === 408 || status === 429 || status >= 500)
        return unavailable(`answered HTTP ${status}`, { httpStatus: status });
      if (status >= 400) {
        // The port's promise: the message is the service's own reason, which a person acts on.
        const { reason, code } = serviceError(res.body, token);
        return fail(
          'fiscal_rejected',
          reason ?? `The fiscal service at ${origin} refused the receipt (HTTP ${status}).`,
          {
            httpStatus: status,
            ...(code !== undefined && { serviceCode: code }),
          },
        );
      }
      const issued = status >= 200 && status < 300 ? readIssued(res.body, receipt.id) : undefined;
      if (!issued) return unavailable(`answered HTTP ${status} without a receipt it issued`, { httpStatus: status });
      return ok(issued);
    },
  };
}

function parseBaseUrl(s: string): string {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new TypeError('The fiscal service URL is not a valid URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new TypeError('The fiscal service URL must be an http(s) URL');
  if (u.search || u.hash) throw new TypeError('The fiscal service URL must have no query string or fragment');
  return u.href.replace(/\/+$/, '');
}

function wireReceipt(r: ReceiptRequest) {
  return {
    external_id: r.id,
    kind: r.kind,
    order_reference: r.orderReference,
    currency: r.currency,
    total: r.total,
    items: r.items.map((i) => ({ name: i.name, quantity: i.quantity, amount: i.amount })),
    ...(r.customerEmail !== undefined && { customer_email: r.customerEmail }),
  };
}

function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isRef = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= REF_MAX;

/** The issued receipt, when the answer is one for this receipt. */
function readIssued(body: string, externalId: string): IssuedReceipt | undefined {
  const v = parseObject(body);
  if (!v || v.status !== 'issued' || v.external_id !== externalId || !isRef(v.id) || !isRef(v.fiscal_number))
    return undefined;
  return { providerRef: v.id, fiscalNumber: v.fiscal_number };
}

/** The service's `{error: {code, message}}`, each on one line, short, with the token blanked should the service echo it. */
function serviceError(body: string, token: string | undefined): { reason?: string; code?: string } {
  const e = parseObject(body)?.error;
  const fields = typeof e === 'object' && e !== null ? (e as Record<string, unknown>) : {};
  const clean = (v: unknown, max: number): string | undefined => {
    if (typeof v !== 'string') return undefined;
    let text = v.replace(/[\p{Cc}\s]+/gu, ' ').trim();
    if (token) text = text.split(token).join('***');
    if (text.length > max) text = `${text.slice(0, max - 1)}…`;
    return text || undefined;
  };
  return { reason: clean(fields.message, REASON_MAX), code: clean(fields.code, CODE_MAX) };
}
