import type { FastifyInstance } from 'fastify';
import { issueApiKey, listApiKeys, revokeApiKey } from '../../app/api-keys.js';
import type { AppDeps } from '../../app/deps.js';
import type { Scope } from '../../domain/access.js';
import { requireScope } from '../auth.js';
import {
  apiKeySchema,
  apiKeyView,
  createdApiKeySchema,
  createdApiKeyView,
  scopeSchema,
} from '../../contract/api-key.js';
import { listOf, text } from '../../contract/fields.js';
import { sendFailure } from '../errors.js';
import { apiSchema, idParams } from '../route.js';

const errors = [400, 401, 403, 404, 409, 422];

const createApiKeyBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'scopes'],
  properties: { name: text(100), scopes: { type: 'array', minItems: 1, maxItems: 3, items: scopeSchema } },
} as const;

/** API keys: admin only. A key is shown once, when it is made; only its hash is kept. */
export async function apiKeyRoutes(app: FastifyInstance, deps: AppDeps) {
  const admin = requireScope(deps, 'admin');

  app.get(
    '/v1/api-keys',
    {
      schema: apiSchema(
        {
          tags: ['api keys'],
          summary: 'The API keys, revoked ones included (never the keys)',
          response: { 200: listOf(apiKeySchema) },
        },
        errors,
      ),
      preHandler: admin,
    },
    async () => ({ data: (await listApiKeys(deps)).map(apiKeyView) }),
  );

  app.post<{ Body: { name: string; scopes: Scope[] } }>(
    '/v1/api-keys',
    {
      schema: apiSchema(
        {
          tags: ['api keys'],
          summary: 'Make an API key (returned only in this answer)',
          body: createApiKeyBody,
          response: { 201: createdApiKeySchema },
        },
        errors,
      ),
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await issueApiKey(req.deps, req.body);
      if (!r.ok) return sendFailure(reply, r.error);
      return reply.code(201).send(createdApiKeyView(r.value.record, r.value.key));
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/api-keys/:id/revoke',
    {
      schema: apiSchema(
        {
          tags: ['api keys'],
          summary: 'Revoke a key: refused (401) from the next request on',
          params: idParams('id'),
          response: { 200: apiKeySchema },
        },
        errors,
      ),
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await revokeApiKey(req.deps, req.params.id);
      return r.ok ? apiKeyView(r.value) : sendFailure(reply, r.error);
    },
  );
}
