import { ATTEMPT_STATUSES } from '../domain/attempt-status.js';
import { ORDER_STATUSES, PAYMENT_STATUSES } from '../domain/order-status.js';
import { REVIEW_STATUSES } from '../domain/review.js';
import { FISCAL_STATUSES, RECEIPT_STATUSES } from '../domain/receipt.js';
import { REFUND_STATUSES } from '../domain/refund.js';
import { CHARGEBACK_STATUSES } from '../domain/chargeback.js';
import { OUTBOX_STATUSES } from '../domain/outbox.js';
import { WEBHOOK_EVENT_TYPES } from '../domain/effects.js';
import { MAIL_KINDS } from '../domain/notifications.js';
import { STORE_STATUS_KEYS, STORE_STATUS_PRESET_NAMES } from '../domain/store-status.js';
import { ADJUSTMENT_KINDS } from '../domain/adjustment.js';
import { CSV_MAPPING_SCHEMA } from '../domain/report.js';
import { DELIVERY_STATUSES, ORDER_DELIVERY_STATUSES, PROOF_KINDS } from '../domain/delivery.js';

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
    ip: {
      type: 'string',
      maxLength: 45,
      pattern: '^[0-9A-Fa-f:.]{2,45}$',
      description: "The buyer's IP, for the antifraud rules",
    },
  },
} as const;

export const createOrderBody = {
  type: 'object',
  additionalProperties: false,
  required: ['reference', 'currency'],
  properties: {
    reference: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^[^\\s\\x00-\\x1f]+$',
      description: "The store's order number, unique without regard to case",
    },
    currency,
    amount: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_MINOR,
      description: 'Minor units; computed from lines when they are given',
    },
    lines: { type: 'array', maxItems: 500, items: line },
    shipping_amount: minor,
    customer,
    return_url: httpUrl,
    metadata: {
      type: 'object',
      maxProperties: 50,
      additionalProperties: { type: 'string', maxLength: 500 },
      propertyNames: { maxLength: 40 },
    },
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
    report_mapping: {
      ...CSV_MAPPING_SCHEMA,
      description: "How to read the provider's CSV report: which columns hold what",
    },
  },
} as const;

export const listOrdersQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: [...ORDER_STATUSES] },
    payment_status: { type: 'string', enum: [...PAYMENT_STATUSES] },
    delivery_status: { type: 'string', enum: [...ORDER_DELIVERY_STATUSES] },
    fiscal_status: { type: 'string', enum: [...FISCAL_STATUSES] },
    review_status: { type: 'string', enum: [...REVIEW_STATUSES] },
    sync: {
      type: 'string',
      enum: ['pending', 'failed'],
      description: 'Orders with a webhook message still pending, or given up',
    },
    payment_method_id: text(100),
    created_from: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'First day (UTC), inclusive' },
    created_to: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Last day (UTC), inclusive' },
    reference: { ...text(65), description: 'Exact, without regard to case; end with * to search by the start' },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    cursor: text(200),
  },
} as const;

