import { int, str, type Wire } from './fields.js';

/** Every error answer: {statusCode, code, error, message} and, for some codes, details. */
export const errorSchema = {
  type: 'object',
  required: ['statusCode', 'code', 'error', 'message'],
  properties: {
    statusCode: int,
    code: str,
    error: str,
    message: str,
    details: { type: 'object', additionalProperties: true },
  },
} as const;

export type ErrorView = Wire<typeof errorSchema>;
