import {
  checkShipmentLines,
  deliveryPath,
  deriveDeliveryStatus,
  type DeliveryProof,
  type DeliveryStatus,
  type Shipment,
  type ShipmentLine,
} from '../domain/delivery.js';
import { ORDER_STATUS_LABELS } from '../domain/order-status.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { Actor, NewOrderEvent, NewTask } from '../domain/timeline.js';
import { nowIso, type AppDeps } from './deps.js';
import { completeIfDone } from './complete-order.js';
import { openTasks } from './open-tasks.js';
import { recordEvents } from './record-events.js';

const LABEL: Record<DeliveryStatus, string> = {
  not_started: 'not started',
  packed: 'packed',
  handed_to_courier: 'handed to the courier',
  delivered: 'delivered',
  delivery_failed: 'delivery failed',
  returned: 'returned',
};

/** The message a step's own report would have been, to say which one never came. */
const MESSAGE: Record<DeliveryStatus, string> = {
  not_started: 'creation',
  packed: 'packing',
  handed_to_courier: 'handover',
  delivered: 'delivery',
  delivery_failed: 'failure',
  returned: 'return',
};

/** Starts a shipment of the whole order or of some lines. Only an order that may be fulfilled (processing) ships. */
export async function createShipment(
  deps: AppDeps,
  input: { orderId: string; lines?: ShipmentLine[]; courier?: string; courierRef?: string },
  actor: Actor,
): Promise<Result<Shipment>> {
  const at = nowIso(deps);
  return deps.storage.transaction(async (tx) => {
    const order = await tx.lockOrder(input.orderId);
    if (!order) return fail('order_not_found', `There is no order ${input.orderId}.`);
    if (order.status !== 'processing')
      return fail(
        'order_not_shippable',
        `Order ${order.reference} is ${ORDER_STATUS_LABELS[order.status]}: only a paid, approved order ships.`,
      );
    if (order.deliveryStatus === 'fulfilled')
      return fail('order_not_shippable', `Order ${order.reference} was marked fulfilled without delivery.`);
    const existing = await tx.listShipments(order.id);
    const problem = checkShipmentLines(order.lines, existing, input.lines ?? []);
    if (problem) return fail('shipment_lines_invalid', problem);
    const shipment: Shipment = {
      id: deps.random.id('shp'),
      orderId: order.id,
      lines: input.lines ?? [],
      courier: input.courier ?? null,
      courierRef: input.courierRef ?? null,
      status: 'not_started',
      proof: null,
      createdAt: at,
      updatedAt: at,
    };
    await tx.insertShipment(shipment);
    const what =
      shipment.lines.length > 0 ? shipment.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ') : 'the whole order';
    await recordEvents(deps, tx, order.id, at, [
      {
        kind: 'shipment.created',
        actor,
        summary: `Shipment ${shipment.id} of ${what}${shipment.courier ? ` with ${shipment.courier}` : ''}.`,
        data: { shipment_id: shipment.id },
      },
    ]);
    return ok(shipment);
  });
}

export interface ShipmentEventInput {
  shipmentId: string;
  status: DeliveryStatus;
  /** When it happened, as the courier says. */
  at: string;
  courier?: string;
  courierRef?: string;
  proof?: DeliveryProof;
}

/**
 * Records what happened to a shipment (a store, an operator or a courier integration). A repeat of
 * the current status with nothing new is a duplicate and changes nothing. A forward skip (a
 * courier's earlier messages lost) is applied: the shipment goes straight to the reported status
 * and the timeline records each skipped step as implied, before the reported one. Only a move
 * backwards is refused. A changed courier keeps everything else, the payment above all.
 * A failed delivery opens a task; a return opens one offering a refund.
 */