export const idParams = (name: string) =>
  ({
    type: 'object',
    required: [name],
    properties: { [name]: { type: 'string', minLength: 1, maxLength: 100 } },
  }) as const;

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
  properties: {
    sku: { type: 'string' },
    name: { type: 'string' },
    quantity: { type: 'integer' },
    unit_amount: { type: 'integer' },
  },
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
    customer: {
      type: 'object',
      properties: {
        email: { type: 'string' },
        phone: { type: 'string' },
        name: { type: 'string' },
        ip: { type: 'string' },
      },
    },
    return_url: nullable({ type: 'string' }),
    metadata: { type: 'object', additionalProperties: { type: 'string' } },
    status: { type: 'string', enum: [...ORDER_STATUSES] },
    payment_status: { type: 'string', enum: [...PAYMENT_STATUSES] },
    review_status: { type: 'string', enum: [...REVIEW_STATUSES] },
    fiscal_status: { type: 'string', enum: [...FISCAL_STATUSES] },
    delivery_status: { type: 'string', enum: [...ORDER_DELIVERY_STATUSES] },
    payments: { type: 'array', items: paymentSchema },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const createdOrderSchema = {
  type: 'object',
  properties: {
    ...orderSchema.properties,
    order_key: {
      type: 'string',
      description: "The customer's key to this one order (GET /v1/public/orders/{order_key})",
    },
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
          amount: nullable({
            type: 'integer',
            description: 'Minor units: the money this event is about (a payment, a refund, an adjustment delta)',
          }),
          currency: nullable({ type: 'string' }),
          reason: nullable({ type: 'string', description: 'Why, as the actor gave it' }),
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
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, quantity: { type: 'integer' }, unit_amount: { type: 'integer' } },
      },
    },
    shipping_amount: { type: 'integer' },
    status: { type: 'string' },
    payment_status: { type: 'string' },
    payments: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          status: { type: 'string' },
          amount: { type: 'integer' },
          currency: { type: 'string' },
          created_at: { type: 'string' },
        },
      },
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
    report_mapping: nullable({ type: 'object', additionalProperties: true }),
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
    report_line: nullable({
      type: 'string',
      description: 'run id:line number of the report line a reconciliation task is about',
    }),
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

// ---- after payment ----

const refundLine = {
  type: 'object',
  additionalProperties: false,
  required: ['sku', 'quantity'],
  properties: { sku: text(64), quantity: { type: 'integer', minimum: 1, maximum: 1_000_000 } },
} as const;

export const createRefundBody = {
  type: 'object',
  additionalProperties: false,
  required: ['amount', 'reason'],
  properties: {
    amount: { type: 'integer', minimum: 1, maximum: MAX_MINOR, description: 'Minor units' },
    reason: text(500),
    lines: { type: 'array', maxItems: 500, items: refundLine },
    payment_id: text(64),
  },
} as const;

export const refundSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    order_id: { type: 'string' },
    payment_id: { type: 'string' },
    amount: { type: 'integer' },
    currency: { type: 'string' },
    reason: { type: 'string' },
    lines: {
      type: 'array',
      items: { type: 'object', properties: { sku: { type: 'string' }, quantity: { type: 'integer' } } },
    },
    actor: { type: 'string' },
    status: {
      type: 'string',
      enum: [...REFUND_STATUSES],
      description: 'manual: the acquirer has no refund call; pay it out by hand, then confirm it',
    },
    provider_ref: nullable({ type: 'string' }),
    error: nullable({ type: 'string' }),
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const createChargebackBody = {
  type: 'object',
  additionalProperties: false,
  required: ['amount', 'reason_code'],
  properties: {
    amount: { type: 'integer', minimum: 1, maximum: MAX_MINOR },
    reason_code: text(64),
    payment_id: text(64),
    provider_ref: text(128),
    note: text(2000),
  },
} as const;

export const decideChargebackBody = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: { status: { type: 'string', enum: ['won', 'lost'] }, note: text(2000) },
} as const;

export const chargebackSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    order_id: { type: 'string' },
    payment_id: { type: 'string' },
    amount: { type: 'integer' },
    currency: { type: 'string' },
    reason_code: { type: 'string' },
    status: { type: 'string', enum: [...CHARGEBACK_STATUSES] },
    source: { type: 'string', enum: ['api', 'provider'] },
    provider_ref: nullable({ type: 'string' }),
    note: nullable({ type: 'string' }),
    actor: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const receiptSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    order_id: { type: 'string' },
    kind: { type: 'string', enum: ['sale', 'refund'] },
    payment_id: nullable({ type: 'string' }),
    refund_id: nullable({ type: 'string' }),
    amount: { type: 'integer' },
    currency: { type: 'string' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, quantity: { type: 'integer' }, amount: { type: 'integer' } },
      },
    },
    status: { type: 'string', enum: [...RECEIPT_STATUSES] },
    provider_ref: nullable({ type: 'string' }),
    fiscal_number: nullable({ type: 'string' }),
    error: nullable({ type: 'string' }),
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const syncSchema = {
  type: 'object',
  properties: {
    endpoint_id: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'synced', 'failing', 'failed'] },
    last_event_type: nullable({ type: 'string' }),
    last_error: nullable({ type: 'string' }),
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

