import type { OutboxQuery } from '../../ports/storage.js';
import type { AppDeps } from '../deps.js';
import { orderReferences } from './admin-orders.js';
import { listCallbackLog, type CallbackLogFilters } from './api-callbacks.js';

// What the admin diagnostics pages read (the callback log and the outbox). Committed data only.

/**
 * One page of the callbacks the filters name, newest first by keyset (`listed`, from
 * listCallbackLog: the page and its next cursor, or why the cursor was refused), the payment
 * methods, and the references of the listed callbacks' orders.
 */
export async function callbackLog(deps: AppDeps, f: CallbackLogFilters & { limit: number; cursor?: string }) {
  const [listed, methods] = await Promise.all([listCallbackLog(deps, f), deps.storage.read.listPaymentMethods()]);
  const callbacks = listed.ok ? listed.value.callbacks : [];
  const refs = await orderReferences(
    deps,
    callbacks.map((c) => c.orderId),
  );
  return { listed, callbacks, methods, refs };
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
