import type { FastifyReply } from 'fastify';
import type { Failure } from '../domain/result.js';
import { errorBody } from '../web/error-body.js';

/** Answers a use case's expected failure in the one error shape, with the status its code registers. */
export function sendFailure(reply: FastifyReply, f: Failure): FastifyReply {
  const body = errorBody(f.code, f.message, f.details);
  return reply.code(body.statusCode).type('application/json; charset=utf-8').send(body);
}
