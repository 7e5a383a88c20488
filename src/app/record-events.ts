import { ATTEMPT_STATUSES } from '../domain/attempt-status.js';
import { effectsOf, type WebhookEventType } from '../domain/effects.js';
import { formatDecimal } from '../domain/money.js';
import { isCustomerMail, renderMail, type MailKind, type NotificationSettings } from '../domain/notifications.js';
import type { Order, PaymentAttempt } from '../domain/order.js';
import type { OutboxMessage } from '../domain/outbox.js';
import { deriveFiscalStatus, refundItems, saleItems, type FiscalReceipt } from '../domain/receipt.js';
import { storeStatusOf } from '../domain/store-status.js';
import type { NewOrderEvent, OrderEvent } from '../domain/timeline.js';
import type { StorageTx, WebhookEndpointRecord } from '../ports/storage.js';
import type { AppDeps } from './deps.js';
import { notificationSettings } from './settings.js';
import {
  webhookPayload as payloadOf,
  withStoreStatus as storeStatusPayload,
  type WebhookPayload,
} from '../contract/webhook.js';

/**
 * Appends events to the order's timeline and, in the same transaction, queues what they set off
 * outside the database: webhooks to every subscribed endpoint, e-mails, fiscal receipts. Call it
 * after the order's own changes are written, under the order's lock: the webhooks carry the
 * order as it is now. Returns the appended events.
 */
export async function recordEvents(
  deps: AppDeps,
  tx: StorageTx,
  orderId: string,
  at: string,
  events: readonly NewOrderEvent[],
  /** The order (and attempts) exactly as the caller has just written them, to save reading them back. */
  now?: { order: Order; attempts?: readonly PaymentAttempt[] },
): Promise<OrderEvent[]> {
  const appended = await tx.appendEvents(orderId, at, events);
  countStatusChanges(deps, appended);
  const effects = appended.map((e) => ({ event: e, fx: effectsOf(e) }));
  if (!effects.some(({ fx }) => fx.webhook || fx.mails.length > 0 || fx.receipt)) return appended;

  let order = now?.order.id === orderId ? now.order : await tx.getOrder(orderId);
  if (!order) throw new Error(`order ${orderId} vanished`);
  const endpoints = (await tx.listWebhookEndpoints()).filter((e) => e.enabled);
  const settings = deps.mailer ? await notificationSettings(tx) : null;
  const messages: OutboxMessage[] = [];
  const followUps: NewOrderEvent[] = [];
  // The events of one change (payment.succeeded, order.status_changed, …) often name the same
  // attempt, which nothing below changes: read each one once, not once per event.
  const attempts = new Map<string, ReturnType<StorageTx['getAttempt']>>(
    (now?.attempts ?? []).map((a) => [a.id, Promise.resolve(a)]),
  );
  const attemptOf: AttemptReader = (id) => {
    let a = attempts.get(id);
    if (!a) attempts.set(id, (a = tx.getAttempt(id)));
    return a;
  };
  const message = (
    m: Pick<OutboxMessage, 'topic' | 'eventType' | 'target' | 'payload'>,
    seq: number,
  ): OutboxMessage => ({
    ...m,
    id: deps.random.id('msg'),
    orderId,
    orderSeq: seq,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: at,
    lastError: null,
    createdAt: at,
    queuedAt: at,
    deliveredAt: null,
    // The request that caused this change (see AppDeps.requestContext): support can follow a
    // webhook back to the API call or callback that set it off, in the logs.
    requestId: deps.requestContext.requestId(),
  });

  for (const { event, fx } of effects) {
    if (fx.receipt && deps.fiscal) {
      const receipt = await newReceipt(deps, tx, attemptOf, order, event, fx.receipt, at);
      if (receipt) {
        await tx.insertReceipt(receipt);
        messages.push(
          message(
            {
              topic: 'fiscal',
              eventType: `receipt.${receipt.kind}`,
              target: 'fiscal',
              payload: { receipt_id: receipt.id },
            },
            event.seq,
          ),
        );
        const what = `${receipt.kind === 'sale' ? 'Sale' : 'Refund'} receipt for ${formatDecimal(receipt.amount, receipt.currency)} ${receipt.currency}`;
        followUps.push({
          kind: 'receipt.requested',
          actor: 'system',
          summary: `${what} sent to the fiscal service.`,
          data: { receipt_id: receipt.id },
        });
      }
    }
    const targets = fx.webhook ? endpoints.filter((e) => subscribed(e, fx.webhook!)) : [];
    // The payload is built (and what it names read) only when some endpoint takes this event.
    if (fx.webhook && targets.length > 0) {
      const payload = await webhookPayload(tx, attemptOf, order, event, fx.webhook);
      for (const ep of targets) {
        messages.push(
          message(
            { topic: 'webhook', eventType: fx.webhook, target: ep.id, payload: withStoreStatus(payload, ep, order) },
            event.seq,
          ),
        );
      }
    }
    for (const kind of settings ? fx.mails : []) {
      const mail = mailFor(kind, settings!, order, event);
      if (mail)
        messages.push(
          message(
            {
              topic: 'email',
              eventType: `mail.${kind}`,
              target: `mail:${isCustomerMail(kind) ? 'customer' : 'department'}`,
              payload: mail,
            },
            event.seq,
          ),
        );
    }
  }
  await tx.insertOutbox(messages);

  if (followUps.length > 0) {
    const fiscalStatus = deriveFiscalStatus(await tx.listReceipts(orderId));
    if (fiscalStatus !== order.fiscalStatus) {
      await tx.updateOrder(orderId, { fiscalStatus, updatedAt: at });
      order = { ...order, fiscalStatus, updatedAt: at };
    }
    appended.push(...(await recordEvents(deps, tx, orderId, at, followUps, { order, attempts: now?.attempts })));
  }
  return appended;
}

