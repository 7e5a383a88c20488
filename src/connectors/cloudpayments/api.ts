// One call to CloudPayments' API: a JSON POST with HTTP Basic (Public ID : API secret),
// answered {Success, Message, Model}. `requestId` goes as X-Request-ID, CloudPayments'
// idempotency header: a request sent again with it is not carried out twice.
import type { Result } from '../../domain/result.js';
import type { ConnectorContext } from '../../ports/connector.js';
import type { CallFailure } from '../../ports/provider-failure.js';
import { callProvider, type Reading } from '../kit/provider-call.js';
import type { CloudPaymentsSettings } from './settings.js';

export type CloudPaymentsAnswer = { Success: boolean; Message?: unknown; Model?: unknown };

export async function callCloudPayments<T>(
  ctx: ConnectorContext,
  s: CloudPaymentsSettings,
  call: { path: string; body: string; requestId?: string; what: string },
  read: (a: CloudPaymentsAnswer) => Reading<T>,
): Promise<Result<T, CallFailure>> {
  const auth = Buffer.from(`${s.publicId}:${s.apiSecret.reveal()}`, 'utf8').toString('base64');
  return callProvider(ctx.http, {
    request: {
      method: 'POST',
      url: `${s.apiBaseUrl}${call.path}`,
      headers: {
        authorization: `Basic ${auth}`,
        'content-type': 'application/json',
        ...(call.requestId && { 'x-request-id': call.requestId }),
      },
      body: call.body,
    },
    provider: 'CloudPayments',
    what: call.what,
    read(res): Reading<T> {
      let a: unknown;
      try {
        a = JSON.parse(res.body);
      } catch {
        return { kind: 'unreadable', what: 'a body that is not JSON' };
      }
      if (typeof a !== 'object' || a === null || typeof (a as { Success?: unknown }).Success !== 'boolean')
        return { kind: 'unreadable', what: 'no Success' };
      return read(a as CloudPaymentsAnswer);
    },
  });
}

export const messageOf = (a: CloudPaymentsAnswer) =>
  typeof a.Message === 'string' && a.Message ? a.Message.slice(0, 200) : 'no message';
