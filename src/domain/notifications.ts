import { formatDecimal } from './money.js';
import type { Order } from './order.js';

/** The e-mails Settle sends, with X-Cart's switches: the order department's four and the customer's two. */
export const MAIL_KINDS = [
  'department_new_order',
  'department_processed',
  'department_queued',
  'department_failed',
  'customer_paid',
  'customer_refunded',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export interface NotificationSettings {
  /** The sender, "Shop <shop@example.com>". */
  from: string;
  /** The order department's address; null sends it nothing. */
  order_department_email: string | null;
  /** Which mails go out. */
  send: Record<MailKind, boolean>;
}

export const DEFAULT_NOTIFICATIONS: NotificationSettings = {
  from: 'Settle <settle@localhost>',
  order_department_email: null,
  send: {
    department_new_order: true,
    department_processed: true,
    department_queued: true,
    department_failed: true,
    customer_paid: true,
    customer_refunded: true,
  },
};

export function isCustomerMail(kind: MailKind): boolean {
  return kind.startsWith('customer_');
}

export interface MailContext {
  order: Pick<Order, 'reference' | 'amount' | 'currency' | 'customer'>;
  /** The amount this mail is about (a payment or a refund), in the order's currency. */
  amount: number;
  /** Where a customer sees the order; only in customer mails. */
  orderLink?: string;
  /** For the department: why the order waits (review reasons, a mismatch). */
  note?: string;
}

/** Pure: the subject and plain text of one mail. No contact data beyond what the recipient already has. */
export function renderMail(kind: MailKind, ctx: MailContext): { subject: string; text: string } {
  const ref = ctx.order.reference;
  const money = `${formatDecimal(ctx.amount, ctx.order.currency)} ${ctx.order.currency}`;
  const total = `${formatDecimal(ctx.order.amount, ctx.order.currency)} ${ctx.order.currency}`;
  const note = ctx.note ? `\n\n${ctx.note}` : '';
  const link = ctx.orderLink ? `\n\nYour order: ${ctx.orderLink}` : '';
  const greeting = ctx.order.customer.name ? `Hello ${ctx.order.customer.name},` : 'Hello,';
  switch (kind) {
    case 'department_new_order':
      return {
        subject: `New order ${ref} awaiting payment`,
        text: `Order ${ref} for ${total} was placed and awaits payment.${note}`,
      };
    case 'department_processed':
      return {
        subject: `Order ${ref} is paid and processed`,
        text: `Order ${ref} is paid (${money}) and approved: it may be fulfilled.${note}`,
      };
    case 'department_queued':
      return {
        subject: `Order ${ref} is on hold`,
        text: `Order ${ref} is paid (${money}) but on hold: a person must look at it before it is fulfilled.${note}`,
      };
    case 'department_failed':
      return {
        subject: `Payment for order ${ref} failed`,
        text: `The payment for order ${ref} (${total}) failed. The customer may try again.${note}`,
      };
    case 'customer_paid':
      return {
        subject: `Payment received for order ${ref}`,
        text: `${greeting}\n\nwe received your payment of ${money} for order ${ref}. Thank you.${link}`,
      };
    case 'customer_refunded':
      return {
        subject: `Refund for order ${ref}`,
        text: `${greeting}\n\n${money} of your payment for order ${ref} is being returned to you.${link}`,
      };
  }
}