const isoTime = {
  type: 'string',
  maxLength: 40,
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?(Z|[+-]\\d{2}:\\d{2})$',
} as const;
const proof = {
  type: 'object',
  additionalProperties: false,
  required: ['at', 'kind', 'reference'],
  properties: { at: isoTime, kind: { type: 'string', enum: [...PROOF_KINDS] }, reference: text(200) },
  description: 'When, how (signature, code, photo, courier_event) and a reference: no names, addresses or images',
} as const;

export const createShipmentBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    lines: { type: 'array', maxItems: 500, items: refundLine, description: 'Leave out for the whole order' },
    courier: text(100),
    courier_ref: text(200),
  },
} as const;

export const shipmentEventBody = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'at'],
  properties: {
    status: { type: 'string', enum: DELIVERY_STATUSES.filter((s) => s !== 'not_started') },
    at: isoTime,
    courier: text(100),
    courier_ref: text(200),
    proof,
  },
} as const;

export const shipmentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    order_id: { type: 'string' },
    lines: {
      type: 'array',
      items: { type: 'object', properties: { sku: { type: 'string' }, quantity: { type: 'integer' } } },
    },
    courier: nullable({ type: 'string' }),
    courier_ref: nullable({ type: 'string' }),
    status: { type: 'string', enum: [...DELIVERY_STATUSES] },
    proof: nullable({
      type: 'object',
      properties: { at: { type: 'string' }, kind: { type: 'string' }, reference: { type: 'string' } },
    }),
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const createAdjustmentBody = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'reason'],
  properties: {
    kind: { type: 'string', enum: [...ADJUSTMENT_KINDS] },
    lines: { type: 'array', maxItems: 500, items: refundLine },
    amount_delta: {
      type: 'integer',
      minimum: -MAX_MINOR,
      maximum: MAX_MINOR,
      description: 'Signed, minor units; a partial cancellation takes it from its lines',
    },
    reason: text(500),
    link_expires_at: {
      ...isoTime,
      description: 'When a rise on a prepaid order becomes a payment link: its expiry (default 72 hours)',
    },
  },
} as const;

export const createPaymentLinkBody = {
  type: 'object',
  additionalProperties: false,
  required: ['expires_at'],
  properties: {
    amount: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_MINOR,
      description: 'Minor units; default all the order still owes, never more',
    },
    expires_at: { ...isoTime, description: 'At most 90 days ahead' },
    payment_method_id: {
      ...text(64),
      description: "Default: the method of the order's last payment, or the only one enabled",
    },
    reason: text(500),
  },
} as const;

export const paymentLinkSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    order_id: { type: 'string' },
    amount: { type: 'integer' },
    currency: { type: 'string' },
    payment_method_id: { type: 'string' },
    status: { type: 'string', enum: ['active', 'expired', 'revoked', 'paid'] },
    expires_at: { type: 'string', format: 'date-time' },
    actor: { type: 'string' },
    reason: { type: 'string' },
    payment_id: nullable({ type: 'string' }),
    revoked_at: nullable({ type: 'string', format: 'date-time' }),
    created_at: { type: 'string', format: 'date-time' },
  },
} as const;

/** A link as made: the only answer that carries its URL (the token is stored hashed). */
export const issuedLinkSchema = {
  type: 'object',
  properties: {
    ...paymentLinkSchema.properties,
    url: { type: 'string', description: "The customer's page; shown once" },
  },
} as const;

export const adjustmentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    order_id: { type: 'string' },
    kind: { type: 'string', enum: [...ADJUSTMENT_KINDS] },
    lines: {
      type: 'array',
      items: { type: 'object', properties: { sku: { type: 'string' }, quantity: { type: 'integer' } } },
    },
    amount_delta: { type: 'integer' },
    amount_before: { type: 'integer' },
    amount_after: { type: 'integer' },
    reason: { type: 'string' },
    actor: { type: 'string' },
    refund_id: nullable({ type: 'string' }),
    created_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const adjustmentResultSchema = {
  type: 'object',
  properties: {
    adjustment: adjustmentSchema,
    refund: nullable(refundSchema),
    payment_link: nullable(issuedLinkSchema),
  },
} as const;

