import { ABILITY_NAMES, type AbilityName } from '../domain/abilities.js';
import type { PaymentMethodRecord } from '../domain/payment-method.js';
import { bool, dateTime, int, nullable, str, type Wire } from './fields.js';

/**
 * A configured connector. Secret settings are masked, never returned. A store key sees only the
 * checkout fields (CheckoutMethodView): the rest is marked "admin keys only".
 */
export const paymentMethodSchema = {
  type: 'object',
  required: ['id', 'name', 'connector', 'currencies', 'min_amount', 'max_amount', 'enabled'],
  properties: {
    id: str,
    name: str,
    connector: str,
    settings: {
      type: 'object',
      additionalProperties: true,
      description: 'Admin keys only. Secret fields are always masked',
    },
    currencies: nullable({ type: 'array', items: str }),
    min_amount: nullable(int),
    max_amount: nullable(int),
    enabled: bool,
    auto_approve: { ...bool, description: 'Admin keys only' },
    auto_refund_surplus: {
      ...bool,
      description:
        'Admin keys only. A double payment (a second payment of an order already paid) is refunded in full automatically where the connector can refund',
    },
    report_mapping: nullable({ type: 'object', additionalProperties: true, description: 'Admin keys only' }),
    abilities: {
      type: 'array',
      items: { type: 'string', enum: [...ABILITY_NAMES] },
      description:
        "Admin keys only. What the provider's API lets Settle do for this method's payments; a refund without `refund` is paid out by hand.",
    },
    created_at: { ...dateTime, description: 'Admin keys only' },
  },
} as const;

export type PaymentMethodView = Wire<typeof paymentMethodSchema>;

/** What a store key sees of a payment method: what it needs to offer it at checkout. */
export type CheckoutMethodView = Pick<
  PaymentMethodView,
  'id' | 'name' | 'connector' | 'currencies' | 'min_amount' | 'max_amount' | 'enabled'
>;

/** What a secret setting shows as. */
export const MASK = '********';

/** `secretFields`: the connector's secret setting names, each shown as MASK. */
export function paymentMethodView(
  pm: PaymentMethodRecord,
  secretFields: readonly string[],
  abilities: readonly AbilityName[] = [],
): PaymentMethodView {
  const settings: Record<string, unknown> = { ...pm.settings };
  for (const f of secretFields) settings[f] = MASK;
  return {
    id: pm.id,
    name: pm.name,
    connector: pm.connector,
    settings,
    currencies: pm.currencies,
    min_amount: pm.minAmount,
    max_amount: pm.maxAmount,
    enabled: pm.enabled,
    auto_approve: pm.autoApprove,
    auto_refund_surplus: pm.autoRefundSurplus,
    report_mapping: pm.reportMapping && { ...pm.reportMapping },
    abilities: [...abilities],
    created_at: pm.createdAt,
  };
}
