import type { OutboxQuery } from '../../ports/storage.js';
import type { CallbackOutcome, CallbackRecord } from '../../domain/callback-record.js';
import type { AppDeps } from '../deps.js';
import { orderReferences } from './admin-orders.js';

// What the admin diagnostics pages read (the callback log and the outbox). Committed data only.

export interface CallbackFilters {
  paymentMethodId?: string;
  outcome?: CallbackOutcome;
  providerRef?: string;
  /** Found through the order's payment attempts (an order has a handful). */
  orderId?: string;
  limit: number;
}

/** The newest callbacks the filters name (at most `limit`), the payment methods, and the orders' references. */
export async function callbackLog(deps: AppDeps, f: CallbackFilters) {
  const { orderId, ...base } = f;
  let callbacks: CallbackRecord[];
  if (orderId) {
    const attempts = await deps.storage.read.listAttempts(orderId);
    callbacks = (await Promise.all(attempts.map((a) => deps.storage.read.listCallbacks({ ...base, attemptId: a.id }))))
      .flat()
      .sort((a, b) => (a.receivedAt === b.receivedAt ? (a.id < b.id ? 1 : -1) : a.receivedAt < b.receivedAt ? 1 : -1))
      .slice(0, f.limit);
  } else {
    callbacks = await deps.storage.read.listCallbacks(base);
  }
  const [methods, refs] = await Promise.all([
    deps.storage.read.listPaymentMethods(),
    orderReferences(
      deps,
      callbacks.map((c) => c.orderId),
    ),
  ]);
  return { callbacks, methods, refs };
}

/** The newest outbox messages the query names, every webhook endpoint (for their URLs), and the orders' references. */
export async function outboxLog(deps: AppDeps, q: OutboxQuery) {
  const messages = await deps.storage.read.listOutbox(q);
  const [endpoints, refs] = await Promise.all([
    deps.storage.read.listWebhookEndpoints(),
    orderReferences(
      deps,
      messages.map((m) => m.orderId),
    ),
  ]);
  return { messages, endpoints, refs };
}
