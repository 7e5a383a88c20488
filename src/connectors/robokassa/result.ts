// ResultURL: Robokassa's server-to-server notice of a paid invoice, GET or POST (form), signed
// with Password #2 over OutSum, InvId and any Shp_ fields as received. Never throws.
import { fail, ok, type Result } from '../../domain/result.js';
import type { ProviderNotice } from '../../domain/provider-notice.js';
import type { RawRequest } from '../../ports/connector.js';
import type { RobokassaSettings } from './settings.js';
import { isInvId, readOutSum, resultSignature, signatureMatches } from './wire.js';

export const RESULT_BODY_MAX = 64 * 1024;
const FIELD_MAX = 512;
const malformed = (message: string) => fail('callback_malformed', message);

/** The request's fields: the form body, or the query string of a bodiless GET; a field given twice is refused. */
export function requestFields(req: RawRequest): Record<string, string> | string {
  if (!(req.body instanceof Uint8Array)) return 'The request has no readable body.';
  if (req.body.length > RESULT_BODY_MAX || req.rawQuery.length > RESULT_BODY_MAX) return 'The request is too large.';
  const text = req.body.length > 0 ? Buffer.from(req.body).toString('utf8') : req.rawQuery;
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    if (k in out) return `The field ${k.slice(0, 40)} is given twice.`;
    if (v.length > FIELD_MAX) return `The field ${k.slice(0, 40)} is too long.`;
    out[k] = v;
  }
  return out;
}

export function parseResult(s: RobokassaSettings, req: RawRequest): Result<ProviderNotice> {
  try {
    const f = requestFields(req);
    if (typeof f === 'string') return malformed(f);
    const { OutSum: outSum, InvId: invId, SignatureValue: signature } = f;
    if (outSum === undefined || invId === undefined || signature === undefined)
      return malformed('ResultURL needs OutSum, InvId and SignatureValue.');
    const shp = Object.fromEntries(Object.entries(f).filter(([k]) => k.startsWith('Shp_')));
    const expected = resultSignature(s.hashAlgorithm, { outSum, invId, password2: s.password2.reveal(), shp });
    if (!signatureMatches(signature, expected))
      return fail('callback_signature_invalid', 'The ResultURL SignatureValue does not match (Password #2).');
    if (!isInvId(invId)) return malformed('InvId is not a number Settle hands out.');
    // Robokassa calls ResultURL once the invoice is paid: the signed sum is compared with the attempt.
    return ok({
      kind: 'payment',
      event: {
        providerRef: invId,
        status: 'succeeded',
        providerStatus: 'result',
        errorCode: null,
        amount: readOutSum(outSum),
        currency: 'RUB',
      },
    });
  } catch {
    return malformed('The ResultURL request could not be read.');
  }
}
