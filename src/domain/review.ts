import type { Order } from './order.js';
import { formatDecimal } from './money.js';

/** The antifraud rules a verified payment passes before the order may be fulfilled. */
export interface ReviewRules {
  /** Flag a payment above this amount, per currency, in minor units ({"USD": 50000}). */
  amount_above: Record<string, number>;
  /** Flag when the customer's e-mail placed more than `count` orders within `window_hours`. */
  max_orders_per_email: WindowRule | null;
  /** Flag when the customer's IP placed more than `count` orders within `window_hours`. */
  max_orders_per_ip: WindowRule | null;
  /** Flag these addresses (without regard to case). */
  blocked_emails: string[];
  /** Flag addresses at these domains (and their subdomains). */
  blocked_domains: string[];
}

export interface WindowRule {
  count: number;
  window_hours: number;
}

export const DEFAULT_REVIEW_RULES: ReviewRules = {
  amount_above: {},
  max_orders_per_email: null,
  max_orders_per_ip: null,
  blocked_emails: [],
  blocked_domains: [],
};

// The track's statuses live with the order's other tracks (order.ts needs them, not this file).
export { REVIEW_STATUSES, type ReviewStatus } from './order-status.js';

export interface ReviewInput {
  order: Pick<Order, 'amount' | 'currency' | 'customer'>;
  paidAmount: number;
  /** The payment method's auto_approve: a trusted method skips the rules. */
  autoApprove: boolean;
  rules: ReviewRules;
  /** Orders from the same e-mail / IP within each rule's window, this one included. */
  ordersFromEmail: number;
  ordersFromIp: number;
}

export interface ReviewVerdict {
  verdict: 'approved' | 'flagged';
  /** Why, one sentence per rule that fired (or why it was approved). */
  reasons: string[];
}

/** Pure: which rules a paid order trips. Any rule that fires flags it for a person. */
export function decideReview(input: ReviewInput): ReviewVerdict {
  if (input.autoApprove)
    return { verdict: 'approved', reasons: ['The payment method approves its payments automatically.'] };
  const { rules, order } = input;
  const reasons: string[] = [];
  const limit = rules.amount_above[order.currency];
  if (limit !== undefined && input.paidAmount > limit) {
    reasons.push(
      `The payment of ${formatDecimal(input.paidAmount, order.currency)} ${order.currency} is above the review threshold of ${formatDecimal(limit, order.currency)}.`,
    );
  }
  const email = normalizeEmail(order.customer.email);
  if (email) {
    if (rules.blocked_emails.some((b) => normalizeEmail(b) === email))
      reasons.push(`The e-mail ${email} is on the blocked list.`);
    const domain = email.slice(email.lastIndexOf('@') + 1);
    const hit = rules.blocked_domains
      .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
      .find((d) => d && (domain === d || domain.endsWith(`.${d}`)));
    if (hit) reasons.push(`The e-mail domain ${domain} is blocked (${hit}).`);
    const byEmail = rules.max_orders_per_email;
    if (byEmail && input.ordersFromEmail > byEmail.count) {
      reasons.push(
        `${input.ordersFromEmail} orders from ${email} within ${byEmail.window_hours} h (more than ${byEmail.count}).`,
      );
    }
  }
  const byIp = rules.max_orders_per_ip;
  if (order.customer.ip && byIp && input.ordersFromIp > byIp.count) {
    reasons.push(
      `${input.ordersFromIp} orders from IP ${order.customer.ip} within ${byIp.window_hours} h (more than ${byIp.count}).`,
    );
  }
  return reasons.length > 0
    ? { verdict: 'flagged', reasons }
    : { verdict: 'approved', reasons: ['No review rule fired.'] };
}

export function normalizeEmail(email: string | undefined): string | null {
  const e = email?.trim().toLowerCase();
  return e && e.includes('@') ? e : null;
}
