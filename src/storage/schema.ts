import type { Generated } from 'kysely';
import type { AdminSessionsTable, ApiKeysTable, SignInAttemptsTable, UsersTable } from './schema/access.js';
import type { PaymentAttemptsTable, ReferenceCountersTable } from './schema/attempts.js';
import type { CallbacksTable } from './schema/callbacks.js';
import type { ShipmentsTable } from './schema/delivery.js';
import type { AdjustmentsTable, ChargebacksTable, RefundsTable } from './schema/money-records.js';
import type { OrdersTable } from './schema/orders.js';
import type { OutboxTable, WebhookEndpointsTable } from './schema/outbox.js';
import type { PaymentLinksTable } from './schema/payment-links.js';
import type { PaymentMethodsTable } from './schema/payment-methods.js';
import type { ProviderOperationsTable } from './schema/provider-operations.js';
import type { ReceiptsTable } from './schema/receipts.js';
import type { ReconciliationRunsTable, ReportLinesTable } from './schema/reconciliation.js';
import type { IdempotencyKeysTable, JobLeasesTable, SettingsTable } from './schema/system.js';
import type { TasksTable } from './schema/tasks.js';
import type { OrderEventsTable } from './schema/timeline.js';

// Every table, typed by aggregate in schema/. Times are ISO-8601 UTC text of fixed width in both
// stores, so they sort as text; booleans are 0/1 integers and JSON is text, so one set of queries
// serves SQLite and PostgreSQL alike.
export interface Database {
  users: UsersTable;
  admin_sessions: AdminSessionsTable;
  sign_in_attempts: SignInAttemptsTable;
  reconciliation_runs: ReconciliationRunsTable;
  report_lines: ReportLinesTable;
  payment_links: PaymentLinksTable;
  adjustments: AdjustmentsTable;
  shipments: ShipmentsTable;
  settings: SettingsTable;
  outbox: OutboxTable;
  webhook_endpoints: WebhookEndpointsTable;
  refunds: RefundsTable;
  chargebacks: ChargebacksTable;
  receipts: ReceiptsTable;
  job_leases: JobLeasesTable;
  provider_operations: ProviderOperationsTable;
  orders: OrdersTable;
  payment_attempts: PaymentAttemptsTable;
  reference_counters: ReferenceCountersTable;
  order_events: OrderEventsTable;
  tasks: TasksTable;
  payment_methods: PaymentMethodsTable;
  api_keys: ApiKeysTable;
  callbacks: CallbacksTable;
  idempotency_keys: IdempotencyKeysTable;
}

// Generated is re-exported for later tables with database-made columns.
export type { Generated };
