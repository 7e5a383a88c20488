import type { Order, PaymentAttempt } from '../domain/order.js';
import type { OrderEvent } from '../domain/timeline.js';
import type { CallbackRecord, TaskRecord } from '../ports/storage.js';

// The shapes the API answers with. Response schemas in src/http whitelist the same fields.

export function attemptView(a: PaymentAttempt) {
  return {
    id: a.id,
    order_id: a.orderId,
    payment_method_id: a.paymentMethodId,
    connector: a.connector,
    amount: a.amount,
    currency: a.currency,
    provider_ref: a.providerRef,
    status: a.status,
    next_step: a.nextStep,
    verified_by: a.verifiedBy,
    provider_status: a.providerStatus,
    error_code: a.errorCode,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

export function orderView(o: Order, attempts: readonly PaymentAttempt[]) {
  return {
    id: o.id,
    reference: o.reference,
    currency: o.currency,
    amount: o.amount,
    original_amount: o.originalAmount,
    shipping_amount: o.shippingAmount,
    lines: o.lines,
    customer: o.customer,
    return_url: o.returnUrl,
    metadata: o.metadata,
    status: o.status,
    payment_status: o.paymentStatus,
    payments: attempts.map(attemptView),
    created_at: o.createdAt,
    updated_at: o.updatedAt,
  };
}

export function eventView(e: OrderEvent) {
  return {
    seq: e.seq,
    at: e.at,
    kind: e.kind,
    actor: e.actor,
    summary: e.summary,
    payment_id: e.attemptId ?? null,
    task_kind: e.taskKind ?? null,
    task_id: e.taskId ?? null,
  };
}

export function taskView(t: TaskRecord) {
  return {
    id: t.id,
    kind: t.kind,
    reason: t.reason,
    owner: t.owner,
    status: t.status,
    resolution: t.resolution,
    order_id: t.orderId,
    payment_id: t.attemptId ?? null,
    created_at: t.createdAt,
    resolved_at: t.resolvedAt,
  };
}

/** A callback as received, its secrets already redacted by the connector before it was stored. */
export function callbackView(c: CallbackRecord) {
  return {
    id: c.id,
    payment_method_id: c.paymentMethodId,
    received_at: c.receivedAt,
    method: c.method,
    headers: c.headers,
    query: c.query,
    body: c.body,
    verified: c.verified,
    outcome: c.outcome,
    reason: c.reason,
    provider_ref: c.providerRef,
    provider_status: c.providerStatus,
    payment_id: c.attemptId,
    order_id: c.orderId,
  };
}

/** What a customer holding the order key may see: no contact data, no metadata, no provider details. */
export function publicOrderView(o: Order, attempts: readonly PaymentAttempt[]) {
  return {
    reference: o.reference,
    currency: o.currency,
    amount: o.amount,
    lines: o.lines.map((l) => ({ name: l.name, quantity: l.quantity, unit_amount: l.unit_amount })),
    shipping_amount: o.shippingAmount,
    status: o.status,
    payment_status: o.paymentStatus,
    payments: attempts.map((a) => ({ status: a.status, amount: a.amount, currency: a.currency, created_at: a.createdAt })),
    created_at: o.createdAt,
  };
}
