import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { RouteOptions } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { errorSchema } from '../contract/error.js';
import { asWire } from '../contract/fields.js';
import type { Scope } from '../domain/access.js';

/**
 * What the OpenAPI document holds: the API a store, an accounting tool or an admin script calls
 * (`/v1/…`, and `/health` and `/ready` for probes), nothing else. The admin pages, the customer
 * pages, the callbacks (each provider's own protocol, documented in its connector's README), the
 * demo and the sandboxes are served beside it but are not part of it.
 */
const IN_API = /^\/(v1\/|health$|ready$)/;

const SCOPES_TEXT =
  'An API key, sent as `Authorization: Bearer <key>`. A key has scopes: `store` (orders, payments, ' +
  'refunds, shipments: what a shop does), `accounting` (reconciliation) and `admin` (configuration; an ' +
  "admin key may call every route). Each operation's `security` names the scopes that may call it.";

/** `publicUrl` is read when the document is first asked for: the server it names. */
export function openApiOptions(publicUrl: () => string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Settle API',
        version: '1',
        description:
          'Orders, payments, refunds, delivery and reconciliation. Amounts are integers in the currency’s minor units. ' +
          'Errors have one shape: {statusCode, code, error, message}.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: SCOPES_TEXT } } },
    },
    transformObject: (doc) =>
      'openapiObject' in doc
        ? { ...shareErrorSchema(doc.openapiObject), servers: [{ url: publicUrl() }] }
        : doc.swaggerObject,
    transform: ({ schema, url, route }) => {
      if (!IN_API.test(url)) return { schema: { ...schema, hide: true }, url };
      const scopes = scopesOf(route);
      // OpenAPI 3.1 lets a non-OAuth scheme list the roles an operation needs: here, the key's scopes.
      return { schema: scopes ? { ...schema, security: [{ bearer: scopes }] } : schema, url };
    },
  };
}

/** The scopes of the route's requireScope preHandler, if it has one. */
function scopesOf(route: RouteOptions): Scope[] | undefined {
  const hooks = [route.preHandler ?? []].flat() as { scopes?: Scope[] }[];
  return hooks.find((h) => Array.isArray(h.scopes))?.scopes;
}

interface OpenApiDoc {
  paths?: unknown;
  components?: unknown;
}
type Responses = Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;

const ERROR_JSON = JSON.stringify(errorSchema);

/**
 * Every error answer has one shape: the document says so once (components.schemas.Error) and each
 * operation refers to it, with the status's name as its description instead of "Default Response".
 * A success answer's fields are all present unless its schema says otherwise, as `Wire` promises.
 */
function shareErrorSchema<D extends OpenApiDoc>(doc: D): D {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, { responses?: Responses }>>;
  for (const ops of Object.values(paths)) {
    for (const op of Object.values(ops)) {
      for (const [status, res] of Object.entries(op.responses ?? {})) {
        const json = res.content?.['application/json'];
        if (json && JSON.stringify(json.schema) === ERROR_JSON) json.schema = { $ref: '#/components/schemas/Error' };
        else if (json) json.schema = asWire(json.schema);
        if (res.description === 'Default Response') res.description = STATUS_CODES[Number(status)] ?? status;
      }
    }
  }
  const components = (doc.components ?? {}) as { schemas?: Record<string, unknown> };
  return { ...doc, components: { ...components, schemas: { ...components.schemas, Error: errorSchema } } };
}
