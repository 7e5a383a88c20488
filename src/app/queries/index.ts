import type { RawRequest } from '../../ports/connector.js';
import { normalizeReference, type Order, type PaymentAttempt } from '../../domain/order.js';
import type { OrderStatus, PaymentStatus } from '../../domain/order-status.js';
import type { OrderDeliveryStatus } from '../../domain/delivery.js';
import type { FiscalStatus } from '../../domain/receipt.js';
import type { ReviewStatus } from '../../domain/review.js';
import { fail, ok, type Result } from '../../domain/result.js';
import type { OrderEvent } from '../../domain/timeline.js';
import type { AppDeps } from '../deps.js';
import { decodeCursor, encodeCursor } from './keyset-cursor.js';

// Read-only use cases. They see committed data only.

export async function getOrder(
  deps: AppDeps,
  id: string,
): Promise<Result<{ order: Order; attempts: PaymentAttempt[] }>> {
  const order = await deps.storage.read.getOrder(id);
  if (!order) return fail('order_not_found', `There is no order ${id}.`);
  return ok({ order, attempts: await deps.storage.read.listAttempts(id) });
}

export async function getTimeline(deps: AppDeps, id: string): Promise<Result<{ order: Order; events: OrderEvent[] }>> {
  const order = await deps.storage.read.getOrder(id);
  if (!order) return fail('order_not_found', `There is no order ${id}.`);
  return ok({ order, events: await deps.storage.read.listEvents(id) });
}

export interface OrderPage {
  orders: Order[];
  nextCursor: string | null;
}

/** What an order list can be narrowed by: every status track, payment method, date and reference. */
export interface OrderFilters {
  status?: OrderStatus;
  payment_status?: PaymentStatus;
  delivery_status?: OrderDeliveryStatus;
  fiscal_status?: FiscalStatus;
  review_status?: ReviewStatus;
  sync?: 'pending' | 'failed';
  payment_method_id?: string;
  /** Calendar days (UTC), inclusive: YYYY-MM-DD. */
  created_from?: string;
  created_to?: string;
  /** The store's order number, without regard to case; a trailing "*" searches by its start. */
  reference?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Newest first, by keyset: a cursor names the last order seen, so pages never skip or repeat. */
export async function listOrders(
  deps: AppDeps,
  q: OrderFilters & { limit: number; cursor?: string },
): Promise<Result<OrderPage>> {
  let before: { createdAt: string; id: string } | undefined;
  if (q.cursor) {
    const decoded = decodeCursor(q.cursor);
    if (!decoded) return fail('cursor_invalid', 'The cursor is not one this API gave out.');
    before = { createdAt: decoded.at, id: decoded.id };
  }
  const days = [q.created_from, q.created_to].filter((d): d is string => d !== undefined && d !== '');
  // A round trip catches 2026-02-31, which Date.parse would roll over into March.
  const badDay = days.find(
    (d) =>
      !DAY.test(d) ||
      Number.isNaN(Date.parse(`${d}T00:00:00Z`)) ||
      new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d,
  );
  if (badDay !== undefined) return fail('invalid_request', `"${badDay}" is not a date (YYYY-MM-DD).`);
  const ref = q.reference?.trim();
  const prefix = ref?.endsWith('*') ? normalizeReference(ref.slice(0, -1)) : undefined;
  const orders = await deps.storage.read.listOrders({
    status: q.status,
    paymentStatus: q.payment_status,
    deliveryStatus: q.delivery_status,
    fiscalStatus: q.fiscal_status,
    reviewStatus: q.review_status,
    sync: q.sync,
    paymentMethodId: q.payment_method_id || undefined,
    createdFrom: q.created_from ? `${q.created_from}T00:00:00.000Z` : undefined,
    createdTo: q.created_to ? new Date(Date.parse(`${q.created_to}T00:00:00Z`) + 86_400_000).toISOString() : undefined,
    referenceNorm: ref && !ref.endsWith('*') ? normalizeReference(ref) : undefined,
    referencePrefix: prefix || undefined,
    limit: q.limit + 1,
    before,
  });
  const page = orders.slice(0, q.limit);
  const last = page.at(-1);
  return ok({
    orders: page,
    nextCursor: orders.length > q.limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
  });
}

/** The customer's view of one order, found by its key (stored only as a hash). */
export async function findOrderByKey(
  deps: AppDeps,
  orderKey: string,
): Promise<Result<{ order: Order; attempts: PaymentAttempt[] }>> {
  const order = orderKey.length <= 200 ? await deps.storage.read.findOrderByKeyHash(deps.hash(orderKey)) : undefined;
  if (!order) return fail('order_not_found', 'There is no order with this key.');
  return ok({ order, attempts: await deps.storage.read.listAttempts(order.id) });
}

/** What the return page shows: read only, it never moves a status. */
export async function returnPage(
  deps: AppDeps,
  paymentId: string,
): Promise<Result<{ order: Order; attempt: PaymentAttempt; attempts: PaymentAttempt[] }>> {
  const attempt = paymentId.length <= 100 ? await deps.storage.read.getAttempt(paymentId) : undefined;
  if (!attempt) return fail('payment_not_found', 'There is no such payment.');
  const order = await deps.storage.read.getOrder(attempt.orderId);
  if (!order) return fail('payment_not_found', 'There is no such payment.');
  return ok({ order, attempt, attempts: await deps.storage.read.listAttempts(order.id) });
}

/** The attempt a provider's return address names (payment method and provider reference). */
export async function findAttemptForReturn(
  deps: AppDeps,
  paymentMethodId: string,
  providerRef: string,
): Promise<PaymentAttempt | undefined> {
  const pm = await deps.storage.read.getPaymentMethod(paymentMethodId);
  const connector = pm && deps.connectors.get(pm.connector);
  if (!pm || !connector || providerRef.length > 200) return undefined;
  return deps.storage.read.findAttemptByProviderRef(pm.id, {
    norm: connector.normalizeRef(providerRef),
    raw: providerRef,
  });
}

/**
 * The attempt a customer's return request names, for a provider whose return address is fixed at
 * the provider and carries the reference in its query or form (Idram). Finds only; applies nothing.
 */
export async function findAttemptForReturnRequest(
  deps: AppDeps,
  paymentMethodId: string,
  raw: RawRequest,
): Promise<PaymentAttempt | undefined> {
  const pm = await deps.storage.read.getPaymentMethod(paymentMethodId);
  const connector = pm && deps.connectors.get(pm.connector);
  const ref = connector?.returnReference?.(raw);
  return ref === undefined ? undefined : findAttemptForReturn(deps, paymentMethodId, ref);
}
