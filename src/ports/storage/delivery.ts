import type { Shipment } from '../../domain/delivery.js';

export type ShipmentPatch = Partial<Pick<Shipment, 'status' | 'courier' | 'courierRef' | 'proof'>> & {
  updatedAt: string;
};

/** Shipments. */
export interface DeliveryReads {
  /** Oldest first. */
  listShipments(orderId: string): Promise<Shipment[]>;
  getShipment(id: string): Promise<Shipment | undefined>;
}

export interface DeliveryWrites {
  insertShipment(s: Shipment): Promise<void>;
  updateShipment(id: string, patch: ShipmentPatch): Promise<void>;
}
