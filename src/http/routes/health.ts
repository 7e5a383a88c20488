import type { FastifyInstance } from 'fastify';
import { statusSchema } from '../../contract/health.js';

export async function healthRoutes(app: FastifyInstance) {
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process answers',
        response: { 200: statusSchema },
      },
    },
    async () => ({ status: 'ok' }),
  );
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
