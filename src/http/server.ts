import swagger from '@fastify/swagger';
import { Ajv } from 'ajv';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { AppDeps } from '../app/deps.js';
import { errorBody, isStorageDown } from './errors.js';
import { clientErrorHandler, frameworkErrors } from './framework-errors.js';
import { callbackRoutes } from './routes/callbacks.js';
import { healthRoutes } from './routes/health.js';
import { apiRoutes } from './routes/api.js';
import { payPageRoutes } from './routes/pay-page.js';
import { reconciliationRoutes } from './routes/reconciliation.js';
import { adminPlugin } from '../admin/plugin.js';
import { runInRequest } from '../adapters/request-context.js';
import { observabilityRoutes, type MetricsEndpoint } from './routes/observability.js';
import { DEFAULT_PUBLIC_RATE_LIMITS, registerPublicRateLimits, type PublicRateLimits } from './rate-limits.js';

export interface ServerOptions {
  logger: Logger | false;
  /** Extra plugins (the demo shop, a mounted sandbox), registered after the API. */
  plugins?: { plugin: FastifyPluginAsync; prefix?: string }[];
  bodyLimit?: number;
  /** Per-address limits of the public routes (config: RATE_LIMIT_*); tests raise them. */
  rateLimits?: Partial<PublicRateLimits>;
  /** Serves /metrics when given (main.ts: the composed PromMetrics and METRICS_TOKEN). */
  metrics?: MetricsEndpoint;
}

/** An incoming X-Request-Id is kept only when it is a plain token (log lines stay clean). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;
function incomingRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : undefined;
}

// Bodies are validated strictly (no type coercion: "1500" is not an amount; unknown fields are
// refused, not dropped). Query strings and path parameters are text, so those are coerced.
const ajvOptions = { allErrors: false, strict: false, removeAdditional: false, useDefaults: true } as const;
const bodyAjv = new Ajv({ ...ajvOptions, coerceTypes: false });
const textAjv = new Ajv({ ...ajvOptions, coerceTypes: 'array' });

/** Builds the whole HTTP server on the given dependencies, without listening. */
export async function buildServer(deps: AppDeps, opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger || undefined,
    logger: opts.logger ? undefined : false,
    bodyLimit: opts.bodyLimit ?? 256 * 1024,
    trustProxy: false,
    requestIdHeader: false,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) =>
      incomingRequestId(req.headers['x-request-id']) ?? deps.random.id('req'),
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
    // Answers Fastify and Node give before any handler (bad %-escapes, long params, oversized headers), in the one shape.
    frameworkErrors,
    clientErrorHandler,
  } as never) as unknown as FastifyInstance;

  // The request id: answered as X-Request-Id, on every log line of the request (reqId), and, as
  // the request's scope (adapters/request-context.ts), on every outbox message it produces. The
  // scope is entered in preHandler, after the body is read, so it covers the handler and all it awaits.
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  app.addHook('preHandler', (req, _reply, done) => runInRequest(req.id, done));

  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? bodyAjv.compile(schema) : textAjv.compile(schema),
  );

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) {
      const where = err.validationContext ?? 'request';
      return reply
        .code(400)
        .send(
          errorBody(
            'invalid_request',
            `Invalid ${where}: ${err.message.replace(/^(body|querystring|params|headers)\/?/, '')}`,
          ),
        );
    }
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.code(400).send(errorBody('invalid_json', 'The body is not valid JSON.'));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send(errorBody('payload_too_large', 'The body is larger than this route takes.'));
      case 'SETTLE_RATE_LIMITED':
        // The limiter has set retry-after (and the x-ratelimit-* headers) already.
        return reply.code(429).send(errorBody('rate_limited', err.message));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply.code(415).send(errorBody('unsupported_media_type', 'Send the body as application/json.'));
    }
    if (err instanceof SyntaxError || err.statusCode === 400) {
      return reply.code(400).send(errorBody('invalid_request', 'The request could not be read.'));
    }
    // Any other client error Fastify raises (a bad header, a method it refuses) stays a 4xx in
    // our shape: bad input never becomes a 500.
    if (err.statusCode !== undefined && err.statusCode > 400 && err.statusCode < 500) {
      return reply
        .code(err.statusCode)
        .send(errorBody('invalid_request', 'The request could not be handled as sent.', undefined, err.statusCode));
    }
    // PostgreSQL refuses text it cannot store (a NUL byte in a path, query or body): the input's fault.
    if (['22021', '22P05'].includes(String(err.code))) {
      return reply
        .code(400)
        .send(errorBody('invalid_request', 'The request holds characters that cannot be stored (such as a NUL byte).'));
    }
    if (isStorageDown(err)) {
      req.log.error({ err: { code: err.code, message: err.message } }, 'storage unavailable');
      return reply
        .code(503)
        .header('retry-after', '1')
        .send(errorBody('storage_unavailable', 'The database cannot be reached; retry shortly.'));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send(errorBody('internal_error', 'Something went wrong on our side; it was logged.'));
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(errorBody('not_found', `There is no ${req.method} ${req.url.split('?')[0]}.`)),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Settle API',
        version: '1',
        description: 'Orders, payments and callbacks. Amounts are integers in minor units.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key (scopes: store, admin)' },
        },
      },
    },
  });
  // Before any route: routes that name a config.publicLimit get their limits as they are added.
  await registerPublicRateLimits(app, { ...DEFAULT_PUBLIC_RATE_LIMITS, ...opts.rateLimits });
  await app.register(healthRoutes);
  await app.register(async (ops) => observabilityRoutes(ops, deps, opts.metrics));
  await app.register(async (api) => apiRoutes(api, deps));
  // Report uploads are multipart, so they have their own scope with its parser.
  await app.register(async (rec) => reconciliationRoutes(rec, deps));
  // The pay-by-link page reads a form post, so it has its own scope with its own parser.
  await app.register(async (pay) => payPageRoutes(pay, deps));
  // Callbacks keep their raw body, so they live in their own scope with their own parser.
  await app.register(async (cb) => callbackRoutes(cb, deps));
  // The admin pages: HTML, a session cookie and form posts, in their own scope under /admin.
  await app.register(async (admin) => adminPlugin(admin, deps), { prefix: '/admin' });
  for (const p of opts.plugins ?? []) await app.register(p.plugin, p.prefix ? { prefix: p.prefix } : {});
  return app;
}
