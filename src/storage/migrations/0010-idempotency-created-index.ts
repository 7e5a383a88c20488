import type { Kysely, Migration } from 'kysely';

// The janitor drops idempotency keys past their retention every sweep; without this index each
// sweep would read the whole table.
export const idempotencyCreatedIndex: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createIndex('idempotency_keys_created_idx')
      .on('idempotency_keys')
      .columns(['created_at'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('idempotency_keys_created_idx').execute();
  },
};
