import { CHARGEBACK_STATUSES, type Chargeback } from '../domain/chargeback.js';
import { dateTime, int, nullable, str, type Wire } from './fields.js';

/** A dispute the card holder opened: a separate record from refunds. */
export const chargebackSchema = {
  type: 'object',
  properties: {
    id: str,
    order_id: str,
    payment_id: str,
    amount: int,
    currency: str,
    reason_code: str,
    status: { type: 'string', enum: [...CHARGEBACK_STATUSES] },
    source: { type: 'string', enum: ['api', 'provider'] },
    provider_ref: nullable(str),
    note: nullable(str),
    actor: str,
    created_at: dateTime,
    updated_at: dateTime,
  },
} as const;

export type ChargebackView = Wire<typeof chargebackSchema>;

export function chargebackView(c: Chargeback): ChargebackView {
  return {
    id: c.id,
    order_id: c.orderId,
    payment_id: c.attemptId,
    amount: c.amount,
    currency: c.currency,
    reason_code: c.reasonCode,
    status: c.status,
    source: c.source,
    provider_ref: c.providerRef,
    note: c.note,
    actor: c.actor,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}
