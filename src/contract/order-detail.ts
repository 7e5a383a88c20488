import type { Adjustment } from '../domain/adjustment.js';
import type { Chargeback } from '../domain/chargeback.js';
import type { Shipment } from '../domain/delivery.js';
import type { Order, PaymentAttempt } from '../domain/order.js';
import type { SyncState } from '../domain/outbox.js';
import { outstandingOf, type PaymentLink } from '../domain/payment-link.js';
import type { FiscalReceipt } from '../domain/receipt.js';
import type { Refund } from '../domain/refund.js';
import { adjustmentSchema, adjustmentView } from './adjustment.js';
import { chargebackSchema, chargebackView } from './chargeback.js';
import type { Wire } from './fields.js';
import { orderSchema, orderView } from './order.js';
import { paymentLinkSchema, paymentLinkView } from './payment-link.js';
import { receiptSchema, receiptView } from './receipt.js';
import { refundSchema, refundView } from './refund.js';
import { shipmentSchema, shipmentView } from './shipment.js';
import { syncSchema, syncView } from './sync-state.js';

export interface OrderDetail {
  adjustments: readonly Adjustment[];
  shipments: readonly Shipment[];
  refunds: readonly Refund[];
  chargebacks: readonly Chargeback[];
  receipts: readonly FiscalReceipt[];
  sync: readonly SyncState[];
  paymentLinks: readonly PaymentLink[];
  /** To tell an expired link from an active one. */
  now: string;
}

/** One order with every track: refunds, chargebacks, fiscal receipts and each endpoint's sync state. */
export const orderDetailSchema = {
  type: 'object',
  properties: {
    ...orderSchema.properties,
    refunded_amount: { type: 'integer', description: 'What went back to the customer (succeeded refunds)' },
    outstanding_amount: {
      type: 'integer',
      description: 'What the customer still owes: amount less payments net of refunds not failed',
    },
    payment_links: { type: 'array', items: paymentLinkSchema },
    adjustments: { type: 'array', items: adjustmentSchema },
    shipments: { type: 'array', items: shipmentSchema },
    refunds: { type: 'array', items: refundSchema },
    chargebacks: { type: 'array', items: chargebackSchema },
    receipts: { type: 'array', items: receiptSchema },
    sync: { type: 'array', items: syncSchema, description: "Each webhook endpoint's delivery state for this order" },
  },
} as const;

export type OrderDetailView = Wire<typeof orderDetailSchema>;

export function orderDetailView(o: Order, attempts: readonly PaymentAttempt[], d: OrderDetail): OrderDetailView {
  return {
    ...orderView(o, attempts),
    // The three amounts support compares: as placed, as confirmed now, and what went back.
    refunded_amount: d.refunds.filter((r) => r.status === 'succeeded').reduce((s, r) => s + r.amount, 0),
    outstanding_amount: Math.max(0, outstandingOf(o.amount, attempts, d.refunds, d.adjustments)),
    payment_links: d.paymentLinks.map((l) => paymentLinkView(l, d.now)),
    adjustments: d.adjustments.map(adjustmentView),
    shipments: d.shipments.map(shipmentView),
    refunds: d.refunds.map(refundView),
    chargebacks: d.chargebacks.map(chargebackView),
    receipts: d.receipts.map(receiptView),
    sync: d.sync.map(syncView),
  };
}
