import { formatDecimal } from '../domain/money.js';
import type { Order, PaymentAttempt } from '../domain/order.js';
import { linkState, planLink, type PaymentLink } from '../domain/payment-link.js';
import { owedRefundInFlight, outstandingNow } from './balance.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { Actor, NewOrderEvent } from '../domain/timeline.js';
import type { StorageTx } from '../ports/storage.js';
import type { PaymentMethodRecord } from '../domain/payment-method.js';
import { nowIso, type AppDeps } from './deps.js';
import { methodRefusal } from './payment-methods.js';
import { recordEvents } from './record-events.js';
import { startPayment } from './start-payment.js';

/** 32 random bytes: far above the 128 bits a guess would have to beat. */
const LINK_TOKEN_BYTES = 32;

export interface IssuedLink {
  link: PaymentLink;
  /** The customer's URL. It holds the token, which is stored only hashed: shown once. */
  url: string;
}

export interface CreateLinkInput {
  orderId: string;
  amount?: number;
  expiresAt: string;
  paymentMethodId?: string;
  reason?: string;
}

/**
 * Makes a pay-by-link for what the order still owes (or part of it) and revokes the active one,
 * if any, in the same transaction. The database allows one active link per order, so two of
 * these racing leave exactly one.
 */
export async function createPaymentLink(
  deps: AppDeps,
  input: CreateLinkInput,
  actor: Actor,
): Promise<Result<IssuedLink>> {
  const at = nowIso(deps);
  return deps.storage.transaction(async (tx): Promise<Result<IssuedLink>> => {
    const order = await tx.lockOrder(input.orderId);
    if (!order) return fail('order_not_found', `There is no order ${input.orderId}.`);
    const refusal = await linkRefusal(tx, order);
    if (refusal) return refusal;
    const attempts = await tx.listAttempts(order.id);
    const outstanding = await outstandingNow(tx, order, attempts);
    const plan = planLink({ outstanding, amount: input.amount, expiresAt: input.expiresAt, now: at });
    if (!plan.ok) return plan;
    const pm = await linkMethod(tx, attempts, input.paymentMethodId);
    if (!pm.ok) return pm;
    const refused = methodRefusal(pm.value, plan.value.amount, order.currency);
    if (refused) return fail('payment_method_refused', refused);
    return ok(
      await issueLinkInTx(
        deps,
        tx,
        order,
        { ...plan.value, paymentMethodId: pm.value.id, reason: input.reason ?? 'Payment link sent by hand.' },
        actor,
        at,
      ),
    );
  });
}

/** Why an order may take no link now, or undefined. Reads only: safe before any write. */
export async function linkRefusal(tx: StorageTx, order: Order): Promise<Result<never> | undefined> {
  if (order.status === 'canceled' || order.status === 'completed')
    return fail('order_not_payable', `Order ${order.reference} is ${order.status}; it takes no payment.`);
  if (order.paymentStatus === 'charged_back')
    return fail('order_not_payable', `Order ${order.reference} has a dispute open; settle it before asking for money.`);
  if (await owedRefundInFlight(tx, order.id)) {
    return fail(
      'refund_in_progress',
      `A refund of order ${order.reference} is waiting for the provider's answer: what the customer owes is not known until it settles.`,
    );
  }
  return undefined;
}

/**
 * The payment method a link opens: the one asked for, else the one that took the order's last
 * payment, else the only one enabled.
 */
export async function linkMethod(
  tx: StorageTx,
  attempts: readonly PaymentAttempt[],
  wanted?: string,
): Promise<Result<PaymentMethodRecord>> {
  if (wanted) {
    const pm = await tx.getPaymentMethod(wanted);
    if (!pm) return fail('payment_method_unknown', `There is no payment method ${wanted}.`);
    if (!pm.enabled) return fail('payment_method_refused', `Payment method ${pm.name} is disabled.`);
    return ok(pm);
  }
  const methods = (await tx.listPaymentMethods()).filter((m) => m.enabled);
  const used = [...attempts]
    .reverse()
    .sort((a, b) => Number(b.status === 'succeeded') - Number(a.status === 'succeeded'));
  for (const a of used) {
    const pm = methods.find((m) => m.id === a.paymentMethodId);
    if (pm) return ok(pm);
  }
  if (methods.length === 1) return ok(methods[0]!);
  return fail(
    'payment_method_required',
    'Name the payment method the link opens (payment_method_id): the order has none in use and more than one is enabled.',
  );
}

