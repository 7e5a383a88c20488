import type { WebhookEndpointRecord } from '../domain/webhook-endpoint.js';
import { bool, dateTime, nullable, str, type Wire } from './fields.js';

/** A webhook endpoint; its secret never leaves Settle after the answer that created it. */
export const webhookEndpointSchema = {
  type: 'object',
  properties: {
    id: str,
    url: str,
    events: { type: 'array', items: str },
    status_map_preset: nullable(str),
    status_map: { type: 'object', additionalProperties: str },
    enabled: bool,
    created_at: dateTime,
    updated_at: dateTime,
  },
} as const;

export type WebhookEndpointView = Wire<typeof webhookEndpointSchema>;

export function webhookEndpointView(e: WebhookEndpointRecord): WebhookEndpointView {
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    status_map_preset: e.statusMapPreset,
    status_map: e.statusMap,
    enabled: e.enabled,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
  };
}

export const createdWebhookEndpointSchema = {
  type: 'object',
  properties: {
    ...webhookEndpointSchema.properties,
    secret: { type: 'string', description: 'Shown only in this answer' },
  },
} as const;

export type CreatedWebhookEndpointView = Wire<typeof createdWebhookEndpointSchema>;

export function createdWebhookEndpointView(e: WebhookEndpointRecord, secret: string): CreatedWebhookEndpointView {
  return { ...webhookEndpointView(e), secret };
}
