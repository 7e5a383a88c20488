import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../web/error-body.js';

/**
 * Errors Fastify answers before any route or error handler runs: a path with a broken
 * %-escape (400) or a path segment over the router's maxParamLength (414). Without this they
 * go out in Fastify's own shape (its internal code); with it, in the one error shape.
 */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const status = err.statusCode ?? 400;
  if (status >= 500) {
    void reply.code(500).send(errorBody('internal_error', 'Something went wrong on our side; it was logged.'));
    return;
  }
  const message =
    status === 414
      ? 'A part of the address is longer than this route takes.'
      : 'The address could not be read (a broken %-escape).';
  void reply.code(status).send(errorBody('invalid_request', message, undefined, status));
}

/**
 * Requests Node's HTTP parser refuses (headers over the size limit, a malformed request line,
 * a request that took too long): answered on the socket, in the one error shape.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const message =
    status === 408
      ? 'The request took too long to arrive.'
      : status === 431
        ? 'The request headers are larger than Settle takes.'
        : 'The request could not be read as HTTP.';
  const body = JSON.stringify(errorBody('invalid_request', message, undefined, status));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
