import type { Shipment } from '../../domain/delivery.js';
import type { DeliveryReads, DeliveryWrites } from '../../ports/storage/delivery.js';
import type { RepoContext, Row } from './context.js';

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

export function deliveryRepo(ctx: RepoContext): DeliveryReads & DeliveryWrites {
  return {
    async listShipments(orderId) {
      const rows = await ctx.db
        .selectFrom('shipments')
        .selectAll()
        .where('order_id', '=', orderId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(shipmentFromRow);
    },

    async getShipment(id) {
      const r = await ctx.db.selectFrom('shipments').selectAll().where('id', '=', id).executeTakeFirst();
      return r && shipmentFromRow(r);
    },

    async insertShipment(sh) {
      await ctx.db
        .insertInto('shipments')
        .values({
          id: sh.id,
          order_id: sh.orderId,
          lines: JSON.stringify(sh.lines),
          courier: sh.courier,
          courier_ref: sh.courierRef,
          status: sh.status,
          proof: sh.proof ? JSON.stringify(sh.proof) : null,
          created_at: sh.createdAt,
          updated_at: sh.updatedAt,
        })
        .execute();
    },

    async updateShipment(id, p) {
      await ctx.db
        .updateTable('shipments')
        .set({
          ...(p.status !== undefined && { status: p.status }),
          ...(p.courier !== undefined && { courier: p.courier }),
          ...(p.courierRef !== undefined && { courier_ref: p.courierRef }),
          ...(p.proof !== undefined && { proof: p.proof ? JSON.stringify(p.proof) : null }),
          updated_at: p.updatedAt,
        })
        .where('id', '=', id)
        .execute();
    },
  };
}
