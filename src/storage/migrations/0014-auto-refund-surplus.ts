import type { Kysely, Migration } from 'kysely';

// Whether a payment method refunds a surplus payment by itself: when a second attempt of an order
// already paid succeeds, Settle refunds it in full where the connector can refund. Off (0) for
// every method there is, as for new ones unless asked.
export const autoRefundSurplus: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('payment_methods')
      .addColumn('auto_refund_surplus', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('payment_methods').dropColumn('auto_refund_surplus').execute();
  },
};
