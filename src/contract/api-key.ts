import type { ApiKeyRecord } from '../domain/access.js';
import { dateTime, nullable, str, type Wire } from './fields.js';

export const scopeSchema = { type: 'string', enum: ['store', 'accounting', 'admin'] } as const;

/** An API key as lists show it: never its hash (nor, having only the hash, the key). */
export const apiKeySchema = {
  type: 'object',
  properties: {
    id: str,
    name: str,
    prefix: { type: 'string', description: 'The first characters of the key, to tell keys apart' },
    scopes: { type: 'array', items: scopeSchema },
    created_at: dateTime,
    revoked_at: nullable(dateTime),
  },
} as const;

export type ApiKeyView = Wire<typeof apiKeySchema>;

export function apiKeyView(k: Omit<ApiKeyRecord, 'keyHash'>): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    created_at: k.createdAt,
    revoked_at: k.revokedAt,
  };
}

export const createdApiKeySchema = {
  type: 'object',
  properties: { ...apiKeySchema.properties, key: { type: 'string', description: 'Shown only in this answer' } },
} as const;

export type CreatedApiKeyView = Wire<typeof createdApiKeySchema>;

export function createdApiKeyView(k: Omit<ApiKeyRecord, 'keyHash'>, key: string): CreatedApiKeyView {
  return { ...apiKeyView(k), key };
}
