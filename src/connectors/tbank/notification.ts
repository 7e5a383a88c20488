// T-Bank's notification: a JSON POST to NotificationURL, signed by Token over its root-level
// scalar fields. Verified (TerminalKey, Token) before anything in it is used; never throws.
import { fail, ok, type Result } from '../../domain/result.js';
import type { ProviderNotice } from '../../domain/provider-notice.js';
import type { RawRequest } from '../../ports/connector.js';
import type { TBankSettings } from './settings.js';
import { isOrderId, readAmount, readPaymentId, statusMeaning, tbankToken, tokenMatches } from './wire.js';

export const NOTIFICATION_BODY_MAX = 64 * 1024;
const STATUS = /^[A-Z0-9_]{1,40}$/;

const malformed = (message: string) => fail('callback_malformed', message);

export function parseNotification(s: TBankSettings, req: RawRequest): Result<ProviderNotice> {
  try {
    return parse(s, req);
  } catch {
    return malformed('The notification could not be read.');
  }
}

function parse(s: TBankSettings, req: RawRequest): Result<ProviderNotice> {
  if (req.method !== 'POST') return malformed('T-Bank posts its notifications; this request is not a POST.');
  if (!(req.body instanceof Uint8Array) || req.body.length === 0) return malformed('The notification has no body.');
  if (req.body.length > NOTIFICATION_BODY_MAX)
    return malformed(`The notification is larger than ${NOTIFICATION_BODY_MAX} bytes.`);
  let n: unknown;
  try {
    n = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(req.body));
  } catch {
    return malformed('The notification is not JSON.');
  }
  if (typeof n !== 'object' || n === null || Array.isArray(n))
    return malformed('The notification is not a JSON object.');
  const f = n as Record<string, unknown>;
  // Verification first: the terminal, then the Token over every root-level scalar as received.
  if (f.TerminalKey !== s.terminalKey)
    return fail('callback_signature_invalid', 'The notification is for another TerminalKey.');
  const expected = tbankToken(f, s.password.reveal());
  if (expected === null) return malformed('The notification has a number that cannot be signed exactly.');
  if (!tokenMatches(f.Token, expected))
    return fail('callback_signature_invalid', 'The notification Token does not match.');

  const { OrderId, Status } = f;
  if (typeof OrderId !== 'string' || !isOrderId(OrderId))
    return malformed('The notification has no OrderId Settle sends.');
  if (typeof Status !== 'string' || !STATUS.test(Status)) return malformed('The notification has no readable Status.');
  const paymentId = readPaymentId(f.PaymentId);
  const errorCode = typeof f.ErrorCode === 'string' && f.ErrorCode !== '0' ? f.ErrorCode.slice(0, 40) : null;
  const meaning = statusMeaning(Status);
  if (meaning.kind === 'trigger')
    return ok({ kind: 'trigger', providerRef: OrderId, providerStatus: Status, verified: true });
  return ok({
    kind: 'payment',
    event: {
      providerRef: OrderId,
      status: meaning.status,
      providerStatus: Status,
      errorCode,
      // Signed: Settle compares them with the attempt. The notification has no currency: the terminal's, RUB.
      amount: readAmount(f.Amount),
      currency: 'RUB',
      ...(paymentId && { providerPaymentId: paymentId }),
    },
  });
}
