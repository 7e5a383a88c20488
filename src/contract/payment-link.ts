import { linkState, type PaymentLink } from '../domain/payment-link.js';
import { dateTime, int, nullable, str, type Wire } from './fields.js';

/** A pay-by-link without its token: the URL was shown once, when it was made. */
export const paymentLinkSchema = {
  type: 'object',
  properties: {
    id: str,
    order_id: str,
    amount: int,
    currency: str,
    payment_method_id: str,
    status: { type: 'string', enum: ['active', 'expired', 'revoked', 'paid'] },
    expires_at: dateTime,
    actor: str,
    reason: str,
    payment_id: nullable(str),
    revoked_at: nullable(dateTime),
    created_at: dateTime,
  },
} as const;

export type PaymentLinkView = Wire<typeof paymentLinkSchema>;

/** `now` tells an expired link from an active one. */
export function paymentLinkView(l: PaymentLink, now: string): PaymentLinkView {
  return {
    id: l.id,
    order_id: l.orderId,
    amount: l.amount,
    currency: l.currency,
    payment_method_id: l.paymentMethodId,
    status: linkState(l, now),
    expires_at: l.expiresAt,
    actor: l.actor,
    reason: l.reason,
    payment_id: l.attemptId,
    revoked_at: l.revokedAt,
    created_at: l.createdAt,
  };
}

/** A link as made: the only answer that carries its URL (the token is stored hashed). */
export const issuedLinkSchema = {
  type: 'object',
  properties: {
    ...paymentLinkSchema.properties,
    url: { type: 'string', description: "The customer's page; shown once" },
  },
} as const;

export type IssuedLinkView = Wire<typeof issuedLinkSchema>;

export function issuedLinkView(issued: { link: PaymentLink; url: string }, now: string): IssuedLinkView {
  return { ...paymentLinkView(issued.link, now), url: issued.url };
}
