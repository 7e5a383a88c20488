import { sql, type Kysely, type Migration } from 'kysely';

// What of a refund gives back money paid beyond what the order costs (a double payment): decided
// when the refund is made, so that a later change of the amount can never count it as the order's
// money again and refund it a second time. Refunds made before hold 0, but for Settle's automatic
// refunds of a surplus payment (id rf_surplus_{payment id}), which were surplus as a whole.
export const refundSurplusAmount: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('refunds')
      .addColumn('surplus_amount', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await db
      .updateTable('refunds')
      .set({ surplus_amount: sql`amount` })
      .where(sql`substr(id, 1, 11)`, '=', 'rf_surplus_')
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('refunds').dropColumn('surplus_amount').execute();
  },
};
