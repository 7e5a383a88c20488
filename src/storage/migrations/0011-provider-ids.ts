import type { Kysely, Migration } from 'kysely';

// The provider's own id for an attempt (BPC mdOrder, Ameria PaymentID), found beside the reference
// Settle sent; when the janitor last checked an open attempt; and the counters that hand out a provider's integer references (Ameria's OrderID)
// once each, across processes and restarts. A counter row holds the last number handed out.
export const providerIds: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('payment_attempts').addColumn('provider_payment_id', 'text').execute();
    // When the janitor last asked the provider about an open attempt: it asks the longest unasked
    // first, so attempts whose check never gets an answer cannot hold back the rest.
    await db.schema.alterTable('payment_attempts').addColumn('checked_at', 'text').execute();
    await db.schema
      .createIndex('payment_attempts_provider_payment_id_idx')
      .on('payment_attempts')
      .columns(['payment_method_id', 'provider_payment_id'])
      .execute();
    await db.schema
      .createTable('reference_counters')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('last_value', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('reference_counters').execute();
    await db.schema.dropIndex('payment_attempts_provider_payment_id_idx').execute();
    await db.schema.alterTable('payment_attempts').dropColumn('checked_at').execute();
    await db.schema.alterTable('payment_attempts').dropColumn('provider_payment_id').execute();
  },
};
