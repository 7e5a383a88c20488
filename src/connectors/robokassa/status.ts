// OpStateExt, Robokassa's XML status service: GET with MerchantLogin, InvoiceID and a Signature
// over them with Password #2, answered OperationStateResponse {Result/Code, State/Code, Info/OutSum}.
import { XMLParser } from 'fast-xml-parser';
import type { Result } from '../../domain/result.js';
import type { ProviderEvent } from '../../domain/provider-event.js';
import type { ConnectorContext, PaymentRef } from '../../ports/connector.js';
import type { CallFailure } from '../../ports/provider-failure.js';
import { callProvider, type Reading } from '../kit/provider-call.js';
import type { RobokassaSettings } from './settings.js';
import { readOutSum, stateSignature, stateStatus } from './wire.js';

// Numbers stay text: OutSum is read exactly, never through floating point.
const xml = new XMLParser({ parseTagValue: false, ignoreAttributes: true, processEntities: false });

/** Result/Code 3: Robokassa knows no such invoice (the customer never opened the payment page). */
const UNKNOWN_INVOICE = '3';

export function checkState(
  ctx: ConnectorContext,
  s: RobokassaSettings,
  input: PaymentRef,
): Promise<Result<ProviderEvent, CallFailure>> {
  const invId = input.providerRef;
  const query = new URLSearchParams({
    MerchantLogin: s.merchantLogin,
    InvoiceID: invId,
    Signature: stateSignature(s.hashAlgorithm, s.merchantLogin, invId, s.password2.reveal()),
  });
  return callProvider(ctx.http, {
    request: { method: 'GET', url: `${s.apiBaseUrl}/OpStateExt?${query.toString()}`, headers: {} },
    provider: 'Robokassa',
    what: `status check of invoice ${invId}`,
    read: (res) => readState(res.body, input),
  });
}

export function readState(body: string, input: PaymentRef): Reading<ProviderEvent> {
  let doc: unknown;
  try {
    doc = xml.parse(body);
  } catch {
    return { kind: 'unreadable', what: 'a body that is not XML' };
  }
  const r = (doc as { OperationStateResponse?: Record<string, unknown> }).OperationStateResponse;
  if (!r) return { kind: 'unreadable', what: 'no OperationStateResponse' };
  const result = (r.Result ?? {}) as Record<string, unknown>;
  const code = String(result.Code ?? '');
  if (code === UNKNOWN_INVOICE)
    return {
      kind: 'answer',
      value: { providerRef: input.providerRef, status: null, providerStatus: 'invoice not found' },
    };
  if (code !== '0') {
    const said = typeof result.Description === 'string' ? result.Description.slice(0, 200) : 'no description';
    return { kind: 'refused', message: `Robokassa refused the status check: ${said} (Result ${code.slice(0, 10)}).` };
  }
  const stateCode = String(((r.State ?? {}) as Record<string, unknown>).Code ?? '');
  if (!/^\d{1,4}$/.test(stateCode)) return { kind: 'unreadable', what: 'no State/Code' };
  const info = (r.Info ?? {}) as Record<string, unknown>;
  const outSum = typeof info.OutSum === 'string' ? readOutSum(info.OutSum) : -1;
  return {
    kind: 'answer',
    value: {
      providerRef: input.providerRef,
      status: stateStatus(Number(stateCode)),
      providerStatus: `state ${stateCode}`,
      ...(outSum >= 0 && { amount: outSum, currency: 'RUB' }),
    },
  };
}
