import { fail, ok, type Result } from '../domain/result.js';
import type { ApiKeyRecord, Scope } from '../domain/access.js';
import { nowIso, type AppDeps } from './deps.js';

export const SCOPES: readonly Scope[] = ['store', 'accounting', 'admin'];

/**
 * Creates an API key and returns it once: only its SHA-256 hash is stored, so it cannot be
 * shown again. The key carries 256 random bits behind a recognisable prefix.
 */
export async function createApiKey(
  deps: AppDeps,
  input: { name: string; scopes: Scope[]; key?: string },
): Promise<{ key: string; record: ApiKeyRecord }> {
  const key = input.key ?? `stl_${deps.random.token(32)}`;
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

/** An API key as lists show it: never its hash (nor, having only the hash, the key). */
export type ApiKeyView = Omit<ApiKeyRecord, 'keyHash'>;

const view = ({ keyHash: _hash, ...rest }: ApiKeyRecord): ApiKeyView => rest;

/** Every API key, revoked ones included, oldest first. */
export async function listApiKeys(deps: AppDeps): Promise<ApiKeyView[]> {
  return (await deps.storage.read.listApiKeys()).map(view);
}

/**
 * createApiKey for a person or a request: the name and scopes are checked first. The key is in
 * this answer only.
 */
export async function issueApiKey(
  deps: AppDeps,
  input: { name: string; scopes: string[] },
): Promise<Result<{ key: string; record: ApiKeyView }>> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100 || /[\x00-\x1f\x7f]/.test(name))
    return fail('api_key_name_invalid', 'Give the key a name of 1 to 100 characters.');
  const unknown = input.scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (input.scopes.length === 0 || unknown.length > 0) {
    return fail('api_key_scopes_invalid', `Choose at least one scope of ${SCOPES.join(', ')}.`, { known: [...SCOPES] });
  }
  const { key, record } = await createApiKey(deps, { name, scopes: input.scopes as Scope[] });
  return ok({ key, record: view(record) });
}

/** Revokes a key at once: the next request with it is refused (401). A revoked key stays listed. */
export async function revokeApiKey(deps: AppDeps, id: string): Promise<Result<ApiKeyView>> {
  const at = nowIso(deps);
  return deps.storage.transaction(async (tx) => {
    const found = (await tx.listApiKeys()).find((k) => k.id === id);
    if (!found) return fail('api_key_not_found', `There is no API key ${id}.`);
    if (found.revokedAt !== null) return fail('api_key_revoked', `API key ${found.name} was already revoked.`);
    await tx.revokeApiKey(id, at);
    return ok(view({ ...found, revokedAt: at }));
  });
}
