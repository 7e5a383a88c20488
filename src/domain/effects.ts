import type { MailKind } from './notifications.js';
import type { NewOrderEvent } from './timeline.js';

/** The webhook events a store or its CRM/ERP may subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'order.created',
  'order.status_changed',
  'payment.succeeded',
  'payment.failed',
  'review.approved',
  'review.rejected',
  'refund.succeeded',
  'refund.failed',
  'chargeback.opened',
  'chargeback.won',
  'chargeback.lost',
  'receipt.issued',
  'receipt.failed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface Effects {
  webhook: WebhookEventType | null;
  mails: MailKind[];
  receipt: 'sale' | 'refund' | null;
}

const DEPARTMENT_MAIL_ON_STATUS: Record<string, MailKind> = {
  processing: 'department_processed',
  on_hold: 'department_queued',
  payment_failed: 'department_failed',
};

/**
 * Pure: what one timeline event sets off outside the database. Deriving the effects from the
 * timeline is what makes them part of the transaction that caused them: no change reaches the
 * timeline without its webhooks, mails and receipts being queued with it.
 */
export function effectsOf(event: Pick<NewOrderEvent, 'kind' | 'data'>): Effects {
  const webhook = (WEBHOOK_EVENT_TYPES as readonly string[]).includes(event.kind)
    ? (event.kind as WebhookEventType)
    : null;
  const mails: MailKind[] = [];
  let receipt: Effects['receipt'] = null;
  switch (event.kind) {
    case 'order.created':
      mails.push('department_new_order');
      break;
    case 'order.status_changed': {
      const to = typeof event.data?.to === 'string' ? DEPARTMENT_MAIL_ON_STATUS[event.data.to] : undefined;
      if (to) mails.push(to);
      break;
    }
    case 'payment.succeeded':
      mails.push('customer_paid');
      receipt = 'sale';
      break;
    case 'refund.succeeded':
      mails.push('customer_refunded');
      receipt = 'refund';
      break;
  }
  return { webhook, mails, receipt };
}
