import { DELIVERY_STATUSES, type Shipment } from '../domain/delivery.js';
import { dateTime, nullable, skuQuantity, str, type Wire } from './fields.js';

/** A shipment with its proof of delivery: when, how and a reference, nothing personal. */
export const shipmentSchema = {
  type: 'object',
  properties: {
    id: str,
    order_id: str,
    lines: { type: 'array', items: skuQuantity },
    courier: nullable(str),
    courier_ref: nullable(str),
    status: { type: 'string', enum: [...DELIVERY_STATUSES] },
    proof: nullable({ type: 'object', properties: { at: str, kind: str, reference: str } }),
    created_at: dateTime,
    updated_at: dateTime,
  },
} as const;

export type ShipmentView = Wire<typeof shipmentSchema>;

export function shipmentView(s: Shipment): ShipmentView {
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
