import type { FastifyInstance } from 'fastify';
import { issueApiKey, listApiKeys, revokeApiKey, type ApiKeyView } from '../../app/api-keys.js';
import type { AppDeps } from '../../app/deps.js';
import type { Scope } from '../../ports/storage.js';
import { requireScope } from '../auth.js';
import { errorSchema, sendFailure } from '../errors.js';
import { apiKeySchema, createApiKeyBody, createdApiKeySchema, idParams } from '../schemas.js';

const errors = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  422: errorSchema,
};
const security = [{ bearer: [] }];

const apiKeyView = (k: ApiKeyView) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  created_at: k.createdAt,
  revoked_at: k.revokedAt,
});

/** API keys: admin only. A key is shown once, when it is made; only its hash is kept. */
export async function apiKeyRoutes(app: FastifyInstance, deps: AppDeps) {
  const admin = requireScope(deps, 'admin');

  app.get(
    '/v1/api-keys',
    {
      schema: {
        tags: ['api keys'],
        summary: 'The API keys, revoked ones included (never the keys)',
        security,
        response: { 200: { type: 'object', properties: { data: { type: 'array', items: apiKeySchema } } }, ...errors },
      },
      preHandler: admin,
    },
    async () => ({ data: (await listApiKeys(deps)).map(apiKeyView) }),
  );

  app.post<{ Body: { name: string; scopes: Scope[] } }>(
    '/v1/api-keys',
    {
      schema: {
        tags: ['api keys'],
        summary: 'Make an API key (returned only in this answer)',
        security,
        body: createApiKeyBody,
        response: { 201: createdApiKeySchema, ...errors },
      },
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await issueApiKey(deps, req.body);
      if (!r.ok) return sendFailure(reply, r.error);
      return reply.code(201).send({ ...apiKeyView(r.value.record), key: r.value.key });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/api-keys/:id/revoke',
    {
      schema: {
        tags: ['api keys'],
        summary: 'Revoke a key: refused (401) from the next request on',
        security,
        params: idParams('id'),
        response: { 200: apiKeySchema, ...errors },
      },
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await revokeApiKey(deps, req.params.id);
      return r.ok ? apiKeyView(r.value) : sendFailure(reply, r.error);
    },
  );
}
