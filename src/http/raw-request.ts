import type { FastifyRequest } from 'fastify';
import type { RawRequest } from '../ports/connector.js';

/** A provider's request as it came (method, headers, the query string as sent, body bytes), for its connector. */
export function rawRequestOf(req: FastifyRequest): RawRequest {
  return {
    method: req.method,
    headers: req.headers,
    rawQuery: req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '',
    body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
  };
}
