import { sql, type Kysely, type Migration } from 'kysely';

// Pay-by-link. At most one active link per order is a unique partial index, so two servers
// creating links at once cannot both leave theirs active, whatever the code above does.
export const paymentLinks: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('payment_links')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('payment_method_id', 'text', (c) => c.notNull().references('payment_methods.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('attempt_id', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('payment_links_order_idx').on('payment_links').columns(['order_id']).execute();
    await db.schema
      .createIndex('payment_links_one_active')
      .on('payment_links')
      .column('order_id')
      .unique()
      .where(sql.ref('status'), '=', 'active')
      .execute();
    await db.schema.alterTable('payment_attempts').addColumn('payment_link_id', 'text').execute();
  },
  async down() {
    throw new Error('migrations are not reversed; restore from a backup');
  },
};
