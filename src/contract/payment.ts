import { ATTEMPT_STATUSES } from '../domain/attempt-status.js';
import type { PaymentAttempt } from '../domain/order.js';
import { dateTime, int, nullable, str, type Wire } from './fields.js';

/** A payment attempt (the "bill"): where the customer goes next and what the provider said. */
export const paymentSchema = {
  type: 'object',
  properties: {
    id: str,
    order_id: str,
    payment_method_id: str,
    connector: str,
    amount: int,
    currency: str,
    provider_ref: str,
    status: { type: 'string', enum: [...ATTEMPT_STATUSES] },
    provider_payment_id: nullable(str),
    next_step: {
      description:
        'Where to send the customer: follow `url` (redirect), or post `fields` to `url` as an HTML form (form_post).',
      anyOf: [
        {
          type: 'object',
          required: ['type', 'url'],
          properties: { type: { type: 'string', enum: ['redirect'] }, url: str },
        },
        {
          type: 'object',
          required: ['type', 'url', 'fields'],
          properties: {
            type: { type: 'string', enum: ['form_post'] },
            url: str,
            fields: { type: 'object', additionalProperties: str },
          },
        },
        { type: 'null' },
      ],
    },
    verified_by: nullable({ type: 'string', enum: ['signature', 'status_check'] }),
    provider_status: nullable(str),
    error_code: nullable(str),
    created_at: dateTime,
    updated_at: dateTime,
  },
} as const;

export type PaymentView = Wire<typeof paymentSchema>;

export function attemptView(a: PaymentAttempt): PaymentView {
  return {
    id: a.id,
    order_id: a.orderId,
    payment_method_id: a.paymentMethodId,
    connector: a.connector,
    amount: a.amount,
    currency: a.currency,
    provider_ref: a.providerRef,
    provider_payment_id: a.providerPaymentId,
    status: a.status,
    next_step: a.nextStep,
    verified_by: a.verifiedBy,
    provider_status: a.providerStatus,
    error_code: a.errorCode,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}
