import type { Kysely, Migration } from 'kysely';

// Frozen once released: later changes are new migrations, never edits to this one.
// Amounts are bigint (PostgreSQL; SQLite's integer is 64-bit already).
export const initial: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('payment_methods')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('connector', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('secrets', 'text', (c) => c.notNull())
      .addColumn('currencies', 'text')
      .addColumn('min_amount', 'bigint')
      .addColumn('max_amount', 'bigint')
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('auto_approve', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('orders')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('reference', 'text', (c) => c.notNull())
      .addColumn('reference_norm', 'text', (c) => c.notNull().unique())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('original_amount', 'bigint', (c) => c.notNull())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('shipping_amount', 'bigint', (c) => c.notNull())
      .addColumn('lines', 'text', (c) => c.notNull())
      .addColumn('customer', 'text', (c) => c.notNull())
      .addColumn('return_url', 'text')
      .addColumn('metadata', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('payment_status', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // GET /v1/orders: newest first, optionally by status, keyset on (created_at, id).
    await db.schema.createIndex('orders_created_idx').on('orders').columns(['created_at', 'id']).execute();
    await db.schema
      .createIndex('orders_status_created_idx')
      .on('orders')
      .columns(['status', 'created_at', 'id'])
      .execute();

    await db.schema
      .createTable('payment_attempts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('payment_method_id', 'text', (c) => c.notNull().references('payment_methods.id'))
      .addColumn('connector', 'text', (c) => c.notNull())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('provider_ref', 'text', (c) => c.notNull())
      .addColumn('provider_ref_norm', 'text', (c) => c.notNull())
      .addColumn('next_step', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('verified_by', 'text')
      .addColumn('provider_status', 'text')
      .addColumn('error_code', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('payment_attempts_order_number_uq', ['order_id', 'number'])
      .addUniqueConstraint('payment_attempts_provider_ref_uq', ['payment_method_id', 'provider_ref_norm'])
      .execute();

    await db.schema
      .createTable('order_events')
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('attempt_id', 'text')
      .addColumn('task_kind', 'text')
      .addColumn('data', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('order_events_pk', ['order_id', 'seq'])
      .execute();

    await db.schema
      .createTable('tasks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('owner', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('resolution', 'text')
      .addColumn('order_id', 'text')
      .addColumn('attempt_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('resolved_at', 'text')
      .execute();
    await db.schema
      .createIndex('tasks_status_kind_idx')
      .on('tasks')
      .columns(['status', 'kind', 'created_at'])
      .execute();
    await db.schema.createIndex('tasks_order_idx').on('tasks').columns(['order_id']).execute();

    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();

    await db.schema
      .createTable('callbacks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('payment_method_id', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('headers', 'text', (c) => c.notNull())
      .addColumn('query', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('verified', 'integer', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('provider_ref', 'text')
      .addColumn('provider_status', 'text')
      .addColumn('attempt_id', 'text')
      .addColumn('order_id', 'text')
      .execute();
    await db.schema
      .createIndex('callbacks_method_idx')
      .on('callbacks')
      .columns(['payment_method_id', 'received_at'])
      .execute();
    await db.schema.createIndex('callbacks_outcome_idx').on('callbacks').columns(['outcome', 'received_at']).execute();
    await db.schema.createIndex('callbacks_attempt_idx').on('callbacks').columns(['attempt_id']).execute();

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('scope_key', 'text', (c) => c.primaryKey())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('response_status', 'integer')
      .addColumn('response_body', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down() {
    throw new Error('migrations are not reversed; restore from a backup');
  },
};
