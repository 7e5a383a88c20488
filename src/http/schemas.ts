import { ATTEMPT_STATUSES } from '../domain/attempt-status.js';
import { ORDER_STATUSES, PAYMENT_STATUSES } from '../domain/order-status.js';

// JSON schemas for requests (validated by Fastify/Ajv) and responses (serialised as whitelists:
// a field not named here never leaves the server).

const MAX_MINOR = Number.MAX_SAFE_INTEGER;
const text = (max: number, min = 1) => ({ type: 'string', minLength: min, maxLength: max }) as const;
const minor = { type: 'integer', minimum: 0, maximum: MAX_MINOR } as const;
const nullable = (s: Record<string, unknown>) => ({ anyOf: [s, { type: 'null' }] });
const currency = { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' } as const;
const httpUrl = { type: 'string', maxLength: 2048, pattern: '^https?://[^\\s]+$' } as const;

const line = {
  type: 'object',
  additionalProperties: false,
  required: ['sku', 'name', 'quantity', 'unit_amount'],
  properties: {
    sku: text(64),
    name: text(256),
    quantity: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    unit_amount: minor,
  },
} as const;

const customer = {
  type: 'object',
  additionalProperties: false,
  properties: {
    email: { type: 'string', maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' },
    phone: { type: 'string', maxLength: 32, pattern: '^[+0-9 ()-]{3,32}$' },
    name: text(200),
  },
} as const;

export const createOrderBody = {
  type: 'object',
  additionalProperties: false,
  required: ['reference', 'currency'],
  properties: {
    reference: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^\\s\\x00-\\x1f]+$', description: "The store's order number, unique without regard to case" },
    currency,
    amount: { type: 'integer', minimum: 1, maximum: MAX_MINOR, description: 'Minor units; computed from lines when they are given' },
    lines: { type: 'array', maxItems: 500, items: line },
    shipping_amount: minor,
    customer,
    return_url: httpUrl,
    metadata: { type: 'object', maxProperties: 50, additionalProperties: { type: 'string', maxLength: 500 }, propertyNames: { maxLength: 40 } },
  },
} as const;

export const createPaymentBody = {
  type: 'object',
  additionalProperties: false,
  required: ['payment_method_id'],
  properties: { payment_method_id: text(64) },
} as const;

export const createPaymentMethodBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'connector', 'settings'],
  properties: {
    name: text(100),
    connector: text(64),
    settings: { type: 'object', maxProperties: 50 },
    currencies: { type: 'array', maxItems: 200, items: currency },
    min_amount: minor,
    max_amount: minor,
    enabled: { type: 'boolean' },
    auto_approve: { type: 'boolean' },
  },
} as const;

export const listOrdersQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: [...ORDER_STATUSES] },
    reference: text(64),
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    cursor: text(200),
  },
} as const;

export const idParams = (name: string) =>
  ({ type: 'object', required: [name], properties: { [name]: { type: 'string', minLength: 1, maxLength: 100 } } }) as const;

const nextStep = nullable({
  type: 'object',
  required: ['type', 'url'],
  properties: { type: { type: 'string', enum: ['redirect'] }, url: { type: 'string' } },
});

export const paymentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    order_id: { type: 'string' },
    payment_method_id: { type: 'string' },
    connector: { type: 'string' },
    amount: { type: 'integer' },
    currency: { type: 'string' },
    provider_ref: { type: 'string' },
    status: { type: 'string', enum: [...ATTEMPT_STATUSES] },
    next_step: nextStep,
    verified_by: nullable({ type: 'string', enum: ['signature', 'status_check'] }),
    provider_status: nullable({ type: 'string' }),
    error_code: nullable({ type: 'string' }),
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

const lineOut = {
  type: 'object',
  properties: { sku: { type: 'string' }, name: { type: 'string' }, quantity: { type: 'integer' }, unit_amount: { type: 'integer' } },
} as const;

