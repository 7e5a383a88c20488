import type { Adjustment } from '../../domain/adjustment.js';
import type { Chargeback } from '../../domain/chargeback.js';
import type { OrderDeliveryStatus } from '../../domain/delivery.js';
import type { Order, PaymentAttempt } from '../../domain/order.js';
import type { OrderStatus, PaymentStatus } from '../../domain/order-status.js';
import type { FiscalStatus } from '../../domain/receipt.js';
import type { Refund } from '../../domain/refund.js';
import type { ReviewStatus } from '../../domain/review.js';

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

export interface LockedOrder {
  order: Order;
  attempts: PaymentAttempt[];
  refunds: Refund[];
  chargebacks: Chargeback[];
  adjustments: Adjustment[];
}

/** Orders: by id, reference, key, filters and pages. */
export interface OrderReads {
  getOrder(id: string): Promise<Order | undefined>;
  findOrderByReference(referenceNorm: string): Promise<Order | undefined>;
  findOrderByKeyHash(keyHash: string): Promise<Order | undefined>;
  listOrders(q: OrderListQuery): Promise<Order[]>;
  /** Orders created at or after `since` by this customer e-mail (normalized) or IP. */
  countOrdersSince(q: { emailNorm?: string; ip?: string; since: string }): Promise<number>;
  findOrdersByReferences(referencesNorm: readonly string[]): Promise<Order[]>;
  getOrders(ids: readonly string[]): Promise<Order[]>;
  /** Orders changed in [from, to), by (updated_at, id), each page after the last one's end. */
  listOrdersChangedBetween(q: {
    from: string;
    to: string;
    after: { updatedAt: string; id: string } | null;
    limit: number;
  }): Promise<Order[]>;
}

export interface OrderWrites {
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
}