export const orderDetailSchema = {
  type: 'object',
  properties: {
    ...orderSchema.properties,
    refunded_amount: { type: 'integer', description: 'What went back to the customer (succeeded refunds)' },
    outstanding_amount: {
      type: 'integer',
      description: 'What the customer still owes: amount less payments net of refunds not failed',
    },
    payment_links: { type: 'array', items: paymentLinkSchema },
    adjustments: { type: 'array', items: adjustmentSchema },
    shipments: { type: 'array', items: shipmentSchema },
    refunds: { type: 'array', items: refundSchema },
    chargebacks: { type: 'array', items: chargebackSchema },
    receipts: { type: 'array', items: receiptSchema },
    sync: { type: 'array', items: syncSchema, description: "Each webhook endpoint's delivery state for this order" },
  },
} as const;

export const reviewBody = {
  type: 'object',
  additionalProperties: false,
  required: ['decision', 'note'],
  properties: { decision: { type: 'string', enum: ['approve', 'reject'] }, note: text(2000) },
} as const;

const statusMap = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(STORE_STATUS_KEYS.map((k) => [k, text(64)])),
} as const;

export const createWebhookEndpointBody = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'events'],
  properties: {
    url: httpUrl,
    events: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: { type: 'string', enum: ['*', ...WEBHOOK_EVENT_TYPES] },
    },
    secret: {
      type: 'string',
      minLength: 38,
      maxLength: 100,
      description: 'whsec_ + base64 of 24 to 64 bytes; made for you when left out',
    },
    status_map_preset: nullable({ type: 'string', enum: [...STORE_STATUS_PRESET_NAMES] }),
    status_map: statusMap,
  },
} as const;

export const webhookEndpointSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    url: { type: 'string' },
    events: { type: 'array', items: { type: 'string' } },
    status_map_preset: nullable({ type: 'string' }),
    status_map: { type: 'object', additionalProperties: { type: 'string' } },
    enabled: { type: 'boolean' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const createdWebhookEndpointSchema = {
  type: 'object',
  properties: {
    ...webhookEndpointSchema.properties,
    secret: { type: 'string', description: 'Shown only in this answer' },
  },
} as const;

export const outboxSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    topic: { type: 'string', enum: ['webhook', 'email', 'fiscal'] },
    event_type: { type: 'string' },
    order_id: nullable({ type: 'string' }),
    target: { type: 'string' },
    status: { type: 'string', enum: [...OUTBOX_STATUSES] },
    attempts: { type: 'integer' },
    next_attempt_at: { type: 'string', format: 'date-time' },
    last_error: nullable({ type: 'string' }),
    created_at: { type: 'string', format: 'date-time' },
    queued_at: {
      type: 'string',
      format: 'date-time',
      description: 'When it last entered the queue: created_at, or the latest retry or resend',
    },
    delivered_at: nullable({ type: 'string', format: 'date-time' }),
    request_id: nullable({
      type: 'string',
      description:
        "The id of the HTTP request that produced it (also in that request's log lines); null when a worker or the janitor did",
    }),
  },
} as const;

export const listOutboxQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: [...OUTBOX_STATUSES] },
    topic: { type: 'string', enum: ['webhook', 'email', 'fiscal'] },
    order_id: text(64),
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
} as const;

const email = { type: 'string', maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' } as const;

export const notificationSettingsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'order_department_email', 'send'],
  properties: {
    from: {
      type: 'string',
      minLength: 3,
      maxLength: 300,
      pattern: '^[^\\r\\n]+@[^\\r\\n]+$',
      description: 'The sender, "Shop <shop@example.com>"',
    },
    order_department_email: nullable(email),
    send: {
      type: 'object',
      additionalProperties: false,
      required: [...MAIL_KINDS],
      properties: Object.fromEntries(MAIL_KINDS.map((k) => [k, { type: 'boolean' }])),
    },
  },
} as const;

