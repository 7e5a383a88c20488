import { formatDecimal, parseDecimal } from '../../domain/money.js';
import { fail, ok, type Result } from '../../domain/result.js';
import { field } from '../render.js';

// Reading the order page's forms with the same limits as the API's JSON schemas. A bad field is
// an invalid_request (400) before any use case runs, so nothing changes.

const MAX_MINOR = Number.MAX_SAFE_INTEGER;

/** A required text field, trimmed, at most `max` characters. */
export function textOf(body: unknown, name: string, label: string, max = 500): Result<string> {
  const v = field(body, name)?.trim();
  if (!v) return fail('invalid_request', `${label} is required.`);
  if (v.length > max) return fail('invalid_request', `${label} is longer than ${max} characters.`);
  return ok(v);
}

/** An optional text field: empty reads as undefined. */
export function optionalTextOf(body: unknown, name: string, label: string, max: number): Result<string | undefined> {
  const v = field(body, name)?.trim();
  if (!v) return ok(undefined);
  return v.length > max ? fail('invalid_request', `${label} is longer than ${max} characters.`) : ok(v);
}

/**
 * A decimal amount ("12.50") in the order's currency, as minor units. `signed` allows a minus
 * (an adjustment's change); otherwise it must be above zero. Empty is undefined unless required.
 */
export function amountOf(
  body: unknown,
  name: string,
  currency: string,
  opts: { required: boolean; signed?: boolean },
): Result<number | undefined> {
  const text = field(body, name)?.trim() ?? '';
  if (text === '') return opts.required ? fail('invalid_request', 'Give an amount, for example 12.50.') : ok(undefined);
  const minor = text.length <= 30 ? parseDecimal(text, currency) : undefined;
  const example = formatDecimal(1250, currency);
  if (minor === undefined || Math.abs(minor) > MAX_MINOR) {
    return fail('invalid_request', `The amount is not a decimal in ${currency} with a point (for example ${example}).`);
  }
  if (opts.signed ? minor === 0 : minor <= 0)
    return fail('invalid_request', opts.signed ? 'The change must not be zero.' : 'The amount must be more than zero.');
  return ok(minor);
}

/** A positive whole number (a quantity, hours). Empty is undefined. */
export function countOf(body: unknown, name: string, label: string, max: number): Result<number | undefined> {
  const text = field(body, name)?.trim() ?? '';
  if (text === '') return ok(undefined);
  const n = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max)
    return fail('invalid_request', `${label} must be a whole number from 1 to ${max}.`);
  return ok(n);
}

/**
 * An instant from a datetime-local field (read as UTC, as the form says) or a full ISO time.
 * Empty is undefined.
 */
export function instantOf(body: unknown, name: string, label: string): Result<string | undefined> {
  const text = field(body, name)?.trim() ?? '';
  if (text === '') return ok(undefined);
  const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(text);
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.test(text);
  const ms = local ? Date.parse(`${text}Z`) : iso ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) return fail('invalid_request', `${label} is not a date and time.`);
  return ok(new Date(ms).toISOString());
}

/** Ids in the path are never longer than the API allows; a longer one names nothing. */
export const plausibleId = (id: string): boolean => id.length > 0 && id.length <= 100;

/**
 * What the order page may say after an action. Fixed texts chosen by key: request text is never
 * reflected as a notice.
 */
export const NOTICES = {
  checked: 'Checked at the acquirer: the payment moved. See the timeline.',
  checked_unchanged: 'Checked at the acquirer: nothing changed. The check is on the timeline.',
  canceled: 'The order was canceled.',
  refunded: 'The refund was paid by the acquirer.',
  refund_requested: 'The refund was sent; the acquirer has not answered yet. Settle settles it later.',
  captured: 'The held payment was taken: the provider reports it paid.',
  refund_pending: 'The acquirer accepted the refund and has not finished it yet. Settle checks it later.',
  refund_manual: 'The refund was recorded. The acquirer has no refund call: pay it out by hand, then confirm it here.',
  refund_failed: 'The acquirer refused the refund; a task was opened.',
  refund_confirmed: 'The refund was confirmed as paid out by hand.',
  adjusted: 'The amount was adjusted. If the customer now owes more and no link could be made, a task says so.',
  adjusted_refund: 'The amount was adjusted; the difference is refunded (see Refunds).',
  link_revoked: 'The payment link was revoked.',
  shipment_started: 'The shipment was started.',
  delivery_recorded: 'The delivery event was recorded.',
  delivery_unchanged: 'Nothing new: the shipment already had that status.',
  approved: 'The order was approved in review.',
  rejected: 'The order was rejected in review: its payments are refunded and it is canceled.',
} as const;
export type NoticeKey = keyof typeof NOTICES;

export function noticeText(key: unknown): string | undefined {
  return typeof key === 'string' && Object.hasOwn(NOTICES, key) ? NOTICES[key as NoticeKey] : undefined;
}
