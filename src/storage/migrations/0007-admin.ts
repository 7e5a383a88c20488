import type { Kysely, Migration } from 'kysely';

// People who sign in to the admin pages, their sessions and their sign-in attempts, and the
// indexes that keep the order list's filters fast at a million orders (each status track is
// read newest first, so each gets (track, created_at, id)).
export const admin: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('email_norm', 'text', (c) => c.notNull().unique())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('disabled_at', 'text')
      .execute();
    await db.schema
      .createTable('admin_sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('csrf_secret', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('admin_sessions_user_idx').on('admin_sessions').columns(['user_id']).execute();
    await db.schema
      .createTable('sign_in_attempts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email_norm', 'text', (c) => c.notNull())
      .addColumn('ip', 'text', (c) => c.notNull())
      .addColumn('succeeded', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('sign_in_attempts_email_idx')
      .on('sign_in_attempts')
      .columns(['email_norm', 'at'])
      .execute();
    await db.schema.createIndex('sign_in_attempts_ip_idx').on('sign_in_attempts').columns(['ip', 'at']).execute();

    for (const track of ['payment_status', 'delivery_status', 'fiscal_status', 'review_status']) {
      await db.schema
        .createIndex(`orders_${track}_created_idx`)
        .on('orders')
        .columns([track, 'created_at', 'id'])
        .execute();
    }
    await db.schema
      .createIndex('payment_attempts_method_order_idx')
      .on('payment_attempts')
      .columns(['payment_method_id', 'order_id'])
      .execute();
    await db.schema.createIndex('tasks_report_line_idx').on('tasks').columns(['report_line']).execute();
    await db.schema.createIndex('tasks_open_owner_idx').on('tasks').columns(['status', 'owner', 'kind']).execute();
    await db.schema.createIndex('outbox_target_created_idx').on('outbox').columns(['target', 'created_at']).execute();
  },
  async down() {
    throw new Error('migrations are not reversed; restore from a backup');
  },
};
