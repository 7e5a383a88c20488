import type { Adjustment } from '../../src/domain/adjustment.js';
import type { Chargeback } from '../../src/domain/chargeback.js';
import type { Shipment } from '../../src/domain/delivery.js';
import type { Order, PaymentAttempt } from '../../src/domain/order.js';
import type { OutboxMessage, SyncState } from '../../src/domain/outbox.js';
import type { PaymentLink } from '../../src/domain/payment-link.js';
import type { FiscalReceipt } from '../../src/domain/receipt.js';
import type { ReconciliationRun } from '../../src/domain/reconciliation-run.js';
import type { Refund } from '../../src/domain/refund.js';
import type { OrderEvent } from '../../src/domain/timeline.js';
import type { OrderDetail } from '../../src/contract/order-detail.js';
import type { ApiKeyRecord } from '../../src/domain/access.js';
import type { CallbackRecord } from '../../src/domain/callback-record.js';
import type { PaymentMethodRecord } from '../../src/domain/payment-method.js';
import type { TaskRecord } from '../../src/domain/task.js';
import type { WebhookEndpointRecord } from '../../src/domain/webhook-endpoint.js';

// One record of every kind the API shows, every optional field set, for the contract test.

export const at = '2026-01-02T03:04:05.000Z';
export const sampleOrder: Order = {
  id: 'ord_1',
  reference: 'A-1',
  currency: 'AMD',
  originalAmount: 1500,
  amount: 1500,
  shippingAmount: 500,
  lines: [{ sku: 'S1', name: 'Tea', quantity: 1, unit_amount: 1000 }],
  customer: { email: 'a@example.com', phone: '+374 10 000000', name: 'A', ip: '127.0.0.1' },
  returnUrl: 'https://shop.example/return',
  locale: null,
  metadata: { cart: '7' },
  status: 'processing',
  paymentStatus: 'paid',
  reviewStatus: 'none',
  fiscalStatus: 'not_required',
  deliveryStatus: 'not_started',
  contentHash: 'h',
  createdAt: at,
  updatedAt: at,
};
export const attempt: PaymentAttempt = {
  id: 'pay_1',
  orderId: 'ord_1',
  paymentMethodId: 'pm_1',
  connector: 'acquiring-v1',
  amount: 1500,
  currency: 'AMD',
  providerRef: 'A-1',
  providerPaymentId: null,
  nextStep: { type: 'redirect', url: 'https://acquirer.example/p/1' },
  status: 'succeeded',
  verifiedBy: 'signature',
  providerStatus: 'executed',
  errorCode: null,
  paymentLinkId: null,
  createdAt: at,
  updatedAt: at,
};
export const sampleRefund: Refund = {
  id: 'ref_1',
  orderId: 'ord_1',
  attemptId: 'pay_1',
  amount: 500,
  currency: 'AMD',
  reason: 'broken',
  lines: [{ sku: 'S1', quantity: 1 }],
  actor: 'store',
  status: 'succeeded',
  surplusAmount: 0,
  providerRef: null,
  error: null,
  createdAt: at,
  updatedAt: at,
};
export const sampleChargeback: Chargeback = {
  id: 'cb_1',
  orderId: 'ord_1',
  attemptId: 'pay_1',
  amount: 1500,
  currency: 'AMD',
  reasonCode: '4837',
  status: 'opened',
  source: 'api',
  providerRef: null,
  note: null,
  actor: 'api_key:ops',
  createdAt: at,
  updatedAt: at,
};
export const sampleReceipt: FiscalReceipt = {
  id: 'rcpt_1',
  orderId: 'ord_1',
  kind: 'sale',
  attemptId: 'pay_1',
  refundId: null,
  amount: 1500,
  currency: 'AMD',
  items: [{ name: 'Tea', quantity: 1, amount: 1500 }],
  status: 'issued',
  providerRef: 'f-1',
  fiscalNumber: '42',
  error: null,
  createdAt: at,
  updatedAt: at,
};
export const sampleShipment: Shipment = {
  id: 'shp_1',
  orderId: 'ord_1',
  lines: [{ sku: 'S1', quantity: 1 }],
  courier: 'DHL',
  courierRef: 'X1',
  status: 'delivered',
  proof: { at, kind: 'signature', reference: 'sig-1' },
  createdAt: at,
  updatedAt: at,
};
export const sampleAdjustment: Adjustment = {
  id: 'adj_1',
  orderId: 'ord_1',
  kind: 'fee_change',
  lines: [],
  amountDelta: 200,
  amountBefore: 1500,
  amountAfter: 1700,
  reason: 'courier',
  actor: 'store',
  refundId: null,
  createdAt: at,
};
export const sampleLink: PaymentLink = {
  id: 'pl_1',
  orderId: 'ord_1',
  amount: 200,
  currency: 'AMD',
  paymentMethodId: 'pm_1',
  status: 'active',
  expiresAt: '2026-02-01T00:00:00.000Z',
  actor: 'store',
  reason: 'fee',
  attemptId: null,
  revokedAt: null,
  createdAt: at,
  updatedAt: at,
};
export const syncState: SyncState = {
  endpointId: 'we_1',
  status: 'synced',
  lastEventType: 'payment.succeeded',
  lastError: null,
  updatedAt: at,
};
export const event: OrderEvent = {
  orderId: 'ord_1',
  seq: 3,
  at,
  kind: 'order.status_changed',
  actor: 'provider',
  summary: 'Paid',
  attemptId: 'pay_1',
  taskKind: null,
  taskId: null,
  data: { from: 'pending_payment', to: 'processing', amount: 1500, reason: 'paid', refund_id: 'ref_1' },
};
export const taskRecord: TaskRecord = {
  id: 'task_1',
  kind: 'amount_mismatch',
  reason: 'paid 1400',
  orderId: 'ord_1',
  attemptId: 'pay_1',
  reportLine: 'run_1:4',
  owner: 'accounting',
  status: 'resolved',
  resolution: 'refunded',
  createdAt: at,
  resolvedAt: at,
};
export const callbackRecord: CallbackRecord = {
  id: 'cbk_1',
  paymentMethodId: 'pm_1',
  receivedAt: at,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  query: '',
  body: '{"order_id":"A-1"}',
  verified: true,
  outcome: 'applied',
  reason: null,
  providerRef: 'A-1',
  providerStatus: 'executed',
  attemptId: 'pay_1',
  orderId: 'ord_1',
};
export const message: OutboxMessage = {
  id: 'msg_1',
  topic: 'webhook',
  eventType: 'payment.succeeded',
  orderId: 'ord_1',
  orderSeq: 3,
  target: 'we_1',
  payload: {},
  status: 'delivered',
  attempts: 1,
  nextAttemptAt: at,
  lastError: null,
  createdAt: at,
  queuedAt: at,
  deliveredAt: at,
  requestId: 'req_1',
};
export const endpointRecord: WebhookEndpointRecord = {
  id: 'we_1',
  url: 'https://shop.example/hook',
  events: ['*'],
  secretCiphertext: 'x',
  statusMapPreset: 'opencart',
  statusMap: { processing: '2' },
  enabled: true,
  createdAt: at,
  updatedAt: at,
};
export const methodRecord: PaymentMethodRecord = {
  id: 'pm_1',
  name: 'Card',
  connector: 'acquiring-v1',
  settings: { shop_id: 'shop' },
  secretsCiphertext: 'x',
  currencies: ['AMD'],
  minAmount: null,
  maxAmount: 100000,
  enabled: true,
  autoApprove: false,
  autoRefundSurplus: false,
  reportMapping: null,
  createdAt: at,
};
export const keyRecord: ApiKeyRecord = {
  id: 'key_1',
  name: 'shop',
  keyHash: 'h',
  prefix: 'stl_abcdef',
  scopes: ['store'],
  createdAt: at,
  revokedAt: null,
};
export const runRecord: ReconciliationRun = {
  id: 'run_1',
  paymentMethodId: 'pm_1',
  reportDate: '2026-01-01',
  fileName: 'report.csv',
  fileHash: 'abc',
  via: 'api',
  actor: 'api_key:acc',
  status: 'completed',
  error: null,
  summary: {
    lines: 2,
    matched: 1,
    unreadable: 0,
    exceptions: { amount_mismatch: 1 },
    totals: { AMD: { sales: 1500, refunds: 0, chargebacks: 0, fees: 30, net: 1470 } },
  },
  createdAt: at,
  updatedAt: at,
  completedAt: at,
};
export const details: OrderDetail = {
  adjustments: [sampleAdjustment],
  shipments: [sampleShipment],
  refunds: [sampleRefund],
  chargebacks: [sampleChargeback],
  receipts: [sampleReceipt],
  sync: [syncState],
  paymentLinks: [sampleLink],
  now: at,
};
