import type { FastifyRequest } from 'fastify';
import type { RawRequest } from '../ports/connector.js';

/**
 * A provider's request as it came (method, headers, the query string as sent, body bytes, the
 * socket's peer address, the callback route's sub-path if any), for its connector.
 */
export function rawRequestOf(req: FastifyRequest, subpath?: string): RawRequest {
  const peer = req.socket.remoteAddress;
  return {
    method: req.method,
    headers: req.headers,
    rawQuery: req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '',
    body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    ...(peer !== undefined && { remoteAddress: peer }),
    ...(subpath !== undefined && { subpath }),
  };
}
