import type { Kysely, Migration } from 'kysely';

// Provider operations (a cancel sent to the acquirer) as intents with results, and the link from
// a timeline event to the task it opened.
export const operations: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('provider_operations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('attempt_id', 'text', (c) => c.notNull().references('payment_attempts.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('error', 'text')
      .addColumn('tries', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // The janitor looks for intents whose result never came back.
    await db.schema
      .createIndex('provider_operations_status_idx')
      .on('provider_operations')
      .columns(['status', 'updated_at'])
      .execute();
    await db.schema
      .createIndex('provider_operations_order_idx')
      .on('provider_operations')
      .columns(['order_id'])
      .execute();
    // The janitor looks for open attempts by age.
    await db.schema
      .createIndex('payment_attempts_status_created_idx')
      .on('payment_attempts')
      .columns(['status', 'created_at'])
      .execute();
    // Jobs that must run once across processes on SQLite (PostgreSQL uses advisory locks).
    await db.schema
      .createTable('job_leases')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('order_events').addColumn('task_id', 'text').execute();
    await db.schema
      .createIndex('callbacks_provider_ref_idx')
      .on('callbacks')
      .columns(['payment_method_id', 'provider_ref'])
      .execute();
    await db.schema.createIndex('tasks_owner_idx').on('tasks').columns(['owner', 'status']).execute();
  },
  async down() {
    throw new Error('migrations are not reversed; restore from a backup');
  },
};
