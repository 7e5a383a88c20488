import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../web/error-body.js';
import { isStorageDown } from '../web/storage-down.js';

/**
 * The JSON error answer of everything outside the admin pages (which set their own): bad input
 * is a 4xx in the one error shape, never a 500; the database being away is a 503 with
 * retry-after; anything else is logged and answered as a 500 without details.
 */
export function apiErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
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
}

/** The 404 of every path no route serves (outside /admin), in the one error shape. */
export function apiNotFound(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(404).send(errorBody('not_found', `There is no ${req.method} ${req.url.split('?')[0]}.`));
}
