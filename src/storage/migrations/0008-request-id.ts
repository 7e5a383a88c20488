import type { Kysely, Migration } from 'kysely';

// The id of the HTTP request that produced an outbox message (null for messages a worker, the
// janitor or the CLI produced, and for every message written before this migration).
export const requestId: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('outbox').addColumn('request_id', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('outbox').dropColumn('request_id').execute();
  },
};