export const orderSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    reference: { type: 'string' },
    currency: { type: 'string' },
    amount: { type: 'integer', description: 'Current confirmed amount, minor units' },
    original_amount: { type: 'integer' },
    shipping_amount: { type: 'integer' },
    lines: { type: 'array', items: lineOut },
    customer: { type: 'object', properties: { email: { type: 'string' }, phone: { type: 'string' }, name: { type: 'string' } } },
    return_url: nullable({ type: 'string' }),
    metadata: { type: 'object', additionalProperties: { type: 'string' } },
    status: { type: 'string', enum: [...ORDER_STATUSES] },
    payment_status: { type: 'string', enum: [...PAYMENT_STATUSES] },
    payments: { type: 'array', items: paymentSchema },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const createdOrderSchema = {
  type: 'object',
  properties: {
    ...orderSchema.properties,
    order_key: { type: 'string', description: "The customer's key to this one order (GET /v1/public/orders/{order_key})" },
  },
} as const;

export const orderListSchema = {
  type: 'object',
  properties: { data: { type: 'array', items: orderSchema }, next_cursor: nullable({ type: 'string' }) },
} as const;

export const timelineSchema = {
  type: 'object',
  properties: {
    data: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          seq: { type: 'integer' },
          at: { type: 'string', format: 'date-time' },
          kind: { type: 'string' },
          actor: { type: 'string' },
          summary: { type: 'string' },
          payment_id: nullable({ type: 'string' }),
          task_kind: nullable({ type: 'string' }),
          task_id: nullable({ type: 'string', description: 'The task this event opened or changed' }),
        },
      },
    },
  },
} as const;

export const publicOrderSchema = {
  type: 'object',
  properties: {
    reference: { type: 'string' },
    currency: { type: 'string' },
    amount: { type: 'integer' },
    lines: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, quantity: { type: 'integer' }, unit_amount: { type: 'integer' } } } },
    shipping_amount: { type: 'integer' },
    status: { type: 'string' },
    payment_status: { type: 'string' },
    payments: {
      type: 'array',
      items: { type: 'object', properties: { status: { type: 'string' }, amount: { type: 'integer' }, currency: { type: 'string' }, created_at: { type: 'string' } } },
    },
    created_at: { type: 'string' },
  },
} as const;

export const paymentMethodSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    connector: { type: 'string' },
    settings: { type: 'object', additionalProperties: true, description: 'Secret fields are always masked' },
    currencies: nullable({ type: 'array', items: { type: 'string' } }),
    min_amount: nullable({ type: 'integer' }),
    max_amount: nullable({ type: 'integer' }),
    enabled: { type: 'boolean' },
    auto_approve: { type: 'boolean' },
    created_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const taskSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    reason: { type: 'string' },
    owner: nullable({ type: 'string' }),
    status: { type: 'string', enum: ['open', 'resolved'] },
    resolution: nullable({ type: 'string' }),
    order_id: nullable({ type: 'string' }),
    payment_id: nullable({ type: 'string' }),
    created_at: { type: 'string', format: 'date-time' },
    resolved_at: nullable({ type: 'string', format: 'date-time' }),
  },
} as const;

export const listTasksQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['open', 'resolved'] },
    kind: text(64),
    owner: text(100),
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
} as const;

export const callbackSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    payment_method_id: { type: 'string' },
    received_at: { type: 'string', format: 'date-time' },
    method: { type: 'string' },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    query: { type: 'string' },
    body: { type: 'string' },
    verified: { type: 'boolean' },
    outcome: { type: 'string', enum: ['applied', 'duplicate', 'stale', 'ignored', 'rejected'] },
    reason: nullable({ type: 'string' }),
    provider_ref: nullable({ type: 'string' }),
    provider_status: nullable({ type: 'string' }),
    payment_id: nullable({ type: 'string' }),
    order_id: nullable({ type: 'string' }),
  },
} as const;

export const listCallbacksQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    payment_method_id: text(64),
    outcome: { type: 'string', enum: ['applied', 'duplicate', 'stale', 'ignored', 'rejected'] },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
} as const;

export const reasonBody = (field: string, max = 500) =>
  ({ type: 'object', additionalProperties: false, required: [field], properties: { [field]: text(max) } }) as const;
