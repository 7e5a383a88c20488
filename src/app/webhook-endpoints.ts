import { WEBHOOK_EVENT_TYPES } from '../domain/effects.js';
import { fail, ok, type Result } from '../domain/result.js';
import {
  resolveStoreStatusMap,
  STORE_STATUS_KEYS,
  STORE_STATUS_PRESET_NAMES,
  STORE_STATUS_PRESETS,
  type StoreStatusMap,
  type StoreStatusPreset,
} from '../domain/store-status.js';
import { isWebhookSecret, newWebhookSecret } from '../domain/webhook-secret.js';
import type { WebhookEndpointRecord } from '../domain/webhook-endpoint.js';
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
export async function createWebhookEndpoint(
  deps: AppDeps,
  input: EndpointInput,
): Promise<Result<{ endpoint: WebhookEndpointRecord; secret: string }>> {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return fail('webhook_url_invalid', 'The url is not a valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return fail('webhook_url_invalid', 'The url must be http(s).');
  if (url.username || url.password)
    return fail('webhook_url_invalid', 'Put credentials in the signing secret, not in the url.');
  const badEvents = eventsProblem(input.events);
  if (badEvents) return badEvents;
  const badMapping = mappingProblem(input.status_map_preset, input.status_map);
  if (badMapping) return badMapping;
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

function eventsProblem(events: string[]) {
  if (events.length === 0) return fail('webhook_events_required', 'Choose at least one event type (or * for all).');
  const unknown = events.filter((e) => e !== '*' && !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e));
  if (unknown.length > 0)
    return fail('webhook_event_unknown', `Unknown event type(s): ${unknown.join(', ')}.`, {
      known: [...WEBHOOK_EVENT_TYPES],
    });
  return undefined;
}

function statusMapProblem(map: Record<string, unknown>) {
  for (const [k, v] of Object.entries(map)) {
    if (!(STORE_STATUS_KEYS as readonly string[]).includes(k))
      return fail(
        'status_map_invalid',
        `"${k.slice(0, 40)}" is not a status the map covers (${STORE_STATUS_KEYS.join(', ')}).`,
      );
    if (typeof v !== 'string' || v.length < 1 || v.length > 64 || /[\x00-\x1f\x7f]/.test(v))
      return fail('status_map_invalid', `The store code for ${k} must be 1 to 64 characters on one line.`);
  }
  return undefined;
}

/** A preset Settle knows (or none) and a map of known statuses: checked on create and on change alike. */
function mappingProblem(preset: string | null | undefined, map: Record<string, unknown> | undefined) {
  if (preset !== undefined && preset !== null && !isPreset(preset)) {
    return fail('status_map_preset_unknown', `Unknown preset; known: ${STORE_STATUS_PRESET_NAMES.join(', ')}.`);
  }
  return map === undefined ? undefined : statusMapProblem(map);
}

/** The endpoint's own codes: the entries of its map that its preset does not give. */
export function statusMapOverrides(e: Pick<WebhookEndpointRecord, 'statusMap' | 'statusMapPreset'>): StoreStatusMap {
  const preset: StoreStatusMap = isPreset(e.statusMapPreset) ? STORE_STATUS_PRESETS[e.statusMapPreset] : {};
  return Object.fromEntries(Object.entries(e.statusMap).filter(([k, v]) => preset[k as keyof StoreStatusMap] !== v));
}

const isPreset = (p: string | null): p is StoreStatusPreset =>
  p !== null && (STORE_STATUS_PRESET_NAMES as string[]).includes(p);

export interface EndpointPatch {
  events?: string[];
  /** null: no preset, only the overrides. */
  status_map_preset?: StoreStatusPreset | null;
  /** The overrides on top of the preset, replacing the current ones. */
  status_map?: StoreStatusMap;
  enabled?: boolean;
}

/**
 * Changes what an endpoint receives and how order statuses are named for it, or turns it on or
 * off. Changing only the preset keeps the overrides; the map stored is always preset + overrides.
 * Messages queued before the change carry the payload they were written with.
 */
export async function updateWebhookEndpoint(
  deps: AppDeps,
  id: string,
  patch: EndpointPatch,
): Promise<Result<WebhookEndpointRecord>> {
  if (patch.events !== undefined) {
    const bad = eventsProblem(patch.events);
    if (bad) return bad;
  }
  const badMapping = mappingProblem(patch.status_map_preset, patch.status_map);
  if (badMapping) return badMapping;
  const at = nowIso(deps);
  return deps.storage.transaction(async (tx) => {
    const e = await tx.getWebhookEndpoint(id);
    if (!e) return fail('webhook_endpoint_not_found', `There is no webhook endpoint ${id}.`);
    const next: WebhookEndpointRecord = { ...e, updatedAt: at };
    if (patch.events !== undefined) next.events = [...new Set(patch.events)];
    if (patch.enabled !== undefined) next.enabled = patch.enabled;
    if (patch.status_map_preset !== undefined || patch.status_map !== undefined) {
      next.statusMapPreset = patch.status_map_preset !== undefined ? patch.status_map_preset : e.statusMapPreset;
      const preset = isPreset(next.statusMapPreset) ? next.statusMapPreset : null;
      next.statusMap = resolveStoreStatusMap(preset, patch.status_map ?? statusMapOverrides(e));
    }
    await tx.updateWebhookEndpoint(id, {
      enabled: next.enabled,
      events: next.events,
      statusMapPreset: next.statusMapPreset,
      statusMap: next.statusMap,
      updatedAt: at,
    });
    return ok(next);
  });
}
