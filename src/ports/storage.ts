import type { Order, PaymentAttempt } from '../domain/order.js';
import type { OrderStatus, PaymentStatus } from '../domain/order-status.js';
import type { AttemptStatus } from '../domain/attempt-status.js';
import type { NewOrderEvent, NewTask, OrderEvent } from '../domain/timeline.js';
import type { EventOutcome } from '../domain/provider-event.js';
import type { ReviewStatus } from '../domain/review.js';
import type { FiscalReceipt, FiscalStatus } from '../domain/receipt.js';
import type { Refund, RefundStatus } from '../domain/refund.js';
import type { Chargeback } from '../domain/chargeback.js';
import type { OutboxMessage, OutboxStatus } from '../domain/outbox.js';
import type { StoreStatusMap } from '../domain/store-status.js';
import type { OrderDeliveryStatus, Shipment } from '../domain/delivery.js';
import type { Adjustment } from '../domain/adjustment.js';
import type { PaymentLink } from '../domain/payment-link.js';
import type { ReconciliationRun } from '../domain/reconciliation-run.js';
import type { CsvMapping } from '../domain/report.js';
import type { Role } from '../domain/roles.js';

export interface PaymentMethodRecord {
  id: string;
  name: string;
  connector: string;
  /** Settings without the secret fields. */
  settings: Record<string, unknown>;
  /** The secret fields, encrypted as one JSON object by the secret box. */
  secretsCiphertext: string;
  currencies: string[] | null;
  minAmount: number | null;
  maxAmount: number | null;
  enabled: boolean;
  autoApprove: boolean;
  /** How to read this provider's report when its connector has no parser of its own (a CSV mapping). */
  reportMapping: CsvMapping | null;
  createdAt: string;
}

/** One line of an imported report and what it became. */
export interface ReportLineRecord {
  runId: string;
  lineNo: number;
  providerRef: string | null;
  orderReference: string | null;
  type: string | null;
  amount: number | null;
  currency: string | null;
  status: string | null;
  at: string | null;
  fee: number | null;
  dupKey: string | null;
  outcome: 'matched' | 'exception' | 'unreadable';
  kind: string | null;
  recordId: string | null;
  orderId: string | null;
  message: string | null;
}

/** A run's page of Settle's records of the day. */
export interface DayQuery {
  paymentMethodId: string;
  runId: string;
  from: string;
  to: string;
  afterId: string;
  limit: number;
}

/** store: the shop's calls; accounting: reconciliation; admin: everything. */
export type Scope = 'store' | 'accounting' | 'admin';

export interface ApiKeyRecord {
  id: string;
  name: string;
  keyHash: string;
  /** The first characters of the key, to tell keys apart in lists. */
  prefix: string;
  scopes: Scope[];
  createdAt: string;
  revokedAt: string | null;
}

/** A person who signs in to the admin pages. */
export interface UserRecord {
  id: string;
  email: string;
  emailNorm: string;
  role: Role;
  passwordHash: string;
  createdAt: string;
  disabledAt: string | null;
}