export async function recordShipmentEvent(
  deps: AppDeps,
  input: ShipmentEventInput,
  actor: Actor,
): Promise<Result<{ shipment: Shipment; duplicate: boolean }>> {
  const now = nowIso(deps);
  return deps.storage.transaction(async (tx) => {
    const found = await tx.getShipment(input.shipmentId);
    if (!found) return fail('shipment_not_found', `There is no shipment ${input.shipmentId}.`);
    const order = (await tx.lockOrder(found.orderId))!;
    const shipment = (await tx.getShipment(found.id))!;
    const courierChanged =
      (input.courier !== undefined && input.courier !== shipment.courier) ||
      (input.courierRef !== undefined && input.courierRef !== shipment.courierRef);
    if (input.status === shipment.status && !courierChanged && !input.proof) return ok({ shipment, duplicate: true });
    const path = deliveryPath(shipment.status, input.status);
    if (!path) {
      return fail(
        'shipment_transition_invalid',
        `Shipment ${shipment.id} is ${LABEL[shipment.status]}; it cannot become ${LABEL[input.status]}: that would move it backwards.`,
      );
    }
    if (input.proof && input.status !== 'delivered')
      return fail('shipment_proof_invalid', 'Proof of delivery goes with the delivered status.');
    const next: Shipment = {
      ...shipment,
      status: input.status,
      courier: input.courier ?? shipment.courier,
      courierRef: input.courierRef ?? shipment.courierRef,
      proof: input.proof ?? shipment.proof,
      updatedAt: now,
    };
    await tx.updateShipment(shipment.id, {
      status: next.status,
      courier: next.courier,
      courierRef: next.courierRef,
      proof: next.proof,
      updatedAt: now,
    });
    const events: NewOrderEvent[] = [];
    if (courierChanged) {
      events.push({
        kind: 'shipment.courier_changed',
        actor,
        summary:
          `Shipment ${shipment.id}: courier ${shipment.courier ?? 'none'} ${shipment.courierRef ?? ''} → ${next.courier ?? 'none'} ${next.courierRef ?? ''}.`.replace(
            /\s+/g,
            ' ',
          ),
        data: { shipment_id: shipment.id },
      });
    }
    for (const step of path.slice(0, -1)) {
      events.push({
        kind: `shipment.${step}`,
        actor,
        summary: `Shipment ${shipment.id} ${LABEL[step]} (implied: ${next.courier ?? 'the courier'} reported it ${LABEL[input.status]}; no ${MESSAGE[step]} message came).`,
        data: { shipment_id: shipment.id, implied: true },
      });
    }
    if (input.status !== shipment.status) {
      const proof =
        next.proof && input.status === 'delivered'
          ? ` Proof: ${next.proof.kind} ${next.proof.reference} at ${next.proof.at}.`
          : '';
      events.push({
        kind: `shipment.${input.status}`,
        actor,
        summary: `Shipment ${shipment.id} ${LABEL[input.status]} (${input.at}${next.courier ? `, ${next.courier}` : ''}).${proof}`,
        data: { shipment_id: shipment.id, at: input.at },
      });
    }
    const deliveryStatus = deriveDeliveryStatus(
      order.lines,
      (await tx.listShipments(order.id)).map((s) => (s.id === next.id ? next : s)),
      false,
    );
    if (deliveryStatus !== order.deliveryStatus) {
      await tx.updateOrder(order.id, { deliveryStatus, updatedAt: now });
      events.push({
        kind: 'delivery.status_changed',
        actor,
        summary: `Delivery: ${order.deliveryStatus.replace(/_/g, ' ')} → ${deliveryStatus.replace(/_/g, ' ')}.`,
        data: { from: order.deliveryStatus, to: deliveryStatus },
      });
    }
    await recordEvents(deps, tx, order.id, now, events);
    const tasks: NewTask[] = [];
    if (input.status === 'delivery_failed' && shipment.status !== 'delivery_failed') {
      tasks.push({
        kind: 'delivery_failed',
        orderId: order.id,
        reason: `Shipment ${shipment.id} of order ${order.reference} could not be delivered${next.courier ? ` by ${next.courier}` : ''}: arrange another delivery or take it back.`,
      });
    }
    if (input.status === 'returned') {
      tasks.push({
        kind: 'return_received',
        orderId: order.id,
        reason: `Shipment ${shipment.id} of order ${order.reference} came back: offer the customer a refund (POST /v1/orders/${order.id}/refunds).`,
      });
    }
    await openTasks(deps, tx, tasks, now);
    await completeIfDone(deps, tx, order.id, actor, now);
    return ok({ shipment: next, duplicate: false });
  });
}

/** Marks an order without delivery (a service, a pick-up) as fulfilled. */
export async function fulfilOrder(
  deps: AppDeps,
  input: { orderId: string; note: string },
  actor: Actor,
): Promise<Result<void>> {
  const at = nowIso(deps);
  return deps.storage.transaction(async (tx) => {
    const order = await tx.lockOrder(input.orderId);
    if (!order) return fail('order_not_found', `There is no order ${input.orderId}.`);
    if (order.status !== 'processing')
      return fail(
        'order_not_shippable',
        `Order ${order.reference} is ${ORDER_STATUS_LABELS[order.status]}: only a paid, approved order is fulfilled.`,
      );
    if ((await tx.listShipments(order.id)).length > 0)
      return fail('order_has_shipments', `Order ${order.reference} has shipments: their delivery decides.`);
    if (order.deliveryStatus !== 'fulfilled') {
      await tx.updateOrder(order.id, { deliveryStatus: 'fulfilled', updatedAt: at });
      await recordEvents(deps, tx, order.id, at, [
        {
          kind: 'delivery.status_changed',
          actor,
          summary: `Delivery: fulfilled without shipment. ${input.note}`,
          data: { from: order.deliveryStatus, to: 'fulfilled' },
        },
      ]);
    }
    await completeIfDone(deps, tx, order.id, actor, at);
    return ok(undefined);
  });
}
