import type { Kysely, Migration } from 'kysely';

// Daily reconciliation: runs (one per report file, recognised by its hash), the report's lines
// with what each became, a report mapping on the payment method, and tasks that point at a line.
export const reconciliation: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('payment_methods').addColumn('report_mapping', 'text').execute();
    await db.schema.alterTable('tasks').addColumn('report_line', 'text').execute();
    await db.schema
      .createTable('reconciliation_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('payment_method_id', 'text', (c) => c.notNull().references('payment_methods.id'))
      .addColumn('report_date', 'text', (c) => c.notNull())
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('file_hash', 'text', (c) => c.notNull())
      .addColumn('via', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('summary', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text')
      .addUniqueConstraint('reconciliation_runs_file_uq', ['payment_method_id', 'file_hash'])
      .execute();
    await db.schema
      .createIndex('reconciliation_runs_created_idx')
      .on('reconciliation_runs')
      .columns(['created_at', 'id'])
      .execute();
    await db.schema
      .createTable('report_lines')
      .addColumn('run_id', 'text', (c) => c.notNull().references('reconciliation_runs.id'))
      .addColumn('line_no', 'integer', (c) => c.notNull())
      .addColumn('provider_ref', 'text')
      .addColumn('order_reference', 'text')
      .addColumn('type', 'text')
      .addColumn('amount', 'bigint')
      .addColumn('currency', 'text')
      .addColumn('status', 'text')
      .addColumn('at', 'text')
      .addColumn('fee', 'bigint')
      .addColumn('dup_key', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('kind', 'text')
      .addColumn('record_id', 'text')
      .addColumn('order_id', 'text')
      .addColumn('message', 'text')
      .addPrimaryKeyConstraint('report_lines_pk', ['run_id', 'line_no'])
      .execute();
    await db.schema.createIndex('report_lines_dup_idx').on('report_lines').columns(['run_id', 'dup_key']).execute();
    await db.schema
      .createIndex('report_lines_record_idx')
      .on('report_lines')
      .columns(['run_id', 'record_id'])
      .execute();
    // What a day's checks read: payments by method and time of their last change, orders likewise.
    await db.schema
      .createIndex('payment_attempts_method_status_idx')
      .on('payment_attempts')
      .columns(['payment_method_id', 'status', 'updated_at'])
      .execute();
    await db.schema.createIndex('orders_updated_idx').on('orders').columns(['updated_at', 'id']).execute();
  },
  async down() {
    throw new Error('migrations are not reversed; restore from a backup');
  },
};
