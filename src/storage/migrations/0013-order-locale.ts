import type { Kysely, Migration } from 'kysely';

// The customer's language for the pages Settle shows them (return, pay-by-link), as the store
// gave it with the order: a BCP 47 tag such as hy, ru-RU or en. Null: the browser's choice.
export const orderLocale: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('orders').addColumn('locale', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('orders').dropColumn('locale').execute();
  },
};
