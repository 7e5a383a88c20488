import type { Selectable } from 'kysely';
import type { Order, PaymentAttempt } from '../domain/order.js';
import type { OrderEvent } from '../domain/timeline.js';
import type {
  ApiKeyRecord,
  CallbackRecord,
  IdempotencyRecord,
  PaymentMethodRecord,
  ProviderOperation,
  SessionRecord,
  TaskRecord,
  UserRecord,
} from '../ports/storage.js';
import type { Database } from './schema.js';
import { normalizeEmail } from '../domain/review.js';
import type { OutboxMessage } from '../domain/outbox.js';
import type { Refund } from '../domain/refund.js';
import type { Chargeback } from '../domain/chargeback.js';
import type { FiscalReceipt } from '../domain/receipt.js';
import type { Shipment } from '../domain/delivery.js';
import type { Adjustment } from '../domain/adjustment.js';
import type { PaymentLink } from '../domain/payment-link.js';
import type { ReconciliationRun } from '../domain/reconciliation-run.js';
import type { WebhookEndpointRecord } from '../ports/storage.js';

// Row <-> domain mapping. The casts on status columns are safe because only these mappers write them.

export type Row<T extends keyof Database> = Selectable<Database[T]>;

export function orderFromRow(r: Row<'orders'>): Order {
  return {
    id: r.id,
    reference: r.reference,
    currency: r.currency,
    originalAmount: Number(r.original_amount),
    amount: Number(r.amount),
    shippingAmount: Number(r.shipping_amount),
    lines: JSON.parse(r.lines),
    customer: JSON.parse(r.customer),
    returnUrl: r.return_url,
    metadata: JSON.parse(r.metadata),
    status: r.status as Order['status'],
    paymentStatus: r.payment_status as Order['paymentStatus'],
    reviewStatus: r.review_status as Order['reviewStatus'],
    fiscalStatus: r.fiscal_status as Order['fiscalStatus'],
    deliveryStatus: r.delivery_status as Order['deliveryStatus'],
    contentHash: r.content_hash,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function orderToRow(o: Order, keyHash: string, referenceNorm: string): Row<'orders'> {
  return {
    id: o.id,
    reference: o.reference,
    reference_norm: referenceNorm,
    currency: o.currency,
    original_amount: o.originalAmount,
    amount: o.amount,
    shipping_amount: o.shippingAmount,
    lines: JSON.stringify(o.lines),
    customer: JSON.stringify(o.customer),
    return_url: o.returnUrl,
    metadata: JSON.stringify(o.metadata),
    status: o.status,
    payment_status: o.paymentStatus,
    content_hash: o.contentHash,
    key_hash: keyHash,
    review_status: o.reviewStatus,
    fiscal_status: o.fiscalStatus,
    delivery_status: o.deliveryStatus,
    customer_email_norm: normalizeEmail(o.customer.email),
    customer_ip: o.customer.ip ?? null,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
  };
}

export function attemptFromRow(r: Row<'payment_attempts'>): PaymentAttempt {
  return {
    id: r.id,
    orderId: r.order_id,
    paymentMethodId: r.payment_method_id,
    connector: r.connector,
    amount: Number(r.amount),
    currency: r.currency,
    providerRef: r.provider_ref,
    nextStep: r.next_step ? JSON.parse(r.next_step) : null,
    status: r.status as PaymentAttempt['status'],
    verifiedBy: r.verified_by as PaymentAttempt['verifiedBy'],
    providerStatus: r.provider_status,
    errorCode: r.error_code,
    paymentLinkId: r.payment_link_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function eventFromRow(r: Row<'order_events'>): OrderEvent {
  return {
    orderId: r.order_id,
    seq: Number(r.seq),
    at: r.at,
    kind: r.kind,
    actor: r.actor as OrderEvent['actor'],
    summary: r.summary,
    attemptId: r.attempt_id,
    taskKind: r.task_kind,
    taskId: r.task_id,
    data: JSON.parse(r.data),
  };
}

export function taskFromRow(r: Row<'tasks'>): TaskRecord {
  return {
    id: r.id,
    kind: r.kind as TaskRecord['kind'],
    reason: r.reason,
    owner: r.owner,
    status: r.status as TaskRecord['status'],
    resolution: r.resolution,
    orderId: r.order_id,
    attemptId: r.attempt_id,
    reportLine: r.report_line,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
  };
}

export function paymentMethodFromRow(r: Row<'payment_methods'>): PaymentMethodRecord {
  return {
    id: r.id,
    name: r.name,
    connector: r.connector,
    settings: JSON.parse(r.settings),
    secretsCiphertext: r.secrets,
    currencies: r.currencies ? JSON.parse(r.currencies) : null,
    minAmount: r.min_amount === null ? null : Number(r.min_amount),
    maxAmount: r.max_amount === null ? null : Number(r.max_amount),
    enabled: r.enabled === 1,
    autoApprove: r.auto_approve === 1,
    reportMapping: r.report_mapping ? JSON.parse(r.report_mapping) : null,
    createdAt: r.created_at,
  };
}

export function userFromRow(r: Row<'users'>): UserRecord {
  return {
    id: r.id,
    email: r.email,
    emailNorm: r.email_norm,
    role: r.role as UserRecord['role'],
    passwordHash: r.password_hash,
    createdAt: r.created_at,
    disabledAt: r.disabled_at,
  };
}

export function sessionFromRow(r: Row<'admin_sessions'>): SessionRecord {
  return {
    tokenHash: r.token_hash,
    userId: r.user_id,
    csrfSecret: r.csrf_secret,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
  };
}

export function apiKeyFromRow(r: Row<'api_keys'>): ApiKeyRecord {
  return {
    id: r.id,
    name: r.name,
    keyHash: r.key_hash,
    prefix: r.prefix,
    scopes: r.scopes.split(',').filter(Boolean) as ApiKeyRecord['scopes'],
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

export function callbackFromRow(r: Row<'callbacks'>): CallbackRecord {
  return {
    id: r.id,
    paymentMethodId: r.payment_method_id,
    receivedAt: r.received_at,
    method: r.method,
    headers: JSON.parse(r.headers),
    query: r.query,
    body: r.body,
    verified: r.verified === 1,
    outcome: r.outcome as CallbackRecord['outcome'],
    reason: r.reason,
    providerRef: r.provider_ref,
    providerStatus: r.provider_status,
    attemptId: r.attempt_id,
    orderId: r.order_id,
  };
}

export function idempotencyFromRow(r: Row<'idempotency_keys'>): IdempotencyRecord {
  return {
    scopeKey: r.scope_key,
    requestHash: r.request_hash,
    responseStatus: r.response_status === null ? null : Number(r.response_status),
    responseBody: r.response_body,
    createdAt: r.created_at,
  };
}

export function operationFromRow(r: Row<'provider_operations'>): ProviderOperation {
  return {
    id: r.id,
    kind: r.kind as ProviderOperation['kind'],
    orderId: r.order_id,
    attemptId: r.attempt_id,
    status: r.status as ProviderOperation['status'],
    actor: r.actor,
    reason: r.reason,
    error: r.error,
    tries: Number(r.tries),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function outboxFromRow(r: Row<'outbox'>): OutboxMessage {
  return {
    id: r.id,
    topic: r.topic as OutboxMessage['topic'],
    eventType: r.event_type,
    orderId: r.order_id,
    orderSeq: Number(r.order_seq),
    target: r.target,
    payload: JSON.parse(r.payload),
    status: r.status as OutboxMessage['status'],
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    requestId: r.request_id ?? null,
    queuedAt: r.queued_at ?? r.created_at,
  };
}

export function webhookEndpointFromRow(r: Row<'webhook_endpoints'>): WebhookEndpointRecord {
  return {
    id: r.id,
    url: r.url,
    events: JSON.parse(r.events),
    secretCiphertext: r.secret,
    statusMapPreset: r.status_map_preset,
    statusMap: JSON.parse(r.status_map),
    enabled: r.enabled === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function refundFromRow(r: Row<'refunds'>): Refund {
  return {
    id: r.id,
    orderId: r.order_id,
    attemptId: r.attempt_id,
    amount: Number(r.amount),
    currency: r.currency,
    reason: r.reason,
    lines: JSON.parse(r.lines),
    actor: r.actor,
    status: r.status as Refund['status'],
    providerRef: r.provider_ref,
    error: r.error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function chargebackFromRow(r: Row<'chargebacks'>): Chargeback {
  return {
    id: r.id,
    orderId: r.order_id,
    attemptId: r.attempt_id,
    amount: Number(r.amount),
    currency: r.currency,
    reasonCode: r.reason_code,
    status: r.status as Chargeback['status'],
    source: r.source as Chargeback['source'],
    providerRef: r.provider_ref,
    note: r.note,
    actor: r.actor,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function receiptFromRow(r: Row<'receipts'>): FiscalReceipt {
  return {
    id: r.id,
    orderId: r.order_id,
    kind: r.kind as FiscalReceipt['kind'],
    attemptId: r.attempt_id,
    refundId: r.refund_id,
    amount: Number(r.amount),
    currency: r.currency,
    items: JSON.parse(r.items),
    status: r.status as FiscalReceipt['status'],
    providerRef: r.provider_ref,
    fiscalNumber: r.fiscal_number,
    error: r.error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function shipmentFromRow(r: Row<'shipments'>): Shipment {
  return {
    id: r.id,
    orderId: r.order_id,
    lines: JSON.parse(r.lines),
    courier: r.courier,
    courierRef: r.courier_ref,
    status: r.status as Shipment['status'],
    proof: r.proof ? JSON.parse(r.proof) : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function adjustmentFromRow(r: Row<'adjustments'>): Adjustment {
  return {
    id: r.id,
    orderId: r.order_id,
    kind: r.kind as Adjustment['kind'],
    lines: JSON.parse(r.lines),
    amountDelta: Number(r.amount_delta),
    amountBefore: Number(r.amount_before),
    amountAfter: Number(r.amount_after),
    reason: r.reason,
    actor: r.actor,
    refundId: r.refund_id,
    createdAt: r.created_at,
  };
}

export function paymentLinkFromRow(r: Row<'payment_links'>): PaymentLink {
  return {
    id: r.id,
    orderId: r.order_id,
    amount: Number(r.amount),
    currency: r.currency,
    paymentMethodId: r.payment_method_id,
    status: r.status as PaymentLink['status'],
    expiresAt: r.expires_at,
    actor: r.actor,
    reason: r.reason,
    attemptId: r.attempt_id,
    revokedAt: r.revoked_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function runFromRow(r: Row<'reconciliation_runs'>): ReconciliationRun {
  return {
    id: r.id,
    paymentMethodId: r.payment_method_id,
    reportDate: r.report_date,
    fileName: r.file_name,
    fileHash: r.file_hash,
    via: r.via as ReconciliationRun['via'],
    actor: r.actor,
    status: r.status as ReconciliationRun['status'],
    error: r.error,
    summary: r.summary ? JSON.parse(r.summary) : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
  };
}
