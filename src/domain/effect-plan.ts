import { effectsOf, type WebhookEventType } from './effects.js';
import { formatDecimal } from './money.js';
import { isCustomerMail, renderMail, type MailKind, type NotificationSettings } from './notifications.js';
import type { Order, PaymentAttempt } from './order.js';
import type { FiscalStatus } from './order-status.js';
import { refundItems, saleItems, type FiscalReceipt } from './receipt.js';
import type { Refund } from './refund.js';
import type { NewOrderEvent } from './timeline.js';

/** A webhook endpoint as the plan needs it: the event types it takes ("*" for all). */
export interface Subscriber {
  events: readonly string[];
}

/** What decides the effects besides the events: who listens, which mails go out, whether receipts are due. */
export interface EffectSettings<E extends Subscriber> {
  /** The enabled webhook endpoints. */
  endpoints: readonly E[];
  /** Null when there is no mailer: then no mail is queued. */
  mail: NotificationSettings | null;
  /** Whether receipts are required (a fiscal service is configured). */
  fiscal: boolean;
}

/** A receipt to queue: the app gives it its id and time. */
export type ReceiptDraft = Omit<FiscalReceipt, 'id' | 'createdAt' | 'updatedAt'>;

/** An e-mail as queued (a type, not an interface: it is an outbox payload). */
export type Mail = {
  kind: MailKind;
  from: string;
  to: string;
  subject: string;
  text: string;
};

/** One thing an event sets off outside the database, queued in the outbox with it. */
export type PlannedEffect<E> =
  /** `followUp` goes on the timeline once the receipt has its id (the app adds `receipt_id` to its data). */
  | { kind: 'receipt'; receipt: ReceiptDraft; followUp: NewOrderEvent }
  | { kind: 'webhook'; type: WebhookEventType; endpoints: E[] }
  | { kind: 'mail'; target: 'mail:customer' | 'mail:department'; mail: Mail };

export interface EffectPlan<E> {
  /** What each event sets off, in the order of the events given (receipt, webhooks, mails). */
  perEvent: PlannedEffect<E>[][];
  /** The order's fiscal status once the planned receipts are queued, when it changes. */
  fiscalStatus?: FiscalStatus;
}

type PlannedEvent = Pick<NewOrderEvent, 'kind' | 'data' | 'summary' | 'attemptId'>;

/** Whether any of these events sets off anything (else nothing need be read to plan them). */
export function setsOffAnything(events: readonly PlannedEvent[]): boolean {
  return events.some((e) => {
    const fx = effectsOf(e);
    return fx.webhook !== null || fx.mails.length > 0 || fx.receipt !== null;
  });
}

/**
 * Pure: the outbox effects of timeline events: webhooks to every subscribed endpoint, e-mails,
 * fiscal receipts (with the fiscal track's follow-up). `order` is the order as the events leave
 * it; `records` hold the attempts and refunds a receipt is for (one it cannot find is skipped).
 */
export function planEffects<E extends Subscriber>(
  events: readonly PlannedEvent[],
  order: Order,
  settings: EffectSettings<E>,
  records: { attempts: readonly PaymentAttempt[]; refunds: readonly Refund[] },
): EffectPlan<E> {
  let receipts = 0;
  const perEvent = events.map((event) => {
    const fx = effectsOf(event);
    const planned: PlannedEffect<E>[] = [];
    const receipt = fx.receipt && settings.fiscal ? receiptDraft(order, event, fx.receipt, records) : undefined;
    if (receipt) {
      receipts += 1;
      const what = `${receipt.kind === 'sale' ? 'Sale' : 'Refund'} receipt for ${formatDecimal(receipt.amount, receipt.currency)} ${receipt.currency}`;
      planned.push({
        kind: 'receipt',
        receipt,
        followUp: { kind: 'receipt.requested', actor: 'system', summary: `${what} sent to the fiscal service.` },
      });
    }
    const type = fx.webhook;
    const targets = type ? settings.endpoints.filter((e) => e.events.includes('*') || e.events.includes(type)) : [];
    if (type && targets.length > 0) planned.push({ kind: 'webhook', type, endpoints: targets });
    for (const kind of settings.mail ? fx.mails : []) {
      const mail = mailFor(kind, settings.mail!, order, event);
      if (mail)
        planned.push({ kind: 'mail', target: `mail:${isCustomerMail(kind) ? 'customer' : 'department'}`, mail });
    }
    return planned;
  });
  const fiscalStatus = receipts > 0 ? withNewReceipts(order.fiscalStatus) : undefined;
  return { perEvent, ...(fiscalStatus !== undefined && fiscalStatus !== order.fiscalStatus && { fiscalStatus }) };
}

/**
 * The fiscal track once pending receipts join the order's: a failure still shows, else pending.
 * The track is always derived from all the order's receipts (deriveFiscalStatus, on every receipt
 * change), so the current status stands for them and they need not be read.
 */
function withNewReceipts(current: FiscalStatus): FiscalStatus {
  return current === 'failed' ? 'failed' : 'pending';
}

function receiptDraft(
  order: Order,
  event: PlannedEvent,
  kind: 'sale' | 'refund',
  records: { attempts: readonly PaymentAttempt[]; refunds: readonly Refund[] },
): ReceiptDraft | undefined {
  const base = {
    orderId: order.id,
    kind,
    currency: order.currency,
    status: 'pending' as const,
    providerRef: null,
    fiscalNumber: null,
    error: null,
  };
  if (kind === 'sale') {
    const attempt = event.attemptId ? records.attempts.find((a) => a.id === event.attemptId) : undefined;
    if (!attempt) return undefined;
    return { ...base, attemptId: attempt.id, refundId: null, amount: attempt.amount, items: saleItems(order, attempt) };
  }
  const refundId = event.data?.refund_id;
  const refund = typeof refundId === 'string' ? records.refunds.find((r) => r.id === refundId) : undefined;
  if (!refund) return undefined;
  return {
    ...base,
    attemptId: refund.attemptId,
    refundId: refund.id,
    amount: refund.amount,
    items: refundItems(order, refund),
  };
}

function mailFor(kind: MailKind, s: NotificationSettings, order: Order, event: PlannedEvent): Mail | undefined {
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
