import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

/**
 * Per-address request limits of the routes anyone may call without a key. Each route counts
 * each client address on its own, in this process's memory (several servers each count their
 * own share; a restart forgets the counts). Behind a reverse proxy every request comes from the
 * proxy's address (trustProxy is off), so there the limits apply to all clients at once.
 */
export interface PublicRateLimits {
  /**
   * Provider callbacks. An acquirer sends from a few addresses and retries in bursts (a flash
   * sale, or its queue draining after an outage): refusing them only delays payments, so this
   * is a guard against floods, far above any real burst.
   */
  callbacksPerMinute: number;
  /** Pages a customer reads: the return pages, the public order view, the pay-by-link page. */
  pagesPerMinute: number;
  /** The pay-by-link button (a POST that may open a payment at the provider). */
  payPerMinute: number;
}

export const DEFAULT_PUBLIC_RATE_LIMITS: PublicRateLimits = {
  callbacksPerMinute: 6000,
  pagesPerMinute: 300,
  payPerMinute: 60,
};

/** What a public route names in its `config.publicLimit`; routes that name none are not limited here. */
export type PublicLimitName = 'callbacks' | 'pages' | 'pay';

/** The body limits of the public routes: a callback is a small document, the pages take none. */
export const PUBLIC_BODY_LIMITS = { callbacks: 64 * 1024, pages: 1024, pay: 1024 } as const satisfies Record<
  PublicLimitName,
  number
>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Which per-address limit (and body limit) a public route gets; see PublicRateLimits. */
    publicLimit?: PublicLimitName;
  }
}

/** The error the limiter throws; the server's error handler answers it as `rate_limited` (429). */
export class RateLimitedError extends Error {
  readonly statusCode = 429;
  readonly code = 'SETTLE_RATE_LIMITED';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests from this address; retry in ${retryAfterSeconds} s.`);
  }
}

/**
 * Registers the limiter on the root instance before any route: every route that names a
 * `publicLimit` gets its per-address limit and its body limit. Must run before the routes are added.
 */
export async function registerPublicRateLimits(app: FastifyInstance, limits: PublicRateLimits): Promise<void> {
  const perMinute: Record<PublicLimitName, number> = {
    callbacks: limits.callbacksPerMinute,
    pages: limits.pagesPerMinute,
    pay: limits.payPerMinute,
  };
  // Runs before the limiter's own onRoute hook (added by the register below), which reads config.rateLimit.
  app.addHook('onRoute', (route) => {
    const name = route.config?.publicLimit;
    if (!name) return;
    route.bodyLimit = Math.min(route.bodyLimit ?? Infinity, PUBLIC_BODY_LIMITS[name]);
    route.config = { ...route.config, rateLimit: { max: perMinute[name], timeWindow: 60_000 } } as typeof route.config;
  });
  await app.register(rateLimit, {
    global: false,
    // Addresses remembered per route; past this the least recently seen start afresh.
    cache: 20_000,
    errorResponseBuilder: (_req, ctx) => new RateLimitedError(Math.max(1, Math.ceil(ctx.ttl / 1000))),
  });
}
