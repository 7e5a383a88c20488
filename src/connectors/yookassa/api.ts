// One call to YooKassa's API: HTTP Basic (shopId:secretKey), JSON, and an Idempotence-Key on
// every POST (the same key and body answer the same, so a call with no answer is sent again as
// it was). Errors are {type: "error", code, description}.
import type { Result } from '../../domain/result.js';
import type { ConnectorContext } from '../../ports/connector.js';
import type { CallFailure } from '../../ports/provider-failure.js';
import { callProvider, type Reading } from '../kit/provider-call.js';
import type { YooKassaSettings } from './settings.js';

const TEXT_MAX = 200;
export type YooKassaObject = Record<string, unknown>;

const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, TEXT_MAX) : '');

export async function callYooKassa<T>(
  ctx: ConnectorContext,
  s: YooKassaSettings,
  call: { method: 'GET' | 'POST'; path: string; body?: object; idempotenceKey?: string; what: string },
  read: (o: YooKassaObject) => Reading<T>,
): Promise<Result<T, CallFailure>> {
  const auth = Buffer.from(`${s.shopId}:${s.secretKey.reveal()}`, 'utf8').toString('base64');
  return callProvider(ctx.http, {
    request: {
      method: call.method,
      url: `${s.apiBaseUrl}${call.path}`,
      headers: {
        authorization: `Basic ${auth}`,
        ...(call.body && { 'content-type': 'application/json' }),
        ...(call.idempotenceKey && { 'idempotence-key': call.idempotenceKey }),
      },
      ...(call.body && { body: JSON.stringify(call.body) }),
    },
    provider: 'YooKassa',
    what: call.what,
    // 4xx carry YooKassa's error object: a refusal (but 429, "too many requests", is no answer). 202 means "still processing, ask again with
    // the same key": no answer yet (read as unreadable, of unknown outcome).
    reads: (status) => status === 200 || (status >= 400 && status < 500 && status !== 429),
    read(res): Reading<T> {
      let o: unknown;
      try {
        o = JSON.parse(res.body);
      } catch {
        return { kind: 'unreadable', what: 'a body that is not JSON' };
      }
      if (typeof o !== 'object' || o === null || Array.isArray(o))
        return { kind: 'unreadable', what: 'a body that is not a JSON object' };
      const obj = o as YooKassaObject;
      if (res.status !== 200) {
        if (obj.type !== 'error') return { kind: 'unreadable', what: `HTTP ${res.status} without an error object` };
        return {
          kind: 'refused',
          message: `YooKassa refused the ${call.what}: ${text(obj.description) || 'no description'} (${text(obj.code)}, HTTP ${res.status}).`,
          details: { code: text(obj.code), httpStatus: res.status },
        };
      }
      return read(obj);
    },
  });
}
