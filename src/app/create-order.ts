import { isCurrency } from '../domain/currency.js';
import { formatDecimal } from '../domain/money.js';
import { normalizeReference, orderAmount, type Customer, type Order, type OrderLine } from '../domain/order.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { Actor } from '../domain/timeline.js';
import { nowIso, type AppDeps } from './deps.js';
import { recordEvents } from './record-events.js';
import { effectSettings } from './steps/queue-effects.js';

export interface CreateOrderInput {
  reference: string;
  currency: string;
  amount?: number;
  lines?: OrderLine[];
  shipping_amount?: number;
  customer?: Customer;
  return_url?: string;
  locale?: string;
  metadata?: Record<string, string>;
}

export interface CreatedOrder {
  order: Order;
  /** The secret that lets the customer see this one order. */
  orderKey: string;
  /** False when the same reference with the same content already existed (a store's retry). */
  created: boolean;
}

/**
 * Saves the order as pending_payment before the customer leaves for the payment page. The
 * store's reference is unique without regard to case: the same reference with the same content
 * returns the existing order (so a retry never duplicates one), with other content it is a conflict.
 * The unique index decides under concurrency, not a prior read.
 */
export async function createOrder(deps: AppDeps, input: CreateOrderInput, actor: Actor): Promise<Result<CreatedOrder>> {
  if (!isCurrency(input.currency))
    return fail('currency_unknown', `${input.currency} is not an ISO 4217 currency code.`);
  const amount = orderAmount(input);
  if (!amount.ok) return amount;
  const reference = input.reference.trim();
  const referenceNorm = normalizeReference(reference);
  const at = nowIso(deps);
  const lines = input.lines ?? [];
  const order: Order = {
    id: deps.random.orderedId('ord'),
    reference,
    currency: input.currency,
    originalAmount: amount.value,
    amount: amount.value,
    shippingAmount: input.shipping_amount ?? 0,
    lines,
    customer: input.customer ?? {},
    returnUrl: input.return_url ?? null,
    locale: input.locale ?? null,
    metadata: input.metadata ?? {},
    status: 'pending_payment',
    paymentStatus: 'unpaid',
    reviewStatus: 'none',
    fiscalStatus: 'not_required',
    deliveryStatus: 'not_started',
    contentHash: contentHash(deps, input, amount.value),
    createdAt: at,
    updatedAt: at,
  };
  const orderKey = orderKeyFor(deps, order.id);

  const outcome = await deps.storage.transaction(async (tx) => {
    // Read first, so on PostgreSQL it goes out with BEGIN (a write first would wait for BEGIN alone).
    const effects = await effectSettings(deps, tx);
    if (await tx.insertOrder(order, deps.hash(orderKey), referenceNorm)) {
      const what = lines.length > 0 ? `${lines.length} line${lines.length > 1 ? 's' : ''}` : 'no lines';
      await recordEvents(
        deps,
        tx,
        order.id,
        at,
        [
          {
            kind: 'order.created',
            actor,
            summary: `Order ${reference} saved, awaiting payment of ${formatDecimal(order.amount, order.currency)} ${order.currency} (${what}).`,
            data: { amount: order.amount, currency: order.currency },
          },
        ],
        { order, effects },
      );
      return { created: true as const, order };
    }
    return { created: false as const, order: await tx.findOrderByReference(referenceNorm) };
  });

  if (outcome.created) return ok({ order, orderKey, created: true });
  const existing = outcome.order;
  if (!existing) throw new Error('an order reference conflicted but no order holds it');
  if (existing.contentHash !== order.contentHash) {
    return fail(
      'order_reference_conflict',
      `An order with reference ${existing.reference} already exists with other content.`,
      {
        order_id: existing.id,
      },
    );
  }
  return ok({ order: existing, orderKey: orderKeyFor(deps, existing.id), created: false });
}

/**
 * The customer's key to one order. It is derived (HMAC under the master key) from the order's
 * random id rather than stored, so a store's retry receives the same key while the database
 * holds only its hash.
 */
export function orderKeyFor(deps: Pick<AppDeps, 'secretBox'>, orderId: string): string {
  return `ok_${deps.secretBox.mac('order-key', orderId)}`;
}

function contentHash(deps: AppDeps, input: CreateOrderInput, amount: number): string {
  const canonical = {
    currency: input.currency,
    amount,
    shipping_amount: input.shipping_amount ?? 0,
    lines: (input.lines ?? []).map((l) => [l.sku, l.name, l.quantity, l.unit_amount]),
    customer: [
      input.customer?.email ?? null,
      input.customer?.phone ?? null,
      input.customer?.name ?? null,
      ...(input.customer?.ip ? [input.customer.ip] : []),
    ],
    return_url: input.return_url ?? null,
    // Only when given, so the hash of an order made before orders had a locale is unchanged.
    ...(input.locale !== undefined && { locale: input.locale }),
    metadata: Object.entries(input.metadata ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  };
  return deps.hash(JSON.stringify(canonical));
}
