import { ERROR_STATUS } from './error-codes.js';

// The one JSON shape of every error answer, for the API and for anything else that answers JSON.

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  414: 'URI Too Long',
  431: 'Request Header Fields Too Large',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
  details?: Record<string, unknown>;
}

/** `status` overrides the registry only for client errors raised by Fastify itself. */
export function errorBody(
  code: string,
  message: string,
  details?: Record<string, unknown>,
  status?: number,
): ErrorBody {
  const statusCode = status ?? ERROR_STATUS[code] ?? 500;
  return { statusCode, code, error: REASONS[statusCode] ?? 'Error', message, ...(details && { details }) };
}

/** The schema every error answer follows, for OpenAPI. */
export { errorSchema } from '../contract/error.js';
