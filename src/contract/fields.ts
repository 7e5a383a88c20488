import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

// The building blocks of the public schemas, and the one type that turns a response schema into
// the TypeScript shape its view must return.

export const MAX_MINOR = Number.MAX_SAFE_INTEGER;
export const text = (max: number, min = 1) => ({ type: 'string', minLength: min, maxLength: max }) as const;
export const minor = { type: 'integer', minimum: 0, maximum: MAX_MINOR } as const;
export const nullable = <const S extends JSONSchema>(s: S) => ({ anyOf: [s, { type: 'null' }] }) as const;
export const currency = { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' } as const;
export const httpUrl = { type: 'string', maxLength: 2048, pattern: '^https?://[^\\s]+$' } as const;
export const email = { type: 'string', maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' } as const;
export const isoTime = {
  type: 'string',
  maxLength: 40,
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?(Z|[+-]\\d{2}:\\d{2})$',
} as const;

// Response fields: what the serialiser writes, not what it checks.
export const str = { type: 'string' } as const;
export const int = { type: 'integer' } as const;
export const bool = { type: 'boolean' } as const;
export const dateTime = { type: 'string', format: 'date-time' } as const;
export const skuQuantity = {
  type: 'object',
  properties: { sku: str, quantity: int },
} as const;

/** `{ data: [item, …] }`, the shape of every list answer. */
export const listOf = <const S extends JSONSchema>(items: S) =>
  ({ type: 'object', properties: { data: { type: 'array', items } } }) as const;

/**
 * Marks an object schema whose properties may each be left out (a customer's contact fields):
 * `Wire` then keeps them optional, and so does the OpenAPI document (`required: []`).
 */
export const optionalFields = <const S extends JSONSchema>(s: S) =>
  ({ ...(s as object), required: [] }) as unknown as S & { readonly required: readonly [] };

/**
 * A response schema as `Wire` reads it, at run time: every object's listed properties required
 * unless it says which (the views are type-checked to fill them all); `closed` also allows no
 * other property. For the OpenAPI document and the contract tests; Fastify gets the schema as written.
 */
export function asWire(s: unknown, closed = false): unknown {
  if (Array.isArray(s)) return s.map((x) => asWire(x, closed));
  if (!s || typeof s !== 'object') return s;
  const o = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, k === 'enum' ? v : asWire(v, closed)]));
  if (o.type === 'object' && o.properties && typeof o.properties === 'object') {
    o.required ??= Object.keys(o.properties);
    if (closed) o.additionalProperties = false;
  }
  return o;
}

/**
 * What a response schema promises, as a type: every listed property present (Fastify's
 * serialiser drops any other), unless the schema says which are required or is marked with
 * `optionalFields`. A view returning this type cannot add a field the schema does not list (it
 * would be dropped on the wire) nor leave out one it does.
 */
export type Wire<S> = DeepReadonly<Strict<S> extends infer X extends JSONSchema ? FromSchema<X> : never>;

type Strict<S> = S extends { readonly anyOf: infer A extends readonly unknown[] }
  ? Omit<S, 'anyOf'> & { readonly anyOf: { readonly [K in keyof A]: Strict<A[K]> } }
  : S extends { readonly type: 'array'; readonly items: infer I }
    ? Omit<S, 'items'> & { readonly items: Strict<I> }
    : S extends { readonly type: 'object'; readonly properties: infer P }
      ? Omit<S, 'properties' | 'required' | 'additionalProperties'> & {
          readonly properties: { readonly [K in keyof P]: Strict<P[K]> };
          readonly required: S extends { readonly required: infer R } ? R : readonly (keyof P & string)[];
          readonly additionalProperties: false;
        }
      : S extends { readonly type: 'object'; readonly additionalProperties: infer X extends object }
        ? Omit<S, 'additionalProperties'> & { readonly additionalProperties: Strict<X> }
        : S;

type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
