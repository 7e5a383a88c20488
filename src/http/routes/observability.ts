import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { requireScope } from '../auth.js';
import { readiness } from '../../app/queries/api-health.js';
import { errorSchema } from '../../contract/error.js';
import { statusSchema } from '../../contract/health.js';
import { errorBody } from '../../web/error-body.js';
import { errorResponses } from '../route.js';

export interface MetricsEndpoint {
  /** The exposition text (see adapters/prom-metrics.ts). */
  render(): Promise<{ contentType: string; body: string }>;
  /**
   * METRICS_TOKEN: a bearer token that opens /metrics and nothing else, for the scraper. Without
   * it only an admin API key opens /metrics (the counts reveal the business's volume).
   */
  token?: string | null;
}

const sha = (s: string) => createHash('sha256').update(s).digest();
const sameToken = (a: string, b: string) => timingSafeEqual(sha(a), sha(b));

/** /ready (readiness: the database answers and is migrated) and /metrics (Prometheus). */
export async function observabilityRoutes(app: FastifyInstance, deps: AppDeps, metrics?: MetricsEndpoint) {
  // Once current, the migrations stay current for this process (it knows no newer one): an
  // unauthenticated /ready then costs one `select 1`, not a read of the database's catalog.
  let migrated = false;
  app.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database answers and every migration has run',
        description:
          'For a load balancer or an orchestrator: 503 until this server can serve. /health only says the process answers.',
        response: { 200: statusSchema, 503: errorSchema },
      },
    },
    async (req, reply) => {
      const { database, migrations } = await readiness(req.deps, migrated);
      migrated ||= migrations;
      if (database && migrations) return { status: 'ready' };
      const message = database
        ? 'The database has migrations that have not run (settle migrate).'
        : 'The database cannot be reached.';
      return reply
        .code(503)
        .header('retry-after', '5')
        .send(errorBody('not_ready', message, { database, migrations }));
    },
  );
  if (!metrics) return;

  const admin = requireScope(deps, 'admin');
  const allowed = async (req: FastifyRequest, reply: FastifyReply) => {
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' ? /^Bearer (\S{1,500})$/.exec(header.trim())?.[1] : undefined;
    if (metrics.token && bearer && sameToken(bearer, metrics.token)) return;
    return admin(req, reply);
  };
  app.get(
    '/metrics',
    {
      preHandler: allowed,
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text format)',
        description: 'Needs METRICS_TOKEN as a bearer token, or an admin API key.',
        security: [{ bearer: [] }],
        response: errorResponses([401, 403]),
      },
    },
    async (_req, reply) => {
      const { contentType, body } = await metrics.render();
      return reply.type(contentType).send(body);
    },
  );
}
