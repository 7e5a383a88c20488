import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorSchema } from '../contract/error.js';
import type { idempotencyHooks } from './idempotency.js';

// What every API route shares: the bearer security block, the error answers in the one error
// shape, and the path-parameter and one-field-body schemas.

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** The error answers most API routes may give. */
export const API_ERRORS = [400, 401, 403, 404, 409, 422, 503] as const;

/** `{code: errorSchema}` for each status code. */
export function errorResponses(codes: readonly number[]): Record<number, typeof errorSchema> {
  return Object.fromEntries(codes.map((c) => [c, errorSchema]));
}

/**
 * An API route's schema: the route's own parts, the bearer security block and the error
 * answers `errors` (API_ERRORS by default) next to its success answers.
 */
export function apiSchema<S extends { response: Record<number, unknown> }>(
  schema: S & { tags: string[]; summary: string },
  errors: readonly number[] = API_ERRORS,
) {
  return { ...schema, security: [{ bearer: [] }], response: { ...schema.response, ...errorResponses(errors) } };
}

/** The options of a money-moving POST: the scope check, then the Idempotency-Key replay. */
export function idempotent(scope: Hook, idem: ReturnType<typeof idempotencyHooks>) {
  return { preHandler: [scope, idem.preHandler], onSend: idem.onSend };
}

const id = { type: 'string', minLength: 1, maxLength: 100 } as const;

/** One path parameter, an id of 1 to 100 characters. */
export const idParams = (name: string) => ({ type: 'object', required: [name], properties: { [name]: id } }) as const;

/** Several path parameters, each an id of 1 to 100 characters. */
export const idsParams = (...names: string[]) =>
  ({ type: 'object', properties: Object.fromEntries(names.map((n) => [n, id])) }) as const;

/** A body of one required text field (a reason, a note, an owner). */
export const reasonBody = (field: string, max = 500) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: [field],
    properties: { [field]: { type: 'string', minLength: 1, maxLength: max } },
  }) as const;
