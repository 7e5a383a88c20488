import { sql, type Kysely, type Migration } from 'kysely';

// When an outbox message last entered the queue: its creation, or the latest time it was put back
// (retry or resend). The oldest-pending-age metric counts from here, so resending a month-old
// message does not look like a queue stuck for a month. Only undelivered rows are filled in: a
// delivered row gets its time when it is put back, and reads fall back to created_at meanwhile
// (filling every delivered row would rewrite the largest table while the server waits to start).
export const outboxQueuedAt: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('outbox').addColumn('queued_at', 'text').execute();
    await sql`update outbox set queued_at = created_at where status <> 'delivered'`.execute(db);
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('outbox').dropColumn('queued_at').execute();
  },
};
