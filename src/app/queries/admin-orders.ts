import type { Order, PaymentAttempt } from '../../domain/order.js';
import type { PaymentLink } from '../../domain/payment-link.js';
import type { Result } from '../../domain/result.js';
import type { Shipment } from '../../domain/delivery.js';
import type { OrderEvent } from '../../domain/timeline.js';
import type { PaymentMethodRecord } from '../../domain/payment-method.js';
import type { TaskRecord } from '../../domain/task.js';
import type { AbilityName } from '../../domain/abilities.js';
import { abilitiesOf } from '../../ports/connector.js';
import type { AppDeps } from '../deps.js';
import { getOrderDetail } from '../order-detail.js';
import type { OrderDetail } from '../../contract/order-detail.js';
import { getTimeline, listOrders, type OrderFilters, type OrderPage } from './index.js';

// What the admin order pages read. Committed data only; nothing here writes.

/** Order id → reference for the orders that rows refer to, in one read; ids of no order are left out. */
export async function orderReferences(deps: AppDeps, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
  const orders = wanted.length ? await deps.storage.read.getOrders(wanted) : [];
  return new Map(orders.map((o) => [o.id, o.reference]));
}

/** The order list: one page (or why its filters were refused), every payment method, the listed orders' attempts. */
export async function orderListPage(
  deps: AppDeps,
  q: OrderFilters & { limit: number; cursor?: string },
): Promise<{ listed: Result<OrderPage>; methods: PaymentMethodRecord[]; attempts: Map<string, PaymentAttempt[]> }> {
  const [listed, methods] = await Promise.all([listOrders(deps, q), deps.storage.read.listPaymentMethods()]);
  const orders = listed.ok ? listed.value.orders : [];
  const attempts = await deps.storage.read.listAttemptsForOrders(orders.map((o) => o.id));
  return { listed, methods, attempts };
}

/** Everything the order page shows. */
export interface OrderPageData {
  order: Order;
  attempts: PaymentAttempt[];
  detail: OrderDetail;
  events: OrderEvent[];
  tasks: TaskRecord[];
  methods: PaymentMethodRecord[];
  /** What each method's provider lets Settle do (status check, cancel, refund…), by method id. */
  abilities: Map<string, AbilityName[]>;
}

/** One order with its detail, timeline, tasks and the payment methods' names; undefined when there is no such order. */
export async function orderPage(deps: AppDeps, id: string): Promise<OrderPageData | undefined> {
  const found = await getOrderDetail(deps, id);
  if (!found.ok) return undefined;
  const { order, attempts, detail } = found.value;
  const [timeline, tasks, methods] = await Promise.all([
    getTimeline(deps, order.id),
    deps.storage.read.listTasks({ orderId: order.id }),
    deps.storage.read.listPaymentMethods(),
  ]);
  const abilities = new Map(
    methods.map((pm) => {
      const connector = deps.connectors.get(pm.connector);
      return [pm.id, connector ? abilitiesOf(connector) : []];
    }),
  );
  return { order, attempts, detail, events: timeline.ok ? timeline.value.events : [], tasks, methods, abilities };
}

/** The order an action names, or undefined. */
export function orderOf(deps: AppDeps, id: string): Promise<Order | undefined> {
  return deps.storage.read.getOrder(id);
}

/** The payment link, only when it is one of this order's. */
export async function paymentLinkOf(deps: AppDeps, orderId: string, linkId: string): Promise<PaymentLink | undefined> {
  const link = await deps.storage.read.getPaymentLink(linkId);
  return link?.orderId === orderId ? link : undefined;
}

/** The shipment, only when it is one of this order's. */
export async function shipmentOf(deps: AppDeps, orderId: string, shipmentId: string): Promise<Shipment | undefined> {
  const shipment = await deps.storage.read.getShipment(shipmentId);
  return shipment?.orderId === orderId ? shipment : undefined;
}
