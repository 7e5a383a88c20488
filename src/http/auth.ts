import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticateApiKey } from '../app/api-keys.js';
import type { AppDeps } from '../app/deps.js';
import type { Actor } from '../domain/timeline.js';
import type { ApiKeyRecord, Scope } from '../domain/access.js';
import { sendFailure } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: ApiKeyRecord;
  }
}

/**
 * A preHandler that admits a request whose Bearer key has one of `scopes`. An admin key may do
 * what a store key may; a store key never reaches an admin route.
 */
export function requireScope(deps: AppDeps, ...scopes: Scope[]) {
  const allowed = new Set<Scope>([...scopes, 'admin']);
  const check = async (req: FastifyRequest, reply: FastifyReply) => {
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header.trim()) : null;
    if (!m?.[1])
      return sendFailure(reply, { code: 'unauthorized', message: 'Send an API key as "Authorization: Bearer <key>".' });
    const key = await authenticateApiKey(req.deps, m[1]);
    if (!key) return sendFailure(reply, { code: 'unauthorized', message: 'The API key is not valid or was revoked.' });
    if (!key.scopes.some((s) => allowed.has(s))) {
      return sendFailure(reply, { code: 'forbidden', message: `This route needs the ${scopes.join(' or ')} scope.` });
    }
    req.apiKey = key;
  };
  // The OpenAPI document reads the scopes off the route's preHandler (./openapi.ts).
  return Object.assign(check, { scopes: [...allowed] });
}

/** Who the timeline names for a request: the store for store keys, the key's name for admin keys. */
export function actorOf(req: FastifyRequest): Actor {
  const key = req.apiKey;
  if (!key) return 'system';
  return key.scopes.includes('admin') || key.scopes.includes('accounting') ? `api_key:${key.name}` : 'store';
}
