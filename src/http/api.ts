import swagger from '@fastify/swagger';
import { Ajv } from 'ajv';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { AppDeps } from '../app/deps.js';
import { apiErrorHandler, apiNotFound } from './error-handler.js';
import { callbackRoutes } from './routes/callbacks.js';
import { providerReturnRoutes } from './routes/provider-return.js';
import { healthRoutes } from './routes/health.js';
import { openApiOptions } from './openapi.js';
import { apiRoutes } from './routes/api.js';
import { payPageRoutes } from './routes/pay-page.js';
import { reconciliationRoutes } from './routes/reconciliation.js';
import { observabilityRoutes, type MetricsEndpoint } from './routes/observability.js';
import { DEFAULT_PUBLIC_RATE_LIMITS, registerPublicRateLimits, type PublicRateLimits } from './rate-limits.js';

export interface ApiOptions {
  /** Per-address limits of the public routes (config: RATE_LIMIT_*); tests raise them. */
  rateLimits?: Partial<PublicRateLimits>;
  /** Serves /metrics when given (the composed PromMetrics and METRICS_TOKEN). */
  metrics?: MetricsEndpoint;
  /** Told of every route as it is added, the pages beside the API too (the bad-input sweep lists them so). */
  onRoute?: (route: RouteOptions) => void;
}

// Bodies are validated strictly (no type coercion: "1500" is not an amount; unknown fields are
// refused, not dropped). Query strings and path parameters are text, so those are coerced.
const ajvOptions = { allErrors: false, strict: false, removeAdditional: false, useDefaults: true } as const;
const bodyAjv = new Ajv({ ...ajvOptions, coerceTypes: false });
const textAjv = new Ajv({ ...ajvOptions, coerceTypes: 'array' });

/**
 * The API on the root instance (not in a scope of its own): the schema validator, the JSON error
 * and not-found answers, OpenAPI, the public rate limits and every API route. What is registered
 * after it (the admin pages, the demo, the sandboxes) inherits the validator, the limits and the
 * error answers, unless it sets its own as the admin pages do.
 */
export async function registerApi(app: FastifyInstance, deps: AppDeps, opts: ApiOptions = {}): Promise<void> {
  if (opts.onRoute) app.addHook('onRoute', opts.onRoute);
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? bodyAjv.compile(schema) : textAjv.compile(schema),
  );
  app.setErrorHandler(apiErrorHandler);
  app.setNotFoundHandler(apiNotFound);

  await app.register(
    swagger,
    openApiOptions(() => deps.publicUrl),
  );
  // Before any route: routes that name a config.publicLimit get their limits as they are added.
  await registerPublicRateLimits(app, { ...DEFAULT_PUBLIC_RATE_LIMITS, ...opts.rateLimits });
  await app.register(healthRoutes);
  await app.register(async (ops) => observabilityRoutes(ops, deps, opts.metrics));
  await app.register(async (api) => apiRoutes(api, deps));
  // Report uploads are multipart, so they have their own scope with its parser.
  await app.register(async (rec) => reconciliationRoutes(rec, deps));
  // The pay-by-link page reads a form post, so it has its own scope with its own parser.
  await app.register(async (pay) => payPageRoutes(pay));
  // Callbacks keep their raw body, so they live in their own scope with their own parser.
  await app.register(async (cb) => callbackRoutes(cb));
  await app.register(async (back) => providerReturnRoutes(back));
}
