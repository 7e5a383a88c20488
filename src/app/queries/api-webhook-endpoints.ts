import type { WebhookEndpointRecord } from '../../domain/webhook-endpoint.js';
import type { AppDeps } from '../deps.js';

/** Every webhook endpoint, disabled ones included (their secrets stay encrypted in the record). */
export async function listWebhookEndpoints(deps: AppDeps): Promise<WebhookEndpointRecord[]> {
  return deps.storage.read.listWebhookEndpoints();
}
