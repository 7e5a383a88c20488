import type { FastifyReply } from 'fastify';
import type { Failure } from '../domain/result.js';
import { errorBody } from '../web/error-body.js';

// The error registry, the body and the storage-down test live in src/web/ (the admin pages use them too).
export * from '../web/error-codes.js';
export * from '../web/error-body.js';
export * from '../web/storage-down.js';

export function sendFailure(reply: FastifyReply, f: Failure): FastifyReply {
  const body = errorBody(f.code, f.message, f.details);
  return reply.code(body.statusCode).type('application/json; charset=utf-8').send(body);
}