/** Timeline kinds that are a status move of one track, besides every `<track>.status_changed`. */
const STATUS_EVENTS: Record<string, readonly string[]> = {
  payment: ATTEMPT_STATUSES,
  refund: ['requested', 'succeeded', 'failed'],
  chargeback: ['opened', 'won', 'lost'],
  review: ['pending', 'approved', 'rejected'],
  receipt: ['issued', 'failed'],
};

/**
 * Counts status moves for /metrics as they are written. They are counted inside the transaction:
 * one that rolls back afterwards (rare: a lost race, a dropped connection) has still been
 * counted, so the counter is a close measure of activity, not a ledger.
 */
function countStatusChanges(deps: AppDeps, events: readonly OrderEvent[]): void {
  for (const e of events) {
    const dot = e.kind.indexOf('.');
    const track = e.kind.slice(0, dot);
    const what = e.kind.slice(dot + 1);
    if (what === 'status_changed' && typeof e.data?.to === 'string') deps.metrics.statusChanged(track, e.data.to);
    else if (STATUS_EVENTS[track]?.includes(what)) deps.metrics.statusChanged(track, what);
  }
}

function subscribed(e: WebhookEndpointRecord, type: WebhookEventType): boolean {
  return e.events.includes('*') || e.events.includes(type);
}

/** Reads an attempt inside the transaction (recordEvents reads each one once). */
type AttemptReader = (id: string) => ReturnType<StorageTx['getAttempt']>;

async function newReceipt(
  deps: AppDeps,
  tx: StorageTx,
  attemptOf: AttemptReader,
  order: Order,
  event: OrderEvent,
  kind: 'sale' | 'refund',
  at: string,
): Promise<FiscalReceipt | undefined> {
  const base = {
    id: deps.random.id('rcpt'),
    orderId: order.id,
    kind,
    currency: order.currency,
    status: 'pending' as const,
    providerRef: null,
    fiscalNumber: null,
    error: null,
    createdAt: at,
    updatedAt: at,
  };
  if (kind === 'sale') {
    const attempt = event.attemptId ? await attemptOf(event.attemptId) : undefined;
    if (!attempt) return undefined;
    return { ...base, attemptId: attempt.id, refundId: null, amount: attempt.amount, items: saleItems(order, attempt) };
  }
  const refund = typeof event.data?.refund_id === 'string' ? await tx.getRefund(event.data.refund_id) : undefined;
  if (!refund) return undefined;
  return {
    ...base,
    attemptId: refund.attemptId,
    refundId: refund.id,
    amount: refund.amount,
    items: refundItems(order, refund),
  };
}

/** The webhook body: the event, the order as it is now, and the record the event is about. */
async function webhookPayload(
  tx: StorageTx,
  attemptOf: AttemptReader,
  order: Order,
  event: OrderEvent,
  type: WebhookEventType,
): Promise<WebhookPayload> {
  const ref = (k: string) => (typeof event.data?.[k] === 'string' ? (event.data[k] as string) : undefined);
  const [refundId, chargebackId, receiptId] = [ref('refund_id'), ref('chargeback_id'), ref('receipt_id')];
  return payloadOf(type, order, event, {
    payment: event.attemptId ? await attemptOf(event.attemptId) : undefined,
    refund: refundId ? await tx.getRefund(refundId) : undefined,
    chargeback: chargebackId ? await tx.getChargeback(chargebackId) : undefined,
    receipt: receiptId ? await tx.getReceipt(receiptId) : undefined,
  });
}

function withStoreStatus(payload: WebhookPayload, ep: WebhookEndpointRecord, order: Order): WebhookPayload {
  return storeStatusPayload(payload, storeStatusOf(ep.statusMap, order));
}

function mailFor(kind: MailKind, s: NotificationSettings, order: Order, event: OrderEvent) {
  if (!s.send[kind]) return undefined;
  const to = isCustomerMail(kind) ? order.customer.email : s.order_department_email;
  if (!to) return undefined;
  const amount = typeof event.data?.amount === 'number' ? event.data.amount : order.amount;
  const rendered = renderMail(kind, {
    order,
    amount,
    orderLink: order.returnUrl ?? undefined,
    note: kind.startsWith('department_') ? event.summary : undefined,
  });
  return { kind, from: s.from, to, ...rendered };
}
