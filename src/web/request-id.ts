import type { FastifyInstance } from 'fastify';
import { runInRequest } from '../adapters/request-context.js';
import type { Random } from '../ports/random.js';

/** An incoming X-Request-Id is kept only when it is a plain token (log lines stay clean). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;
function incomingRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : undefined;
}

/** Fastify's genReqId: the caller's X-Request-Id when it is a plain token, else a new id. */
export const requestIdFor =
  (random: Random) =>
  (req: { headers: Record<string, string | string[] | undefined> }): string =>
    incomingRequestId(req.headers['x-request-id']) ?? random.id('req');

/**
 * The request id of every request, API or admin: answered as X-Request-Id, on every log line of
 * the request (reqId), and, as the request's scope (adapters/request-context.ts), on every outbox
 * message it produces. The scope is entered in preHandler, after the body is read, so it covers
 * the handler and all it awaits. Added on the root instance, before anything else.
 */
export function addRequestIdHooks(app: FastifyInstance): void {
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  app.addHook('preHandler', (req, _reply, done) => runInRequest(req.id, done));
}
