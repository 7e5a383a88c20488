import type { Kysely, Migration } from 'kysely';

// The delivery track (shipments with their courier and proof of delivery, and the order's own
// delivery status) and adjustments of the confirmed amount.
export const delivery: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('orders')
      .addColumn('delivery_status', 'text', (c) => c.notNull().defaultTo('not_started'))
      .execute();
    await db.schema
      .createTable('shipments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('lines', 'text', (c) => c.notNull())
      .addColumn('courier', 'text')
      .addColumn('courier_ref', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('proof', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('shipments_order_idx').on('shipments').columns(['order_id']).execute();
    await db.schema
      .createTable('adjustments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('lines', 'text', (c) => c.notNull())
      .addColumn('amount_delta', 'bigint', (c) => c.notNull())
      .addColumn('amount_before', 'bigint', (c) => c.notNull())
      .addColumn('amount_after', 'bigint', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('refund_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('adjustments_order_idx').on('adjustments').columns(['order_id']).execute();
  },
  async down() {
    throw new Error('migrations are not reversed; restore from a backup');
  },
};
