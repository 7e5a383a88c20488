import type { Order, PaymentAttempt } from '../domain/order.js';
import { deriveSyncStates } from '../domain/outbox.js';
import { ok, type Result } from '../domain/result.js';
import { nowIso, type AppDeps } from './deps.js';
import { getOrder } from './queries/index.js';
import type { OrderDetail } from '../contract/order-detail.js';

/**
 * One order with everything its detail shows (adjustments, shipments, refunds, chargebacks,
 * receipts, each webhook endpoint's sync state, payment links). Read only, committed data; the
 * API's GET /v1/orders/:id and the admin order page both read through here.
 */
export async function getOrderDetail(
  deps: AppDeps,
  id: string,
): Promise<Result<{ order: Order; attempts: PaymentAttempt[]; detail: OrderDetail }>> {
  const found = await getOrder(deps, id);
  if (!found.ok) return found;
  const { order, attempts } = found.value;
  const read = deps.storage.read;
  const [adjustments, shipments, refunds, chargebacks, receipts, webhooks, paymentLinks] = await Promise.all([
    read.listAdjustments(order.id),
    read.listShipments(order.id),
    read.listRefunds(order.id),
    read.listChargebacks(order.id),
    read.listReceipts(order.id),
    read.listOutbox({ orderId: order.id, topic: 'webhook', limit: 1000 }),
    read.listPaymentLinks(order.id),
  ]);
  const detail: OrderDetail = {
    adjustments,
    shipments,
    refunds,
    chargebacks,
    receipts,
    sync: deriveSyncStates(webhooks),
    paymentLinks,
    now: nowIso(deps),
  };
  return ok({ order, attempts, detail });
}
