import type { Generated } from 'kysely';

// Times are ISO-8601 UTC text of fixed width in both stores, so they sort as text; booleans are
// 0/1 integers and JSON is text, so one set of queries serves SQLite and PostgreSQL alike.

export interface OrdersTable {
  id: string;
  reference: string;
  reference_norm: string;
  currency: string;
  original_amount: number;
  amount: number;
  shipping_amount: number;
  lines: string;
  customer: string;
  return_url: string | null;
  metadata: string;
  status: string;
  payment_status: string;
  content_hash: string;
  key_hash: string;
  review_status: string;
  fiscal_status: string;
  delivery_status: string;
  customer_email_norm: string | null;
  customer_ip: string | null;
  created_at: string;
  updated_at: string;
}

export interface PaymentAttemptsTable {
  id: string;
  order_id: string;
  number: number;
  payment_method_id: string;
  connector: string;
  amount: number;
  currency: string;
  provider_ref: string;
  provider_ref_norm: string;
  next_step: string | null;
  status: string;
  verified_by: string | null;
  provider_status: string | null;
  error_code: string | null;
  /** The pay-by-link it was started through, if any. */
  payment_link_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrderEventsTable {
  order_id: string;
  seq: number;
  at: string;
  kind: string;
  actor: string;
  summary: string;
  attempt_id: string | null;
  task_kind: string | null;
  task_id: string | null;
  data: string;
}

export interface TasksTable {
  id: string;
  kind: string;
  reason: string;
  owner: string | null;
  status: string;
  resolution: string | null;
  order_id: string | null;
  attempt_id: string | null;
  /** "run id:line number" of the report line the task is about. */
  report_line: string | null;
  created_at: string;
  resolved_at: string | null;
}

export interface PaymentMethodsTable {
  id: string;
  name: string;
  connector: string;
  settings: string;
  secrets: string;
  currencies: string | null;
  min_amount: number | null;
  max_amount: number | null;
  enabled: number;
  auto_approve: number;
  created_at: string;
  report_mapping: string | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  key_hash: string;
  prefix: string;
  scopes: string;
  created_at: string;
  revoked_at: string | null;
}

export interface CallbacksTable {
  id: string;
  payment_method_id: string;
  received_at: string;
  method: string;
  headers: string;
  query: string;
  body: string;
  verified: number;
  outcome: string;
  reason: string | null;
  provider_ref: string | null;
  provider_status: string | null;
  attempt_id: string | null;
  order_id: string | null;
}

export interface IdempotencyKeysTable {
  scope_key: string;
  request_hash: string;
  response_status: number | null;
  response_body: string | null;
  created_at: string;
}

export interface ProviderOperationsTable {
  id: string;
  kind: string;
  order_id: string;
  attempt_id: string;
  status: string;
  actor: string;
  reason: string | null;
  error: string | null;
  tries: number;
  created_at: string;
  updated_at: string;
}

export interface JobLeasesTable {
  name: string;
  holder: string;
  expires_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface OutboxTable {
  id: string;
  topic: string;
  event_type: string;
  order_id: string | null;
  order_seq: number;
  position: number;
  target: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  locked_by: string | null;
  locked_until: string | null;
  created_at: string;
  delivered_at: string | null;
  request_id: string | null;
  /** Null only on rows delivered before migration 0009 and never put back (read as created_at). */
  queued_at: string | null;
}

export interface WebhookEndpointsTable {
  id: string;
  url: string;
  events: string;
  secret: string;
  status_map_preset: string | null;
  status_map: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}

export interface RefundsTable {
  id: string;
  order_id: string;
  attempt_id: string;
  amount: number;
  currency: string;
  reason: string;
  lines: string;
  actor: string;
  status: string;
  provider_ref: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface ChargebacksTable {
  id: string;
  order_id: string;
  attempt_id: string;
  amount: number;
  currency: string;
  reason_code: string;
  status: string;
  source: string;
  provider_ref: string | null;
  note: string | null;
  actor: string;
  created_at: string;
  updated_at: string;
}

export interface ReceiptsTable {
  id: string;
  order_id: string;
  kind: string;
  attempt_id: string | null;
  refund_id: string | null;
  amount: number;
  currency: string;
  items: string;
  status: string;
  provider_ref: string | null;
  fiscal_number: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface ShipmentsTable {
  id: string;
  order_id: string;
  lines: string;
  courier: string | null;
  courier_ref: string | null;
  status: string;
  proof: string | null;
  created_at: string;
  updated_at: string;
}

export interface AdjustmentsTable {
  id: string;
  order_id: string;
  kind: string;
  lines: string;
  amount_delta: number;
  amount_before: number;
  amount_after: number;
  reason: string;
  actor: string;
  refund_id: string | null;
  created_at: string;
}

export interface PaymentLinksTable {
  id: string;
  order_id: string;
  token_hash: string;
  amount: number;
  currency: string;
  payment_method_id: string;
  status: string;
  expires_at: string;
  actor: string;
  reason: string;
  attempt_id: string | null;
  revoked_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReconciliationRunsTable {
  id: string;
  payment_method_id: string;
  report_date: string;
  file_name: string;
  file_hash: string;
  via: string;
  actor: string;
  status: string;
  error: string | null;
  summary: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface ReportLinesTable {
  run_id: string;
  line_no: number;
  provider_ref: string | null;
  order_reference: string | null;
  type: string | null;
  amount: number | null;
  currency: string | null;
  status: string | null;
  at: string | null;
  fee: number | null;
  dup_key: string | null;
  outcome: string;
  kind: string | null;
  record_id: string | null;
  order_id: string | null;
  message: string | null;
}

export interface UsersTable {
  id: string;
  email: string;
  email_norm: string;
  role: string;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
}

export interface AdminSessionsTable {
  token_hash: string;
  user_id: string;
  csrf_secret: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface SignInAttemptsTable {
  id: string;
  email_norm: string;
  ip: string;
  succeeded: number;
  at: string;
}

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
  order_events: OrderEventsTable;
  tasks: TasksTable;
  payment_methods: PaymentMethodsTable;
  api_keys: ApiKeysTable;
  callbacks: CallbacksTable;
  idempotency_keys: IdempotencyKeysTable;
}

// Generated is re-exported for later tables with database-made columns.
export type { Generated };
