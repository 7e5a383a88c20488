import type { FastifyInstance } from 'fastify';
import { forRequest, type AppDeps } from '../app/deps.js';
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

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The app's dependencies for this request: the same services, with the request's id as their
     * request context (AppDeps.requestContext). Handlers pass it to the use cases they run.
     */
    deps: AppDeps;
  }
}

/**
 * The request id of every request, API or admin: answered as X-Request-Id, on every log line of
 * the request (reqId), and, through `req.deps` (its request context), on every outbox message it
 * produces. Added on the root instance, before anything else.
 *
 * Why `req.deps` and not AsyncLocalStorage: on Node 20 an AsyncLocalStorage turns on promise hooks
 * for the whole process, and they cost about a tenth of a callback's CPU (docs/benchmarks.md).
 */
export function addRequestIdHooks(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest('deps', null as unknown as AppDeps);
  app.addHook('onRequest', (req, reply, done) => {
    req.deps = forRequest(deps, req.id);
    reply.header('x-request-id', req.id);
    done();
  });
}
