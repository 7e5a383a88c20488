import type { Result } from '../domain/result.js';
import type { Secret } from '../domain/secret.js';

/** One signed webhook, ready to send. */
export interface WebhookDelivery {
  url: string;
  /** The outbox message id: the `webhook-id` header, the same on every resend. */
  id: string;
  /** Seconds since the epoch: the `webhook-timestamp` header, set for this try. */
  timestamp: number;
  /** The JSON body, exactly the bytes that are signed. */
  body: string;
  /** Standard Webhooks secret, `whsec_` + base64 of the key bytes. */
  secret: Secret;
}

/**
 * Sends a webhook as the Standard Webhooks specification says: POST with `webhook-id`,
 * `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
 * Ok for any 2xx. Failure codes: `webhook_rejected` (a non-2xx answer, details.status) and
 * `webhook_unreachable` (no answer in time). Messages name the endpoint's origin only. Never throws.
 */
export interface WebhookSender {
  send(d: WebhookDelivery): Promise<Result<{ status: number }>>;
}
