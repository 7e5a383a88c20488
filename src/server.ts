import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import { adminPlugin } from './admin/plugin.js';
import type { AppDeps } from './app/deps.js';
import { demoShop } from './demo/demo-shop.js';
import type { Demo } from './demo/setup-demo.js';
import { registerApi, type ApiOptions } from './http/api.js';
import { clientErrorHandler, frameworkErrors } from './http/framework-errors.js';
import { addRequestIdHooks, requestIdFor } from './web/request-id.js';

export interface ServerOptions extends ApiOptions {
  logger: Logger | false;
  /** Extra plugins (a mounted sandbox), registered after the API and the admin pages. */
  plugins?: { plugin: FastifyPluginAsync; prefix?: string }[];
  bodyLimit?: number;
  /** Demo mode (`settle serve --demo`): every connector's sandbox, the demo shop, and / leading to it. */
  demo?: Demo;
}

/**
 * The one place both shells meet: builds the Fastify instance, with the request ids every
 * request gets, then registers the API (on the root: its validator, JSON error answers and rate
 * limits are what everything else inherits), the admin pages in their own scope under /admin,
 * and the demo and the extra plugins. Neither shell imports the other. Does not listen.
 */
export async function buildServer(deps: AppDeps, opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger || undefined,
    logger: opts.logger ? undefined : false,
    bodyLimit: opts.bodyLimit ?? 256 * 1024,
    trustProxy: false,
    requestIdHeader: false,
    genReqId: requestIdFor(deps.random),
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
    // Answers Fastify and Node give before any handler (bad %-escapes, long params, oversized headers), in the one shape.
    frameworkErrors,
    clientErrorHandler,
  } as never) as unknown as FastifyInstance;

  addRequestIdHooks(app, deps);
  await registerApi(app, deps, opts);
  // The admin pages: HTML, a session cookie and form posts, in their own scope under /admin.
  await app.register(async (admin) => adminPlugin(admin, deps), { prefix: '/admin' });
  for (const p of opts.plugins ?? []) await app.register(p.plugin, p.prefix ? { prefix: p.prefix } : {});
  if (opts.demo) {
    for (const m of opts.demo.methods) await app.register(m.plugin, { prefix: m.prefix });
    await app.register(demoShop(deps, opts.demo.methods), { prefix: '/demo' });
    app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/demo', 302));
  }
  return app;
}
