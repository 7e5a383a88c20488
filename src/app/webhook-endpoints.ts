import { WEBHOOK_EVENT_TYPES } from '../domain/effects.js';
import { fail, ok, type Result } from '../domain/result.js';
import { resolveStoreStatusMap, type StoreStatusMap, type StoreStatusPreset } from '../domain/store-status.js';
import { isWebhookSecret, newWebhookSecret } from '../domain/webhook-secret.js';
import type { WebhookEndpointRecord } from '../ports/storage.js';
import { nowIso, type AppDeps } from './deps.js';

export interface EndpointInput {
  url: string;
  events: string[];
  secret?: string;
  status_map_preset?: StoreStatusPreset | null;
  status_map?: StoreStatusMap;
}

/**
 * Registers a receiver of signed webhooks. The secret (given, or made here from 32 random bytes)
 * is encrypted at rest and returned only in this answer.
 */
export async function createWebhookEndpoint(deps: AppDeps, input: EndpointInput): Promise<Result<{ endpoint: WebhookEndpointRecord; secret: string }>> {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return fail('webhook_url_invalid', 'The url is not a valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return fail('webhook_url_invalid', 'The url must be http(s).');
  if (url.username || url.password) return fail('webhook_url_invalid', 'Put credentials in the signing secret, not in the url.');
  const unknown = input.events.filter((e) => e !== '*' && !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e));
  if (unknown.length > 0) return fail('webhook_event_unknown', `Unknown event type(s): ${unknown.join(', ')}.`, { known: [...WEBHOOK_EVENT_TYPES] });
  if (input.secret !== undefined && !isWebhookSecret(input.secret)) {
    return fail('webhook_secret_invalid', 'A secret is "whsec_" followed by the base64 of 24 to 64 random bytes.');
  }
  const secret = input.secret ?? newWebhookSecret((n) => Buffer.from(deps.random.token(n), 'base64url'));
  const at = nowIso(deps);
  const endpoint: WebhookEndpointRecord = {
    id: deps.random.id('we'),
    url: url.toString(),
    events: [...new Set(input.events)],
    secretCiphertext: deps.secretBox.encrypt(secret),
    statusMapPreset: input.status_map_preset ?? null,
    statusMap: resolveStoreStatusMap(input.status_map_preset ?? null, input.status_map),
    enabled: true,
    createdAt: at,
    updatedAt: at,
  };
  await deps.storage.transaction((tx) => tx.insertWebhookEndpoint(endpoint));
  return ok({ endpoint, secret });
}

/** Stops sending to an endpoint; messages still queued for it are given up with a reason. */
export async function disableWebhookEndpoint(deps: AppDeps, id: string): Promise<Result<WebhookEndpointRecord>> {
  return deps.storage.transaction(async (tx) => {
    const e = await tx.getWebhookEndpoint(id);
    if (!e) return fail('webhook_endpoint_not_found', `There is no webhook endpoint ${id}.`);
    await tx.updateWebhookEndpoint(id, { enabled: false, updatedAt: nowIso(deps) });
    return ok({ ...e, enabled: false });
  });
}
