// YooKassa's notifications carry no signature: one is taken only from the addresses on the
// method's list (the socket's peer; no forwarding header is trusted), and only as a trigger:
// what Settle applies is its own GET of the payment. Never throws.
import { fail, ok, type Result } from '../../domain/result.js';
import type { ProviderNotice } from '../../domain/provider-notice.js';
import type { RawRequest } from '../../ports/connector.js';
import type { YooKassaSettings } from './settings.js';
import { isAllowed, isPaymentId } from './wire.js';

export const NOTIFICATION_BODY_MAX = 64 * 1024;
const EVENT = /^(payment|refund)\.[a-z_]{1,40}$/;

const malformed = (message: string) => fail('callback_malformed', message);

export function parseNotification(s: YooKassaSettings, req: RawRequest): Result<ProviderNotice> {
  try {
    if (!isAllowed(s.notificationIps, req.remoteAddress))
      return fail(
        'callback_signature_invalid',
        'The notification does not come from an address on the notification_ips list.',
      );
    return read(req);
  } catch {
    return malformed('The notification could not be read.');
  }
}

function read(req: RawRequest): Result<ProviderNotice> {
  if (req.method !== 'POST') return malformed('YooKassa posts its notifications; this request is not a POST.');
  if (!(req.body instanceof Uint8Array) || req.body.length === 0) return malformed('The notification has no body.');
  if (req.body.length > NOTIFICATION_BODY_MAX)
    return malformed(`The notification is larger than ${NOTIFICATION_BODY_MAX} bytes.`);
  let n: unknown;
  try {
    n = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(req.body));
  } catch {
    return malformed('The notification is not JSON.');
  }
  const f = (typeof n === 'object' && n !== null && !Array.isArray(n) ? n : {}) as Record<string, unknown>;
  const event = f.event;
  const object = (typeof f.object === 'object' && f.object !== null ? f.object : {}) as Record<string, unknown>;
  if (f.type !== 'notification' || typeof event !== 'string' || !EVENT.test(event))
    return malformed('The body is not a YooKassa notification of a payment or refund event.');
  // A payment's id is the object's own; a refund names its payment.
  const paymentId = event.startsWith('refund.') ? object.payment_id : object.id;
  if (!isPaymentId(paymentId)) return malformed('The notification names no payment id YooKassa gives.');
  return ok({ kind: 'trigger', providerRef: paymentId, providerStatus: event, verified: true });
}