/** A signed-in browser: found by the hash of its cookie, with its own CSRF secret. */
export interface SessionRecord {
  tokenHash: string;
  userId: string;
  csrfSecret: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export type CallbackOutcome = EventOutcome | 'rejected' | 'received';

export interface CallbackRecord {
  id: string;
  paymentMethodId: string;
  receivedAt: string;
  method: string;
  headers: Record<string, string>;
  query: string;
  body: string;
  verified: boolean;
  outcome: CallbackOutcome;
  reason: string | null;
  providerRef: string | null;
  providerStatus: string | null;
  attemptId: string | null;
  orderId: string | null;
}

export interface TaskRecord extends NewTask {
  id: string;
  owner: string | null;
  status: 'open' | 'resolved';
  resolution: string | null;
  createdAt: string;
  resolvedAt: string | null;
}

export type OperationStatus = 'requested' | 'succeeded' | 'failed';

/** A call to a provider as an intent: recorded before the call, settled after it (or by the janitor). */
export interface ProviderOperation {
  id: string;
  kind: 'cancel';
  orderId: string;
  attemptId: string;
  status: OperationStatus;
  actor: string;
  reason: string | null;
  error: string | null;
  tries: number;
  createdAt: string;
  updatedAt: string;
}

/** Where a store or its CRM/ERP is told of changes by signed webhooks. */
export interface WebhookEndpointRecord {
  id: string;
  url: string;
  /** Event types it receives; "*" for all. */
  events: string[];
  /** The Standard Webhooks secret, encrypted by the secret box. */
  secretCiphertext: string;
  statusMapPreset: string | null;
  /** Settle's statuses to the store's codes, the preset with overrides applied. */
  statusMap: StoreStatusMap;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface OutboxQuery {
  status?: OutboxStatus;
  topic?: OutboxMessage['topic'];
  orderId?: string;
  /** A webhook endpoint's id, or a mail target. */
  target?: string;
  limit: number;
}

export interface OutboxPatch {
  status?: OutboxStatus;
  nextAttemptAt?: string;
  lastError?: string | null;
  deliveredAt?: string | null;
  /** A message put back after it was given up starts its tries afresh. */
  attempts?: number;
  /** Set when a message is put back in the queue. */
  queuedAt?: string;
  /** Releases the worker's claim. */
  release?: boolean;
}

export interface TaskQuery {
  status?: TaskRecord['status'];
  kind?: string;
  owner?: string;
  /** Only tasks nobody owns. */
  unowned?: boolean;
  orderId?: string;
  /** Tasks raised by this reconciliation run. */
  runId?: string;
  /** Newest first instead of the queue's oldest first (a list of resolved tasks). */
  newestFirst?: boolean;
  limit?: number;
}

export interface IdempotencyRecord {
  /** The API key and the Idempotency-Key header together. */
  scopeKey: string;
  requestHash: string;
  /** Null while the first request is still being handled. */
  responseStatus: number | null;
  responseBody: string | null;
  createdAt: string;
}

export interface OrderListQuery {
  status?: OrderStatus;
  paymentStatus?: PaymentStatus;
  deliveryStatus?: OrderDeliveryStatus;
  fiscalStatus?: FiscalStatus;
  reviewStatus?: ReviewStatus;
  /** Orders with a webhook message in this state (pending: not yet delivered; failed: given up). */
  sync?: 'pending' | 'failed';
  /** Orders with an attempt through this payment method. */
  paymentMethodId?: string;
  /** created_at >= from and < to (ISO instants). */
  createdFrom?: string;
  createdTo?: string;
  referenceNorm?: string;
  /** Orders whose normalised reference starts with this. */
  referencePrefix?: string;
  limit: number;
  /** Keyset cursor: list orders strictly older than this (created_at, id). */
  before?: { createdAt: string; id: string };
}

export interface OrderPatch {
  status?: OrderStatus;
  paymentStatus?: PaymentStatus;
  reviewStatus?: ReviewStatus;
  fiscalStatus?: FiscalStatus;
  deliveryStatus?: OrderDeliveryStatus;
  /** An adjustment's new confirmed amount and lines. */
  amount?: number;
  lines?: Order['lines'];
  updatedAt: string;
}

export interface AttemptPatch {
  status?: AttemptStatus;
  nextStep?: PaymentAttempt['nextStep'];
  verifiedBy?: PaymentAttempt['verifiedBy'];
  providerStatus?: string | null;
  errorCode?: string | null;
  updatedAt: string;
}

/** Reads that see committed data (or, inside a transaction, that transaction's own writes). */
export interface StorageReads {
  getOrder(id: string): Promise<Order | undefined>;
  findOrderByReference(referenceNorm: string): Promise<Order | undefined>;
  findOrderByKeyHash(keyHash: string): Promise<Order | undefined>;
  listOrders(q: OrderListQuery): Promise<Order[]>;
  getAttempt(id: string): Promise<PaymentAttempt | undefined>;
  /** Oldest first. */
  listAttempts(orderId: string): Promise<PaymentAttempt[]>;
  /** The attempts of several orders at once, each list oldest first. */
  listAttemptsForOrders(orderIds: readonly string[]): Promise<Map<string, PaymentAttempt[]>>;
  findAttemptByProviderRef(paymentMethodId: string, providerRefNorm: string): Promise<PaymentAttempt | undefined>;
  /** Oldest first. */
  listEvents(orderId: string): Promise<OrderEvent[]>;
  /** Oldest first (newest first when asked). */
  listTasks(q: TaskQuery): Promise<TaskRecord[]>;
  getTask(id: string): Promise<TaskRecord | undefined>;
  listOperations(q: {
    orderId?: string;
    status?: OperationStatus;
    updatedBefore?: string;
    limit: number;
  }): Promise<ProviderOperation[]>;
  /** Attempts still open (created, pending, authorized) made before `createdBefore`, oldest first. */
  listOpenAttempts(q: { createdBefore: string; limit: number }): Promise<PaymentAttempt[]>;
  getPaymentMethod(id: string): Promise<PaymentMethodRecord | undefined>;
  listPaymentMethods(): Promise<PaymentMethodRecord[]>;
  findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  getUser(id: string): Promise<UserRecord | undefined>;
  findUserByEmail(emailNorm: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  findSession(tokenHash: string): Promise<SessionRecord | undefined>;
  /** Failed sign-ins since an instant, by e-mail and by address. */
  countSignInFailures(q: { emailNorm: string; ip: string; since: string }): Promise<{ byEmail: number; byIp: number }>;
  /** Pending and given-up (failed) outbox messages by topic, with the oldest one's creation time. */
  outboxSummary(): Promise<
    { status: 'pending' | 'failed'; topic: OutboxMessage['topic']; count: number; oldestQueuedAt: string | null }[]
  >;
  /** Open tasks by owner (null: nobody) and kind. */
  countOpenTasks(): Promise<{ owner: string | null; kind: string; count: number }[]>;
  /** Newest first. */
  listCallbacks(q: {
    paymentMethodId?: string;
    outcome?: CallbackOutcome;
    providerRef?: string;
    attemptId?: string;
    limit: number;
  }): Promise<CallbackRecord[]>;
  getIdempotency(scopeKey: string): Promise<IdempotencyRecord | undefined>;
  /** Orders created at or after `since` by this customer e-mail (normalized) or IP. */
  countOrdersSince(q: { emailNorm?: string; ip?: string; since: string }): Promise<number>;
  getSetting(key: string): Promise<unknown>;
  listOutbox(q: OutboxQuery): Promise<OutboxMessage[]>;
  getOutbox(id: string): Promise<OutboxMessage | undefined>;
  listWebhookEndpoints(): Promise<WebhookEndpointRecord[]>;
  getWebhookEndpoint(id: string): Promise<WebhookEndpointRecord | undefined>;
  /** Oldest first. */
  listRefunds(orderId: string): Promise<Refund[]>;
  getRefund(id: string): Promise<Refund | undefined>;
  listRefundsByStatus(q: { status: RefundStatus; updatedBefore: string; limit: number }): Promise<Refund[]>;
  /** Oldest first. */
  listChargebacks(orderId: string): Promise<Chargeback[]>;
  getChargeback(id: string): Promise<Chargeback | undefined>;
  findChargebackByProviderRef(attemptId: string, providerRef: string): Promise<Chargeback | undefined>;
  /** Oldest first. */
  listReceipts(orderId: string): Promise<FiscalReceipt[]>;
  getReceipt(id: string): Promise<FiscalReceipt | undefined>;
  /** Oldest first. */
  listShipments(orderId: string): Promise<Shipment[]>;
  getShipment(id: string): Promise<Shipment | undefined>;
  /** Oldest first. */
  listAdjustments(orderId: string): Promise<Adjustment[]>;
  getPaymentLink(id: string): Promise<PaymentLink | undefined>;
  findPaymentLinkByTokenHash(tokenHash: string): Promise<PaymentLink | undefined>;
  /** Oldest first. */
  listPaymentLinks(orderId: string): Promise<PaymentLink[]>;
  getRun(id: string): Promise<ReconciliationRun | undefined>;
  findRunByFile(paymentMethodId: string, fileHash: string): Promise<ReconciliationRun | undefined>;
  /** Newest first. */
  listRuns(q: { paymentMethodId?: string; limit: number }): Promise<ReconciliationRun[]>;
  /**
   * The highest line number stored for the run (0 for none: where an interrupted import goes on)
   * and the lowest (findings of the run's own checks are stored below zero).
   */
  reportLineBounds(runId: string): Promise<{ last: number; first: number }>;
  /** Which of these duplicate keys the run already holds. */
  findReportedDupKeys(runId: string, keys: readonly string[]): Promise<string[]>;
  /** Which of these records (payments, refunds) a line of the run already matched or disputed. */
  findReportedRecords(runId: string, recordIds: readonly string[]): Promise<string[]>;
  /** Report lines by outcome, every finding by kind, and sums of succeeded lines by currency and type. */
  reportLineTotals(
    runId: string,
  ): Promise<{
    outcomes: Record<string, number>;
    kinds: Record<string, number>;
    sums: { currency: string; type: string; amount: number; fee: number }[];
  }>;
  findAttemptsByProviderRefs(paymentMethodId: string, refsNorm: readonly string[]): Promise<PaymentAttempt[]>;
  findRefundsByProviderRefs(refs: readonly string[]): Promise<Refund[]>;
  findOrdersByReferences(referencesNorm: readonly string[]): Promise<Order[]>;
  getOrders(ids: readonly string[]): Promise<Order[]>;
  /** The refunds, chargebacks, receipts and open tasks of several orders at once. */
  listOrderRecords(
    orderIds: readonly string[],
  ): Promise<{ refunds: Refund[]; chargebacks: Chargeback[]; receipts: FiscalReceipt[]; openTasks: TaskRecord[] }>;
  /** Succeeded payments of the method changed in [from, to) that no line of the run names, by id. */
  listUnreportedPayments(q: DayQuery): Promise<PaymentAttempt[]>;
  /** Succeeded refunds of the method's payments changed in [from, to) that no line of the run names, by id. */
  listUnreportedRefunds(q: DayQuery): Promise<Refund[]>;
  /** Orders changed in [from, to), by (updated_at, id), each page after the last one's end. */
  listOrdersChangedBetween(q: {
    from: string;
    to: string;
    after: { updatedAt: string; id: string } | null;
    limit: number;
  }): Promise<Order[]>;
}

export interface LockedOrder {
  order: Order;
  attempts: PaymentAttempt[];
  refunds: Refund[];
  chargebacks: Chargeback[];
  adjustments: Adjustment[];
}

/** Writes, available only inside a transaction. */
export interface StorageTx extends StorageReads {
  /**
   * Locks the order for the rest of the transaction (PostgreSQL: SELECT … FOR UPDATE; SQLite:
   * the transaction already holds the write lock from BEGIN IMMEDIATE) and returns it.
   */
  lockOrder(id: string): Promise<Order | undefined>;
  /**
   * lockOrder, and with it what deciding on the order needs: its attempts (by number), refunds,
   * chargebacks and adjustments (by creation), read after the lock. On PostgreSQL the four lists
   * come in one statement, with the settings and webhook endpoints: the transaction's later
   * getSetting and listWebhookEndpoints answer from that read (and from what it writes itself),
   * as the callback path's round trips are what bound its rate.
   */
  lockOrderState(id: string): Promise<LockedOrder | undefined>;
  /** Inserts unless an order with the same reference exists; returns whether it inserted. */
  insertOrder(order: Order, keyHash: string, referenceNorm: string): Promise<boolean>;
  updateOrder(id: string, patch: OrderPatch): Promise<void>;
  /** Inserts unless the provider reference is taken for this payment method; returns whether it inserted. */
  insertAttempt(attempt: PaymentAttempt, providerRefNorm: string): Promise<boolean>;
  updateAttempt(id: string, patch: AttemptPatch): Promise<void>;
  /** Appends to the order's timeline in the given order, after what is there; returns them with their seq. */
  appendEvents(orderId: string, at: string, events: readonly NewOrderEvent[]): Promise<OrderEvent[]>;
  insertTasks(tasks: readonly TaskRecord[]): Promise<void>;
  updateTask(
    id: string,
    patch: {
      owner?: string | null;
      status?: TaskRecord['status'];
      resolution?: string | null;
      resolvedAt?: string | null;
    },
  ): Promise<void>;
  insertOperation(op: ProviderOperation): Promise<void>;
  updateOperation(
    id: string,
    patch: { status?: OperationStatus; error?: string | null; tries?: number; updatedAt: string },
  ): Promise<void>;
  insertPaymentMethod(pm: PaymentMethodRecord): Promise<void>;
  insertApiKey(key: ApiKeyRecord): Promise<void>;
  revokeApiKey(id: string, at: string): Promise<void>;
  insertUser(user: UserRecord): Promise<boolean>;
  updateUser(id: string, patch: { role?: Role; passwordHash?: string; disabledAt?: string | null }): Promise<void>;
  insertSession(session: SessionRecord): Promise<void>;
  touchSession(tokenHash: string, lastSeenAt: string): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteUserSessions(userId: string): Promise<void>;
  insertSignInAttempt(a: { id: string; emailNorm: string; ip: string; succeeded: boolean; at: string }): Promise<void>;
  /** Drops sign-in attempts, sessions and admin forms' one-time ids older than the instant (the janitor keeps the tables small). */
  pruneSignIns(before: string): Promise<void>;
  /** Drops up to `limit` idempotency keys created before `before`, oldest first; returns how many. */
  pruneIdempotencyKeys(before: string, limit: number): Promise<number>;
  updatePaymentMethod(
    id: string,
    patch: Partial<
      Pick<
        PaymentMethodRecord,
        'name' | 'settings' | 'secretsCiphertext' | 'currencies' | 'minAmount' | 'maxAmount' | 'enabled' | 'autoApprove'
      >
    >,
  ): Promise<void>;
  insertCallback(cb: CallbackRecord): Promise<void>;
  /** Claims the idempotency key; false when it is already claimed. */
  claimIdempotency(rec: IdempotencyRecord): Promise<boolean>;
  completeIdempotency(scopeKey: string, status: number, body: string): Promise<void>;
  releaseIdempotency(scopeKey: string): Promise<void>;
  /** Takes the named lease unless another holder has one that has not expired. */
  takeLease(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
  putSetting(key: string, value: unknown, at: string): Promise<void>;
  insertOutbox(messages: readonly OutboxMessage[]): Promise<void>;
  /**
   * Claims up to `limit` due messages for `holder` until `leaseUntil`, counting a try on each.
   * A message waits while an older one to the same target for the same order is undelivered, so
   * each receiver hears of an order in order. PostgreSQL: FOR UPDATE SKIP LOCKED, so several
   * workers share the work; SQLite: the transaction's write lock. An expired claim (a worker that
   * died) may be claimed again.
   */
  claimOutbox(q: { now: string; holder: string; leaseUntil: string; limit: number }): Promise<OutboxMessage[]>;
  updateOutbox(id: string, patch: OutboxPatch): Promise<void>;
  insertWebhookEndpoint(e: WebhookEndpointRecord): Promise<void>;
  updateWebhookEndpoint(
    id: string,
    patch: {
      enabled?: boolean;
      events?: string[];
      statusMapPreset?: string | null;
      statusMap?: StoreStatusMap;
      updatedAt: string;
    },
  ): Promise<void>;
  insertRefund(r: Refund): Promise<void>;
  updateRefund(
    id: string,
    patch: { status?: RefundStatus; providerRef?: string | null; error?: string | null; updatedAt: string },
  ): Promise<void>;
  insertChargeback(c: Chargeback): Promise<void>;
  /** providerRef: set once, when a provider's notice is matched to a chargeback recorded by hand. */
  updateChargeback(
    id: string,
    patch: { status?: Chargeback['status']; note?: string | null; providerRef?: string; updatedAt: string },
  ): Promise<void>;
  insertReceipt(r: FiscalReceipt): Promise<void>;
  insertShipment(s: Shipment): Promise<void>;
  insertAdjustment(a: Adjustment): Promise<void>;
  /** Inserts unless a run of the same file for the same payment method exists; returns whether it inserted. */
  insertRun(run: ReconciliationRun): Promise<boolean>;
  updateRun(
    id: string,
    patch: {
      status?: ReconciliationRun['status'];
      error?: string | null;
      summary?: ReconciliationRun['summary'];
      completedAt?: string | null;
      updatedAt: string;
    },
  ): Promise<void>;
  /** A line already stored (same run and line number) is kept as it was. */
  insertReportLines(lines: readonly ReportLineRecord[]): Promise<void>;
  setPaymentMethodReportMapping(id: string, mapping: CsvMapping | null): Promise<void>;
  /** Throws on a second active link for one order: the database holds that rule, not only the code. */
  insertPaymentLink(link: PaymentLink, tokenHash: string): Promise<void>;
  updatePaymentLink(
    id: string,
    patch: { status?: PaymentLink['status']; attemptId?: string | null; revokedAt?: string | null; updatedAt: string },
  ): Promise<void>;
  updateShipment(
    id: string,
    patch: Partial<Pick<Shipment, 'status' | 'courier' | 'courierRef' | 'proof'>> & { updatedAt: string },
  ): Promise<void>;
  updateReceipt(
    id: string,
    patch: {
      status?: FiscalReceipt['status'];
      providerRef?: string | null;
      fiscalNumber?: string | null;
      error?: string | null;
      updatedAt: string;
    },
  ): Promise<void>;
}

/**
 * The one storage port, over SQLite or PostgreSQL. `transaction` runs `fn` in one database
 * transaction and resolves only after a durable commit (PostgreSQL synchronous_commit on;
 * SQLite WAL with synchronous=FULL). If `fn` throws, nothing of it is kept.
 */
export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  readonly read: StorageReads;
  transaction<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` only if no other process runs a job of this name (PostgreSQL: an advisory lock;
   * SQLite: one process owns the file). Returns undefined when another holds it.
   */
  runExclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined>;
  /** True when the database answers. */
  ping(): Promise<boolean>;
  /** Whether every migration this code knows has run (false when the database cannot say). */
  migrationsCurrent(): Promise<boolean>;
  /** Refreshes the planner's statistics where the database does not do it by itself (SQLite). */
  optimize(): Promise<void>;
  close(): Promise<void>;
}
