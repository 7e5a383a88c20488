import { sumBySku, type OrderLine } from './order-line.js';

/** A shipment's status. Transitions are data; a courier's repeat of the current status is a duplicate. */
export const DELIVERY_STATUSES = [
  'not_started',
  'packed',
  'handed_to_courier',
  'delivered',
  'delivery_failed',
  'returned',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const DELIVERY_TRANSITIONS: Record<DeliveryStatus, readonly DeliveryStatus[]> = {
  not_started: ['packed', 'handed_to_courier'],
  packed: ['handed_to_courier'],
  handed_to_courier: ['delivered', 'delivery_failed'],
  // A failed delivery is tried again (handed over anew, perhaps to another courier) or comes back.
  delivery_failed: ['handed_to_courier', 'returned'],
  delivered: ['returned'],
  returned: [],
};

/**
 * A delivery is only ever recorded when someone reports it (proof of delivery and disputes rest on
 * it), so a skip never implies one: a parcel reported returned but never delivered is taken to have
 * come back after a failed delivery, the other route of the same length.
 */
const NEVER_IMPLIED: ReadonlySet<DeliveryStatus> = new Set(['delivered']);

/**
 * Pure: the steps from `from` to `to` along the delivery table, `to` last and `from` never in it:
 * the shortest chain of allowed transitions (breadth-first, in the table's order, never through an
 * implied delivery), so the steps before `to` are the ones a courier's lost messages skipped.
 * Empty when `from` is `to`; null when `to` cannot be reached forward (a move backwards, or
 * anything after `returned`).
 */
export function deliveryPath(from: DeliveryStatus, to: DeliveryStatus): DeliveryStatus[] | null {
  if (from === to) return [];
  const cameFrom = new Map<DeliveryStatus, DeliveryStatus>();
  const queue: DeliveryStatus[] = [from];
  while (queue.length > 0) {
    const at = queue.shift()!;
    if (at !== from && NEVER_IMPLIED.has(at)) continue;
    for (const next of DELIVERY_TRANSITIONS[at]) {
      if (next === from || cameFrom.has(next)) continue;
      cameFrom.set(next, at);
      if (next === to) {
        const path = [to];
        for (let s = at; s !== from; s = cameFrom.get(s)!) path.unshift(s);
        return path;
      }
      queue.push(next);
    }
  }
  return null;
}

/** The order's delivery track: also `fulfilled`, for goods handed over without a shipment. */
export const ORDER_DELIVERY_STATUSES = [...DELIVERY_STATUSES, 'fulfilled'] as const;
export type OrderDeliveryStatus = (typeof ORDER_DELIVERY_STATUSES)[number];

export const PROOF_KINDS = ['signature', 'code', 'photo', 'courier_event'] as const;

/** Proof of delivery: when, how, and a reference to it. Deliberately no name, address or image. */
export interface DeliveryProof {
  at: string;
  kind: (typeof PROOF_KINDS)[number];
  reference: string;
}

export interface ShipmentLine {
  sku: string;
  quantity: number;
}

export interface Shipment {
  id: string;
  orderId: string;
  /** Empty: the whole order. */
  lines: ShipmentLine[];
  courier: string | null;
  courierRef: string | null;
  status: DeliveryStatus;
  proof: DeliveryProof | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Pure: the order's delivery track from its shipments. Delivered only when delivered shipments
 * cover every line (or, for an order without lines, one whole-order shipment is delivered);
 * otherwise the furthest state any shipment is in, a failure or a return first, as they need a person.
 */
export function deriveDeliveryStatus(
  lines: readonly OrderLine[],
  shipments: readonly Shipment[],
  fulfilled: boolean,
): OrderDeliveryStatus {
  if (fulfilled) return 'fulfilled';
  if (shipments.length === 0) return 'not_started';
  if (shipments.some((s) => s.status === 'delivery_failed')) return 'delivery_failed';
  if (shipments.some((s) => s.status === 'returned')) return 'returned';
  const delivered = shipments.filter((s) => s.status === 'delivered');
  if (delivered.length > 0 && coversOrder(lines, delivered)) return 'delivered';
  if (shipments.some((s) => s.status === 'handed_to_courier' || s.status === 'delivered')) return 'handed_to_courier';
  if (shipments.some((s) => s.status === 'packed')) return 'packed';
  return 'not_started';
}

function coversOrder(lines: readonly OrderLine[], shipments: readonly Shipment[]): boolean {
  if (shipments.some((s) => s.lines.length === 0)) return true;
  return lines.every(
    (l) =>
      shipments
        .flatMap((s) => s.lines)
        .filter((x) => x.sku === l.sku)
        .reduce((n, x) => n + x.quantity, 0) >= l.quantity,
  );
}

/** Lines a new shipment may carry: known skus, never more than ordered less what other shipments carry. */
export function checkShipmentLines(
  lines: readonly OrderLine[],
  existing: readonly Shipment[],
  requested: readonly ShipmentLine[],
): string | null {
  for (const r of sumBySku(requested)) {
    const line = lines.find((l) => l.sku === r.sku);
    if (!line) return `The order has no line ${r.sku}.`;
    const shipped = existing
      .filter((s) => s.status !== 'returned')
      .flatMap((s) => s.lines)
      .filter((x) => x.sku === r.sku)
      .reduce((n, x) => n + x.quantity, 0);
    if (shipped + r.quantity > line.quantity)
      return `Line ${r.sku}: ${line.quantity} ordered, ${shipped} already in shipments; ${r.quantity} more is too many.`;
  }
  return null;
}

/**
 * An order is completed when it is processing, paid net of refunds (not wholly refunded or
 * charged back), delivered or fulfilled, and no task of it is open.
 */
export function completesOrder(
  o: { status: string; paymentStatus: string; deliveryStatus: OrderDeliveryStatus },
  openTasks: number,
  outstanding = 0,
): boolean {
  return (
    o.status === 'processing' &&
    (o.paymentStatus === 'paid' || o.paymentStatus === 'partially_refunded') &&
    outstanding <= 0 &&
    (o.deliveryStatus === 'delivered' || o.deliveryStatus === 'fulfilled') &&
    openTasks === 0
  );
}