const windowRule = nullable({
  type: 'object',
  additionalProperties: false,
  required: ['count', 'window_hours'],
  properties: {
    count: { type: 'integer', minimum: 1, maximum: 100_000 },
    window_hours: { type: 'integer', minimum: 1, maximum: 8760 },
  },
});

export const reviewRulesSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['amount_above', 'max_orders_per_email', 'max_orders_per_ip', 'blocked_emails', 'blocked_domains'],
  properties: {
    amount_above: {
      type: 'object',
      maxProperties: 200,
      propertyNames: { pattern: '^[A-Z]{3}$' },
      additionalProperties: minor,
      description: 'Per currency, minor units',
    },
    max_orders_per_email: windowRule,
    max_orders_per_ip: windowRule,
    blocked_emails: { type: 'array', maxItems: 10_000, items: email },
    blocked_domains: {
      type: 'array',
      maxItems: 10_000,
      items: { type: 'string', minLength: 1, maxLength: 253, pattern: '^@?[A-Za-z0-9.-]+$' },
    },
  },
} as const;

const totalsSchema = {
  type: 'object',
  properties: {
    sales: { type: 'integer' },
    refunds: { type: 'integer' },
    chargebacks: { type: 'integer' },
    fees: { type: 'integer' },
    net: { type: 'integer' },
  },
} as const;

export const runSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    payment_method_id: { type: 'string' },
    date: { type: 'string' },
    file_name: { type: 'string' },
    file_sha256: { type: 'string' },
    via: { type: 'string', enum: ['api', 'cli', 'schedule', 'admin'] },
    actor: { type: 'string' },
    status: { type: 'string', enum: ['running', 'completed', 'failed'] },
    error: nullable({ type: 'string' }),
    counts: nullable({
      type: 'object',
      properties: {
        lines: { type: 'integer' },
        matched: { type: 'integer' },
        unreadable: { type: 'integer' },
        exceptions: {
          type: 'object',
          additionalProperties: { type: 'integer' },
          description: 'Tasks this run opened, by kind (report exceptions, missing_in_report, internal checks)',
        },
      },
    }),
    totals: nullable({
      type: 'object',
      additionalProperties: totalsSchema,
      description:
        "Per currency, minor units, the report's succeeded lines: net = sales − refunds − chargebacks − fees",
    }),
    created_at: { type: 'string', format: 'date-time' },
    completed_at: nullable({ type: 'string', format: 'date-time' }),
  },
} as const;

export const updatePaymentMethodBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: text(100),
    settings: {
      type: 'object',
      maxProperties: 50,
      description:
        'Merged over the current settings; null removes a field; a secret left out, null or empty keeps its value',
    },
    currencies: nullable({ type: 'array', maxItems: 200, items: currency }),
    min_amount: nullable(minor),
    max_amount: nullable(minor),
    enabled: { type: 'boolean' },
    auto_approve: { type: 'boolean' },
  },
} as const;

export const updateWebhookEndpointBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    events: createWebhookEndpointBody.properties.events,
    status_map_preset: createWebhookEndpointBody.properties.status_map_preset,
    status_map: {
      ...statusMap,
      description: 'The overrides on top of the preset (replacing the current ones); left out, they are kept',
    },
    enabled: { type: 'boolean' },
  },
} as const;

const scope = { type: 'string', enum: ['store', 'accounting', 'admin'] } as const;

export const createApiKeyBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'scopes'],
  properties: { name: text(100), scopes: { type: 'array', minItems: 1, maxItems: 3, items: scope } },
} as const;

export const apiKeySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    prefix: { type: 'string', description: 'The first characters of the key, to tell keys apart' },
    scopes: { type: 'array', items: scope },
    created_at: { type: 'string', format: 'date-time' },
    revoked_at: nullable({ type: 'string', format: 'date-time' }),
  },
} as const;

export const createdApiKeySchema = {
  type: 'object',
  properties: { ...apiKeySchema.properties, key: { type: 'string', description: 'Shown only in this answer' } },
} as const;
