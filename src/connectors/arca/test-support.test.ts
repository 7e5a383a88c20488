// Shared by this connector's tests (named .test.ts so it stays out of the build; it has no tests of its own).
import assert from 'node:assert/strict';
import type { ConnectorContext, RawRequest } from '../../ports/connector.js';
import type { HttpRequest, HttpResponse } from '../../ports/http-client.js';
import { arca } from './connector.js';
import type { ArcaSettings } from './settings.js';

export const PASSWORD = 'Pa55-word-Zq7!';
export const RAW_SETTINGS = {
  username: 'shop-api',
  password: PASSWORD,
  api_base_url: 'https://ipaytest.example.test:8445/payment/rest/',
};

export function settings(over: Record<string, unknown> = {}): ArcaSettings {
  const r = arca.parseSettings({ ...RAW_SETTINGS, ...over });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

export function req(over: Partial<RawRequest> = {}): RawRequest {
  return { method: 'GET', headers: {}, rawQuery: '', body: Buffer.alloc(0), ...over };
}

export const json = (status: number, body: unknown): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** One request as the connector sent it, with its form read back. */
export interface Sent {
  method: string;
  path: string;
  form: Record<string, string>;
}

/**
 * An HTTP client that answers each gateway method from `script` (a function of the form, or a
 * list used one answer per call), and records what was sent.
 */
export function scripted(
  script: Record<string, ((form: Record<string, string>) => HttpResponse | Error) | (HttpResponse | Error)[]>,
): { ctx: ConnectorContext; sent: Sent[]; raw: HttpRequest[] } {
  const sent: Sent[] = [];
  const raw: HttpRequest[] = [];
  return {
    sent,
    raw,
    ctx: {
      http: {
        request: async (r) => {
          raw.push(r);
          const name = r.url.split('/').pop() ?? '';
          const form = Object.fromEntries(new URLSearchParams(r.body ?? ''));
          sent.push({ method: name, path: new URL(r.url).pathname, form });
          const s = script[name];
          const answer = typeof s === 'function' ? s(form) : s?.shift();
          if (!answer) throw new Error(`unexpected call to ${name}`);
          if (answer instanceof Error) throw answer;
          return answer;
        },
      },
    },
  };
}

/** getOrderStatusExtended.do's answer for one state. */
export function statusAnswer(orderStatus: number, over: Record<string, unknown> = {}) {
  return json(200, {
    errorCode: '0',
    errorMessage: 'Success',
    orderNumber: 'FD-1240',
    orderStatus,
    actionCode: orderStatus === 6 ? 116 : 0,
    amount: 150000,
    currency: '051',
    paymentAmountInfo: {
      approvedAmount: orderStatus === 0 ? 0 : 150000,
      depositedAmount: [2, 4].includes(orderStatus) ? 150000 : 0,
      refundedAmount: 0,
    },
    ...over,
  });
}

export const MD_ORDER = '06cf5599-3f17-7c86-bdbc-bd7d00a8b38b';
export const PAYMENT = { providerRef: 'FD-1240', providerPaymentId: MD_ORDER, amount: 150000, currency: 'AMD' };
