import type { Order, PaymentAttempt } from '../domain/order.js';
import type { OrderEvent } from '../domain/timeline.js';
import type { CallbackRecord, TaskRecord, WebhookEndpointRecord } from '../ports/storage.js';
import type { Refund } from '../domain/refund.js';
import type { Chargeback } from '../domain/chargeback.js';
import type { FiscalReceipt } from '../domain/receipt.js';
import type { OutboxMessage, SyncState } from '../domain/outbox.js';
import type { Shipment } from '../domain/delivery.js';
import type { Adjustment } from '../domain/adjustment.js';
import type { ReconciliationRun } from '../domain/reconciliation-run.js';
import { linkState, outstandingOf, type PaymentLink } from '../domain/payment-link.js';

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
    review_status: o.reviewStatus,
    fiscal_status: o.fiscalStatus,
    delivery_status: o.deliveryStatus,
    payments: attempts.map(attemptView),
    created_at: o.createdAt,
    updated_at: o.updatedAt,
  };
}

/** One timeline line for support: who, how much (in the order's currency) and why, where the event has them. */
export function eventView(e: OrderEvent, currency: string) {
  const d = e.data ?? {};
  const amount = typeof d.amount === 'number' ? d.amount : typeof d.amount_delta === 'number' ? d.amount_delta : null;
  const reason = typeof d.reason === 'string' ? d.reason : typeof d.note === 'string' ? d.note : null;
  return {
    seq: e.seq,
    at: e.at,
    kind: e.kind,
    actor: e.actor,
    summary: e.summary,
    amount,
    currency: amount === null ? null : currency,
    reason,
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
    report_line: t.reportLine ?? null,
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
    payments: attempts.map((a) => ({
      status: a.status,
      amount: a.amount,
      currency: a.currency,
      created_at: a.createdAt,
    })),
    created_at: o.createdAt,
  };
}

export function refundView(r: Refund) {
  return {
    id: r.id,
    order_id: r.orderId,
    payment_id: r.attemptId,
    amount: r.amount,
    currency: r.currency,
    reason: r.reason,
    lines: r.lines,
    actor: r.actor,
    status: r.status,
    provider_ref: r.providerRef,
    error: r.error,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

export function chargebackView(c: Chargeback) {
  return {
    id: c.id,
    order_id: c.orderId,
    payment_id: c.attemptId,
    amount: c.amount,
    currency: c.currency,
    reason_code: c.reasonCode,
    status: c.status,
    source: c.source,
    provider_ref: c.providerRef,
    note: c.note,
    actor: c.actor,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

export function receiptView(r: FiscalReceipt) {
  return {
    id: r.id,
    order_id: r.orderId,
    kind: r.kind,
    payment_id: r.attemptId,
    refund_id: r.refundId,
    amount: r.amount,
    currency: r.currency,
    items: r.items,
    status: r.status,
    provider_ref: r.providerRef,
    fiscal_number: r.fiscalNumber,
    error: r.error,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

export function syncView(s: SyncState) {
  return {
    endpoint_id: s.endpointId,
    status: s.status,
    last_event_type: s.lastEventType,
    last_error: s.lastError,
    updated_at: s.updatedAt,
  };
}

/** An outbox message without its payload: what is stuck and why. */
export function outboxView(m: OutboxMessage) {
  return {
    id: m.id,
    topic: m.topic,
    event_type: m.eventType,
    order_id: m.orderId,
    target: m.target,
    status: m.status,
    attempts: m.attempts,
    next_attempt_at: m.nextAttemptAt,
    last_error: m.lastError,
    created_at: m.createdAt,
    queued_at: m.queuedAt,
    delivered_at: m.deliveredAt,
    request_id: m.requestId,
  };
}

/** A webhook endpoint; its secret never leaves Settle after the answer that created it. */
export function webhookEndpointView(e: WebhookEndpointRecord) {
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    status_map_preset: e.statusMapPreset,
    status_map: e.statusMap,
    enabled: e.enabled,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
  };
}

export interface OrderDetail {
  adjustments: readonly Adjustment[];
  shipments: readonly Shipment[];
  refunds: readonly Refund[];
  chargebacks: readonly Chargeback[];
  receipts: readonly FiscalReceipt[];
  sync: readonly SyncState[];
  paymentLinks: readonly PaymentLink[];
  /** To tell an expired link from an active one. */
  now: string;
}

/** One order with every track: refunds, chargebacks, fiscal receipts and each endpoint's sync state. */
export function orderDetailView(o: Order, attempts: readonly PaymentAttempt[], d: OrderDetail) {
  return {
    ...orderView(o, attempts),
    // The three amounts support compares: as placed, as confirmed now, and what went back.
    refunded_amount: d.refunds.filter((r) => r.status === 'succeeded').reduce((s, r) => s + r.amount, 0),
    outstanding_amount: Math.max(0, outstandingOf(o.amount, attempts, d.refunds, d.adjustments)),
    payment_links: d.paymentLinks.map((l) => paymentLinkView(l, d.now)),
    adjustments: d.adjustments.map(adjustmentView),
    shipments: d.shipments.map(shipmentView),
    refunds: d.refunds.map(refundView),
    chargebacks: d.chargebacks.map(chargebackView),
    receipts: d.receipts.map(receiptView),
    sync: d.sync.map(syncView),
  };
}

/** A shipment with its proof of delivery: when, how and a reference, nothing personal. */
export function shipmentView(s: Shipment) {
  return {
    id: s.id,
    order_id: s.orderId,
    lines: s.lines,
    courier: s.courier,
    courier_ref: s.courierRef,
    status: s.status,
    proof: s.proof,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

export function adjustmentView(a: Adjustment) {
  return {
    id: a.id,
    order_id: a.orderId,
    kind: a.kind,
    lines: a.lines,
    amount_delta: a.amountDelta,
    amount_before: a.amountBefore,
    amount_after: a.amountAfter,
    reason: a.reason,
    actor: a.actor,
    refund_id: a.refundId,
    created_at: a.createdAt,
  };
}

/** A pay-by-link without its token: the URL was shown once, when it was made. */
export function paymentLinkView(l: PaymentLink, now: string) {
  return {
    id: l.id,
    order_id: l.orderId,
    amount: l.amount,
    currency: l.currency,
    payment_method_id: l.paymentMethodId,
    status: linkState(l, now),
    expires_at: l.expiresAt,
    actor: l.actor,
    reason: l.reason,
    payment_id: l.attemptId,
    revoked_at: l.revokedAt,
    created_at: l.createdAt,
  };
}

export function runView(r: ReconciliationRun) {
  return {
    id: r.id,
    payment_method_id: r.paymentMethodId,
    date: r.reportDate,
    file_name: r.fileName,
    file_sha256: r.fileHash,
    via: r.via,
    actor: r.actor,
    status: r.status,
    error: r.error,
    counts: r.summary && {
      lines: r.summary.lines,
      matched: r.summary.matched,
      unreadable: r.summary.unreadable,
      exceptions: r.summary.exceptions,
    },
    totals: r.summary?.totals ?? null,
    created_at: r.createdAt,
    completed_at: r.completedAt,
  };
}
