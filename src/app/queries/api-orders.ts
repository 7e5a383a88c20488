import type { Order, PaymentAttempt } from '../../domain/order.js';
import { ok, type Result } from '../../domain/result.js';
import type { AppDeps } from '../deps.js';
import { listOrders, type OrderFilters } from './index.js';

// The API's reads of orders with their payments. Committed data only.

/** An order's payment attempts, oldest first: what an answer that shows the order lists with it. */
export async function paymentsOf(deps: AppDeps, orderId: string): Promise<PaymentAttempt[]> {
  return deps.storage.read.listAttempts(orderId);
}

/** One page of orders (see listOrders) and every listed order's attempts, read in one query. */
export async function listOrdersWithPayments(
  deps: AppDeps,
  q: OrderFilters & { limit: number; cursor?: string },
): Promise<Result<{ orders: Order[]; attempts: Map<string, PaymentAttempt[]>; nextCursor: string | null }>> {
  const r = await listOrders(deps, q);
  if (!r.ok) return r;
  const attempts = await deps.storage.read.listAttemptsForOrders(r.value.orders.map((o) => o.id));
  return ok({ ...r.value, attempts });
}
