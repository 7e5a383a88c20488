import type { Kysely, Migration } from 'kysely';

// After payment: the review and fiscal tracks on the order, settings, the transactional outbox,
// webhook endpoints, refunds, chargebacks and fiscal receipts.
export const afterPayment: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('orders')
      .addColumn('review_status', 'text', (c) => c.notNull().defaultTo('none'))
      .execute();
    await db.schema
      .alterTable('orders')
      .addColumn('fiscal_status', 'text', (c) => c.notNull().defaultTo('not_required'))
      .execute();
    // The antifraud rules count a customer's recent orders by e-mail and by IP.
    await db.schema.alterTable('orders').addColumn('customer_email_norm', 'text').execute();
    await db.schema.alterTable('orders').addColumn('customer_ip', 'text').execute();
    await db.schema
      .createIndex('orders_email_created_idx')
      .on('orders')
      .columns(['customer_email_norm', 'created_at'])
      .execute();
    await db.schema.createIndex('orders_ip_created_idx').on('orders').columns(['customer_ip', 'created_at']).execute();

    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('order_id', 'text')
      .addColumn('order_seq', 'integer', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('locked_by', 'text')
      .addColumn('locked_until', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('delivered_at', 'text')
      .execute();
    // Workers look for due messages; the order rule looks for older undelivered ones per order and target.
    await db.schema.createIndex('outbox_due_idx').on('outbox').columns(['status', 'next_attempt_at']).execute();
    await db.schema
      .createIndex('outbox_order_target_idx')
      .on('outbox')
      .columns(['order_id', 'target', 'status', 'order_seq'])
      .execute();

    await db.schema
      .createTable('webhook_endpoints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('status_map_preset', 'text')
      .addColumn('status_map', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('refunds')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('attempt_id', 'text', (c) => c.notNull().references('payment_attempts.id'))
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('lines', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('provider_ref', 'text')
      .addColumn('error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('refunds_order_idx').on('refunds').columns(['order_id']).execute();
    await db.schema.createIndex('refunds_status_idx').on('refunds').columns(['status', 'updated_at']).execute();

    await db.schema
      .createTable('chargebacks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('attempt_id', 'text', (c) => c.notNull().references('payment_attempts.id'))
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('reason_code', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('provider_ref', 'text')
      .addColumn('note', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      // A dispute the provider reports twice is one dispute.
      .addUniqueConstraint('chargebacks_provider_ref_uq', ['attempt_id', 'provider_ref'])
      .execute();
    await db.schema.createIndex('chargebacks_order_idx').on('chargebacks').columns(['order_id']).execute();

    await db.schema
      .createTable('receipts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('attempt_id', 'text')
      .addColumn('refund_id', 'text')
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('items', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('provider_ref', 'text')
      .addColumn('fiscal_number', 'text')
      .addColumn('error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('receipts_order_idx').on('receipts').columns(['order_id']).execute();
  },
  async down() {
    throw new Error('migrations are not reversed; restore from a backup');
  },
};
