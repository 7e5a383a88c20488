import type { AccessReads, AccessWrites } from './storage/access.js';
import type { AttemptReads, AttemptWrites } from './storage/attempts.js';
import type { CallbackReads, CallbackWrites } from './storage/callbacks.js';
import type { DeliveryReads, DeliveryWrites } from './storage/delivery.js';
import type { MoneyRecordReads, MoneyRecordWrites } from './storage/money-records.js';
import type { OrderReads, OrderWrites } from './storage/orders.js';
import type { OutboxReads, OutboxWrites } from './storage/outbox.js';
import type { PaymentLinkReads, PaymentLinkWrites } from './storage/payment-links.js';
import type { PaymentMethodReads, PaymentMethodWrites } from './storage/payment-methods.js';
import type { ProviderOperationReads, ProviderOperationWrites } from './storage/provider-operations.js';
import type { ReceiptReads, ReceiptWrites } from './storage/receipts.js';
import type { ReconciliationReads, ReconciliationWrites } from './storage/reconciliation.js';
import type { SystemReads, SystemWrites } from './storage/system.js';
import type { TaskReads, TaskWrites } from './storage/tasks.js';
import type { TimelineReads, TimelineWrites } from './storage/timeline.js';

// Each aggregate's port, with its queries and patches.
export type * from './storage/access.js';
export type * from './storage/attempts.js';
export type * from './storage/callbacks.js';
export type * from './storage/delivery.js';
export type * from './storage/money-records.js';
export type * from './storage/orders.js';
export type * from './storage/outbox.js';
export type * from './storage/payment-links.js';
export type * from './storage/payment-methods.js';
export type * from './storage/provider-operations.js';
export type * from './storage/receipts.js';
export type * from './storage/reconciliation.js';
export type * from './storage/system.js';
export type * from './storage/tasks.js';
export type * from './storage/timeline.js';

/** Reads that see committed data (or, inside a transaction, that transaction's own writes). */
export interface StorageReads
  extends
    OrderReads,
    AttemptReads,
    TimelineReads,
    MoneyRecordReads,
    ReceiptReads,
    DeliveryReads,
    PaymentLinkReads,
    TaskReads,
    CallbackReads,
    ProviderOperationReads,
    PaymentMethodReads,
    OutboxReads,
    ReconciliationReads,
    AccessReads,
    SystemReads {}

/** Writes, available only inside a transaction. */
export interface StorageTx
  extends
    StorageReads,
    OrderWrites,
    AttemptWrites,
    TimelineWrites,
    MoneyRecordWrites,
    ReceiptWrites,
    DeliveryWrites,
    PaymentLinkWrites,
    TaskWrites,
    CallbackWrites,
    ProviderOperationWrites,
    PaymentMethodWrites,
    OutboxWrites,
    ReconciliationWrites,
    AccessWrites,
    SystemWrites {}

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
