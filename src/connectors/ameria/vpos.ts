// The vPOS REST calls Settle makes, each one POST of JSON to {api_base_url}/api/VPOS/{Operation}
// through the kit's one provider-call helper. Messages name the operation and the OrderID, never
// the URL or the body (it carries the password).
import { ok, type Result } from '../../domain/result.js';
import type { ConnectorContext, PaymentRef } from '../../ports/connector.js';
import { notSent, type CallFailure } from '../../ports/provider-failure.js';
import { callProvider, type Reading } from '../kit/provider-call.js';
import { readDetails, type PaymentDetails } from './details.js';
import type { AmeriaSettings } from './settings.js';
import { isPaymentId, isSuccessCode, jsonObject, messageText, responseCodeText } from './wire.js';

export type Operation = 'InitPayment' | 'GetPaymentDetails' | 'ConfirmPayment' | 'CancelPayment' | 'RefundPayment';

const PROVIDER = 'Ameriabank';

/** Sends one operation and reads its JSON object answer with `read`. */
export function callVpos<T>(
  ctx: ConnectorContext,
  s: AmeriaSettings,
  op: Operation,
  fields: Record<string, unknown>,
  what: string,
  read: (body: Record<string, unknown> | undefined) => Reading<T>,
): Promise<Result<T, CallFailure>> {
  return callProvider(ctx.http, {
    request: {
      method: 'POST',
      url: `${s.apiBaseUrl}/api/VPOS/${op}`,
      headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
      // The password is revealed here and only here, into the request body.
      body: JSON.stringify({ ...fields, Username: s.username, Password: s.password.reveal() }),
    },
    provider: PROVIDER,
    what,
    read: (res) => read(jsonObject(res.body)),
  });
}

/** The bank's PaymentID of a payment, or why the call cannot be made (it never started). */
export function paymentIdOf(p: PaymentRef): Result<string, CallFailure> {
  const id = p.providerPaymentId;
  if (!isPaymentId(id)) {
    return notSent(
      'reference_invalid',
      `Payment ${p.providerRef} has no Ameriabank PaymentID (it never started at the bank).`,
    );
  }
  return ok(id);
}

/** GetPaymentDetails of one payment, read (see details.ts). */
export async function getDetails(
  ctx: ConnectorContext,
  s: AmeriaSettings,
  p: PaymentRef,
): Promise<Result<PaymentDetails, CallFailure>> {
  const id = paymentIdOf(p);
  if (!id.ok) return id;
  return callVpos(
    ctx,
    s,
    'GetPaymentDetails',
    { PaymentID: id.value },
    `status check of payment ${p.providerRef}`,
    (b) => readDetails(b, p.providerRef),
  );
}

/**
 * A call that answers `{ResponseCode, ResponseMessage}` (ConfirmPayment, CancelPayment,
 * RefundPayment): "00" is done, any other code is the bank's refusal, with its code and message.
 */
export function callOperation(
  ctx: ConnectorContext,
  s: AmeriaSettings,
  op: 'ConfirmPayment' | 'CancelPayment' | 'RefundPayment',
  fields: Record<string, unknown>,
  what: string,
): Promise<Result<void, CallFailure>> {
  return callVpos(ctx, s, op, fields, what, (body): Reading<void> => {
    const code = responseCodeText(body?.ResponseCode);
    if (!body || code === undefined) return { kind: 'unreadable', what: 'a body without a ResponseCode' };
    if (isSuccessCode(body.ResponseCode)) return { kind: 'answer', value: undefined };
    const said = messageText(body.ResponseMessage);
    return {
      kind: 'refused',
      message: `Ameriabank refused the ${what}: ResponseCode ${code}${said ? ` (${said})` : ''}.`,
      details: { errorCode: code, ...(said && { responseMessage: said }) },
    };
  });
}
