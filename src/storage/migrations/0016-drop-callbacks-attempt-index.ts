import type { Kysely, Migration } from 'kysely';

// No read of the callback log filters by payment attempt (one payment's callbacks are found
// through its order, callbacks_order_received_idx), yet every callback record paid for an entry
// in this index: the hottest insert of all, on the path of every callback.
export const dropCallbacksAttemptIndex: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.dropIndex('callbacks_attempt_idx').ifExists().execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.createIndex('callbacks_attempt_idx').on('callbacks').columns(['attempt_id']).execute();
  },
};
