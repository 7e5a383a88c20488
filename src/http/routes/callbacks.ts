import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { receiveCallback } from '../../app/receive-callback.js';
import { rawRequestOf } from '../raw-request.js';
import { sendFailure } from '../errors.js';
import { PUBLIC_BODY_LIMITS } from '../rate-limits.js';
import { errorResponses, idParams } from '../route.js';

const MAX_CALLBACK_BYTES = PUBLIC_BODY_LIMITS.callbacks;

/**
 * Provider callbacks, POST and GET. The body is kept as raw bytes (no JSON parsing here):
 * the connector verifies the request as it came, and the answer goes only after the commit.
 */
export async function callbackRoutes(app: FastifyInstance) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_CALLBACK_BYTES }, (_req, body, done) =>
    done(null, body),
  );

  const handler = async (
    req: FastifyRequest<{ Params: { paymentMethodId: string; kind?: string } }>,
    reply: FastifyReply,
  ) => {
    const raw = rawRequestOf(req, req.params.kind);
    const r = await receiveCallback(req.deps, { paymentMethodId: req.params.paymentMethodId, raw });
    if (!r.ok) return sendFailure(reply, r.error);
    return reply.code(r.value.status).header('content-type', r.value.contentType).send(r.value.body);
  };
  const schema = {
    tags: ['callbacks'],
    summary: "A payment provider's callback (verified by the connector)",
    params: idParams('paymentMethodId'),
    response: errorResponses([400, 403, 404, 413, 429, 503]),
  };
  // Per-address limit and body limit: src/http/rate-limits.ts (generous: acquirers retry in bursts).
  const config = { publicLimit: 'callbacks' } as const;
  app.post('/callbacks/:paymentMethodId', { schema, config }, handler);
  app.get('/callbacks/:paymentMethodId', { schema, config }, handler);
  // A provider that posts each kind of notice to its own address (CloudPayments' check, pay, …):
  // the kind reaches the connector as RawRequest.subpath; a connector that wants none refuses it.
  const kindSchema = {
    ...schema,
    summary: "A payment provider's callback of one kind, to its own address (verified by the connector)",
    params: {
      type: 'object',
      required: ['paymentMethodId', 'kind'],
      properties: {
        ...idParams('paymentMethodId').properties,
        kind: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' },
      },
    },
  };
  app.post('/callbacks/:paymentMethodId/:kind', { schema: kindSchema, config }, handler);
  app.get('/callbacks/:paymentMethodId/:kind', { schema: kindSchema, config }, handler);
}
