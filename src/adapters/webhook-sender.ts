import { createHmac } from 'node:crypto';
import { ProviderUnreachable } from '../ports/http-client.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { HttpClient } from '../ports/http-client.js';
import type { WebhookDelivery, WebhookSender } from '../ports/webhook-sender.js';

import { WEBHOOK_SECRET_PREFIX as PREFIX } from '../domain/webhook-secret.js';

/** The `webhook-signature` value for one delivery: `v1,` and the base64 HMAC-SHA256 of "id.timestamp.body". */
function webhookSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
  // The spec is one HMAC; the tests verify it with the official standardwebhooks library, which keeps us honest.
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** A WebhookSender over the connectors' HttpClient, which brings the timeout. */
export function createWebhookSender(http: HttpClient): WebhookSender {
  return {
    async send(d: WebhookDelivery): Promise<Result<{ status: number }>> {
      // Origin only: the path or query of a store's endpoint may carry a token.
      const origin = originOf(d.url);
      if (!origin)
        return fail('webhook_unreachable', 'The webhook URL is not an http(s) URL.', { reason: 'invalid_url' });
      let status: number;
      try {
        ({ status } = await http.request({
          method: 'POST',
          url: d.url,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Settle-Webhooks/1',
            'webhook-id': d.id,
            'webhook-timestamp': String(d.timestamp),
            'webhook-signature': webhookSignature(d.secret.reveal(), d.id, d.timestamp, d.body),
          },
          body: d.body,
        }));
      } catch (err) {
        if (!(err instanceof ProviderUnreachable)) throw err;
        const why =
          err.reason === 'timeout'
            ? 'did not answer in time'
            : `could not be reached${err.code ? ` (${err.code})` : ''}`;
        return fail('webhook_unreachable', `The webhook endpoint ${origin} ${why}.`, { reason: err.reason });
      }
      if (status < 200 || status > 299) {
        return fail('webhook_rejected', `The webhook endpoint ${origin} answered HTTP ${status}.`, { status });
      }
      return ok({ status });
    },
  };
}

function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}
