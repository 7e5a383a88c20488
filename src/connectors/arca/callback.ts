// A BPC callback: GET query or form POST with mdOrder, orderNumber, operation, status and extras,
// and a checksum over all of them when the merchant has a key. It only ever says "look at this
// order": Settle asks getOrderStatusExtended.do and applies that. Never throws.
import type { ProviderNotice } from '../../domain/provider-notice.js';
import { fail, ok, type Result } from '../../domain/result.js';
import type { RawRequest } from '../../ports/connector.js';
import { bodyKind } from '../kit/fields.js';
import { checksumText, hmacMatches, rsaMatches } from './checksum.js';
import type { ArcaSettings } from './settings.js';
import { isMdOrder } from './wire.js';

export const CALLBACK_BODY_MAX = 64 * 1024;
const PARAMS_MAX = 100;
const NAME_MAX = 64;
const VALUE_MAX = 2048;
/** An RSA-4096 checksum is 1024 hex digits. */
const CHECKSUM_MAX = 1024;
const TOKEN = /^[A-Za-z0-9_.-]{1,64}$/;

const malformed = (message: string) => fail('callback_malformed', message);

/** Reads, verifies and turns one callback into a trigger notice; a failure for anything else. */
export function parseArcaCallback(s: ArcaSettings, req: RawRequest): Result<ProviderNotice> {
  try {
    const read = readParams(req);
    if (!read.ok) return read;
    const params = read.value;
    const one = (name: string) => params.find(([n]) => n === name)?.[1];
    const mdOrder = one('mdOrder');
    const operation = one('operation');
    const status = one('status');
    if (mdOrder === undefined || !isMdOrder(mdOrder))
      return malformed('The callback has no mdOrder, or one that is not an ArCa order id.');
    if (operation === undefined || !TOKEN.test(operation)) return malformed('The callback has no readable operation.');
    if (status === undefined || !TOKEN.test(status)) return malformed('The callback has no readable status.');

    const keyed = s.callbackHmacKey !== undefined || s.callbackPublicKey !== undefined;
    if (keyed) {
      const checksum = one('checksum');
      if (checksum === undefined || checksum.length > CHECKSUM_MAX)
        return fail('callback_signature_invalid', `The callback for ArCa order ${mdOrder} carries no checksum.`);
      const text = checksumText(params);
      const valid =
        (s.callbackHmacKey !== undefined && hmacMatches(s.callbackHmacKey, text, checksum)) ||
        (s.callbackPublicKey !== undefined && rsaMatches(s.callbackPublicKey, text, checksum));
      if (!valid) {
        return fail(
          'callback_signature_invalid',
          `The checksum of the callback for ArCa order ${mdOrder} does not verify with this merchant's key.`,
        );
      }
    }
    return ok({ kind: 'trigger', providerRef: mdOrder, providerStatus: `${operation}:${status}`, verified: keyed });
  } catch {
    // Nothing above should throw; this keeps the port's promise for inputs no one foresaw.
    return malformed('The callback could not be read.');
  }
}

/**
 * Every parameter, in order, from a form body or (when the body is empty) the query string. A
 * name given twice is refused: the checksum would not say which value it covers.
 */
export function readParams(req: RawRequest): Result<[string, string][]> {
  const body = req.body;
  if (!(body instanceof Uint8Array)) return malformed('The callback has no readable body.');
  if (body.length > CALLBACK_BODY_MAX) return malformed(`The callback body is larger than ${CALLBACK_BODY_MAX} bytes.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return malformed('The callback body is not UTF-8 text.');
  }
  let source = text;
  if (text.trim() === '') {
    source = typeof req.rawQuery === 'string' ? req.rawQuery : '';
    if (source.length > CALLBACK_BODY_MAX) return malformed('The callback query string is too long.');
  } else if (bodyKind(req.headers, text) === 'json') {
    return malformed('The callback body is JSON; ArCa sends parameters (a query string or a form).');
  }
  const params = [...new URLSearchParams(source)];
  if (params.length === 0) return malformed('The callback has no parameters.');
  if (params.length > PARAMS_MAX) return malformed(`The callback has more than ${PARAMS_MAX} parameters.`);
  const seen = new Set<string>();
  for (const [name, value] of params) {
    if (name.length === 0 || name.length > NAME_MAX)
      return malformed('The callback has a parameter without a short name.');
    if (value.length > VALUE_MAX) return malformed(`The callback parameter ${name} is too long.`);
    if (seen.has(name)) return malformed(`The callback has ${name} more than once.`);
    seen.add(name);
  }
  return ok(params);
}