/** Revokes the order's active link, if any, and writes the new one. Inside the caller's transaction, after every refusal. */
export async function issueLinkInTx(
  deps: AppDeps,
  tx: StorageTx,
  order: Order,
  input: { amount: number; expiresAt: string; paymentMethodId: string; reason: string },
  actor: Actor,
  at: string,
): Promise<IssuedLink> {
  const events = await revokeLinksInTx(tx, order, 'a new link replaces it', at);
  const token = deps.random.token(LINK_TOKEN_BYTES);
  const link: PaymentLink = {
    id: deps.random.id('plk'),
    orderId: order.id,
    amount: input.amount,
    currency: order.currency,
    paymentMethodId: input.paymentMethodId,
    status: 'active',
    expiresAt: input.expiresAt,
    actor,
    reason: input.reason,
    attemptId: null,
    revokedAt: null,
    createdAt: at,
    updatedAt: at,
  };
  await tx.insertPaymentLink(link, deps.hash(token));
  events.push({
    kind: 'payment_link.created',
    actor,
    summary: `Payment link ${link.id} for ${money(link.amount, link.currency)}, open until ${link.expiresAt}. Reason: ${link.reason}`,
    data: { link_id: link.id, amount: link.amount, expires_at: link.expiresAt, reason: link.reason },
  });
  await recordEvents(deps, tx, order.id, at, events);
  return { link, url: `${deps.publicUrl}/pay/${token}` };
}

/**
 * Revokes the order's active link (the amount changed, the order was canceled, another link
 * replaces it) and returns the timeline lines to record. An attempt already started through it
 * stays as it is: if it is paid after all, that payment opens a task.
 */
export async function revokeLinksInTx(tx: StorageTx, order: Order, why: string, at: string): Promise<NewOrderEvent[]> {
  const events: NewOrderEvent[] = [];
  for (const l of await tx.listPaymentLinks(order.id)) {
    if (l.status !== 'active') continue;
    await tx.updatePaymentLink(l.id, { status: 'revoked', revokedAt: at, updatedAt: at });
    events.push({
      kind: 'payment_link.revoked',
      actor: 'system',
      summary: `Payment link ${l.id} for ${money(l.amount, l.currency)} revoked: ${why}.`,
      data: { link_id: l.id, amount: l.amount, reason: why },
    });
  }
  return events;
}

/** Support withdraws a link by hand. Revoking a link that is no longer active changes nothing. */
export async function revokePaymentLink(
  deps: AppDeps,
  input: { linkId: string; reason: string },
  actor: Actor,
): Promise<Result<PaymentLink>> {
  const at = nowIso(deps);
  return deps.storage.transaction(async (tx): Promise<Result<PaymentLink>> => {
    const found = await tx.getPaymentLink(input.linkId);
    if (!found) return fail('payment_link_not_found', `There is no payment link ${input.linkId}.`);
    const order = await tx.lockOrder(found.orderId);
    const link = await tx.getPaymentLink(input.linkId);
    if (!order || !link) return fail('payment_link_not_found', `There is no payment link ${input.linkId}.`);
    if (link.status !== 'active') return ok(link);
    await tx.updatePaymentLink(link.id, { status: 'revoked', revokedAt: at, updatedAt: at });
    await recordEvents(deps, tx, order.id, at, [
      {
        kind: 'payment_link.revoked',
        actor,
        summary: `Payment link ${link.id} for ${money(link.amount, link.currency)} revoked: ${input.reason}.`,
        data: { link_id: link.id, amount: link.amount, reason: input.reason },
      },
    ]);
    return ok({ ...link, status: 'revoked', revokedAt: at, updatedAt: at });
  });
}

export interface LinkPage {
  link: PaymentLink;
  state: ReturnType<typeof linkState>;
  order: Order;
  /** What the order still owes now. */
  outstanding: number;
}

/** What the customer's page shows for a token; a token that is no link's is not found. */
export async function findLinkPage(deps: AppDeps, token: string): Promise<LinkPage | undefined> {
  const link = await deps.storage.read.findPaymentLinkByTokenHash(deps.hash(token));
  if (!link) return undefined;
  const order = await deps.storage.read.getOrder(link.orderId);
  if (!order) return undefined;
  const outstanding = await outstandingNow(deps.storage.read, order);
  return { link, state: linkState(link, nowIso(deps)), order, outstanding };
}

/**
 * The customer pays through a link: a new attempt for the link's amount with its payment method
 * (or the one already open through this link), checked again under the order's lock.
 */
export async function payByLink(deps: AppDeps, token: string): Promise<Result<PaymentAttempt>> {
  const link = await deps.storage.read.findPaymentLinkByTokenHash(deps.hash(token));
  if (!link) return fail('payment_link_not_found', 'There is no such payment link.');
  return startPayment(
    deps,
    { orderId: link.orderId, paymentMethodId: link.paymentMethodId, paymentLinkId: link.id },
    'customer',
  );
}

const money = (amount: number, currency: string) => `${formatDecimal(amount, currency)} ${currency}`;
