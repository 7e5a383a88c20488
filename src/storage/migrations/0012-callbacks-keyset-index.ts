import type { Kysely, Migration } from 'kysely';

// The callback log pages newest first by (received_at, id), unfiltered or for one order: after a
// burst of duplicate callbacks support reads one order's. Each page is then one index range from
// where the last ended, instead of a sort of the whole log.
export const callbacksKeysetIndex: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createIndex('callbacks_order_received_idx')
      .on('callbacks')
      .columns(['order_id', 'received_at', 'id'])
      .execute();
    await db.schema.createIndex('callbacks_received_idx').on('callbacks').columns(['received_at', 'id']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('callbacks_received_idx').execute();
    await db.schema.dropIndex('callbacks_order_received_idx').execute();
  },
};
