import type { ApiKeyRecord, Scope } from '../ports/storage.js';
import { nowIso, type AppDeps } from './deps.js';

export const SCOPES: readonly Scope[] = ['store', 'accounting', 'admin'];

/**
 * Creates an API key and returns it once: only its SHA-256 hash is stored, so it cannot be
 * shown again. The key carries 256 random bits behind a recognisable prefix.
 */
export async function createApiKey(deps: AppDeps, input: { name: string; scopes: Scope[] }): Promise<{ key: string; record: ApiKeyRecord }> {
  const key = `stl_${deps.random.token(32)}`;
  const record: ApiKeyRecord = {
    id: deps.random.id('key'),
    name: input.name,
    keyHash: deps.hash(key),
    prefix: key.slice(0, 10),
    scopes: [...new Set(input.scopes)],
    createdAt: nowIso(deps),
    revokedAt: null,
  };
  await deps.storage.transaction((tx) => tx.insertApiKey(record));
  return { key, record };
}

/** The key's record if the key is known and not revoked. */
export async function authenticateApiKey(deps: AppDeps, key: string): Promise<ApiKeyRecord | undefined> {
  if (!key.startsWith('stl_') || key.length > 100) return undefined;
  const record = await deps.storage.read.findApiKeyByHash(deps.hash(key));
  return record && record.revokedAt === null ? record : undefined;
}
