import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import {
  at,
  sampleOrder,
  attempt,
  sampleRefund,
  sampleChargeback,
  sampleReceipt,
  sampleShipment,
  sampleAdjustment,
  sampleLink,
  syncState,
  event,
  taskRecord,
  callbackRecord,
  message,
  endpointRecord,
  methodRecord,
  keyRecord,
  runRecord,
  details,
} from '../../test/support/contract-samples.js';
import * as adjustment from './adjustment.js';
import * as apiKey from './api-key.js';
import * as callback from './callback-record.js';
import * as chargeback from './chargeback.js';
import { errorSchema, type ErrorView } from './error.js';
import { asWire } from './fields.js';
import type { Wire } from './fields.js';
import * as order from './order.js';
import * as detail from './order-detail.js';
import * as outbox from './outbox-message.js';
import * as payment from './payment.js';
import * as link from './payment-link.js';
import * as method from './payment-method.js';
import * as publicOrder from './public-order.js';
import * as receipt from './receipt.js';
import * as run from './reconciliation-run.js';
import * as refund from './refund.js';
import * as shipment from './shipment.js';
import * as sync from './sync-state.js';
import * as task from './task.js';
import * as timeline from './timeline-event.js';
import * as webhook from './webhook.js';
import * as endpoint from './webhook-endpoint.js';

// Each view returns exactly the type its schema describes (Wire), so a field added to a schema and
// not to its view, or the other way round, fails to compile. These assertions pin that: every view
// is declared with its schema's type, and each such type is the schema's. The samples then check
// at run time that what the views return validates against the schemas, read strictly (every
// listed property present, no other), with Ajv.

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(proof: Equal<A, B>) => proof;

same<ReturnType<typeof payment.attemptView>, Wire<typeof payment.paymentSchema>>(true);
same<ReturnType<typeof order.orderView>, Wire<typeof order.orderSchema>>(true);
same<ReturnType<typeof order.createdOrderView>, Wire<typeof order.createdOrderSchema>>(true);
same<ReturnType<typeof order.orderListView>, Wire<typeof order.orderListSchema>>(true);
same<ReturnType<typeof detail.orderDetailView>, Wire<typeof detail.orderDetailSchema>>(true);
same<ReturnType<typeof publicOrder.publicOrderView>, Wire<typeof publicOrder.publicOrderSchema>>(true);
same<ReturnType<typeof timeline.eventView>, Wire<typeof timeline.timelineEventSchema>>(true);
same<ReturnType<typeof task.taskView>, Wire<typeof task.taskSchema>>(true);
same<ReturnType<typeof callback.callbackView>, Wire<typeof callback.callbackSchema>>(true);
same<ReturnType<typeof callback.callbackListView>, Wire<typeof callback.callbackListSchema>>(true);
same<ReturnType<typeof refund.refundView>, Wire<typeof refund.refundSchema>>(true);
same<ReturnType<typeof chargeback.chargebackView>, Wire<typeof chargeback.chargebackSchema>>(true);
same<ReturnType<typeof receipt.receiptView>, Wire<typeof receipt.receiptSchema>>(true);
same<ReturnType<typeof sync.syncView>, Wire<typeof sync.syncSchema>>(true);
same<ReturnType<typeof outbox.outboxView>, Wire<typeof outbox.outboxSchema>>(true);
same<ReturnType<typeof endpoint.webhookEndpointView>, Wire<typeof endpoint.webhookEndpointSchema>>(true);
same<ReturnType<typeof endpoint.createdWebhookEndpointView>, Wire<typeof endpoint.createdWebhookEndpointSchema>>(true);
same<ReturnType<typeof shipment.shipmentView>, Wire<typeof shipment.shipmentSchema>>(true);
same<ReturnType<typeof adjustment.adjustmentView>, Wire<typeof adjustment.adjustmentSchema>>(true);
same<ReturnType<typeof adjustment.adjustmentResultView>, Wire<typeof adjustment.adjustmentResultSchema>>(true);
same<ReturnType<typeof link.paymentLinkView>, Wire<typeof link.paymentLinkSchema>>(true);
same<ReturnType<typeof link.issuedLinkView>, Wire<typeof link.issuedLinkSchema>>(true);
same<ReturnType<typeof run.runView>, Wire<typeof run.runSchema>>(true);
same<ReturnType<typeof method.paymentMethodView>, Wire<typeof method.paymentMethodSchema>>(true);
same<ReturnType<typeof apiKey.apiKeyView>, Wire<typeof apiKey.apiKeySchema>>(true);
same<ReturnType<typeof apiKey.createdApiKeyView>, Wire<typeof apiKey.createdApiKeySchema>>(true);
same<ReturnType<typeof webhook.webhookPayload>, Wire<typeof webhook.webhookPayloadSchema>>(true);
same<ErrorView, Wire<typeof errorSchema>>(true);
// The check can fail: a view type with one field more or less is not its schema's.
same<Omit<ReturnType<typeof refund.refundView>, 'amount'>, Wire<typeof refund.refundSchema>>(false);
same<ReturnType<typeof refund.refundView> & { extra: 1 }, Wire<typeof refund.refundSchema>>(false);

/** The schema as `Wire` reads it: every listed property required, no other allowed. */
const strict = (s: unknown) => asWire(s, true);

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
const cases: [string, unknown, unknown][] = [
  ['payment', payment.paymentSchema, payment.attemptView(attempt)],
  ['order', order.orderSchema, order.orderView(sampleOrder, [attempt])],
  ['created order', order.createdOrderSchema, order.createdOrderView(sampleOrder, [], 'key')],
  ['order list', order.orderListSchema, order.orderListView([sampleOrder], new Map([['ord_1', [attempt]]]), null)],
  ['order detail', detail.orderDetailSchema, detail.orderDetailView(sampleOrder, [attempt], details)],
  ['public order', publicOrder.publicOrderSchema, publicOrder.publicOrderView(sampleOrder, [attempt])],
  ['timeline event', timeline.timelineEventSchema, timeline.eventView(event, 'AMD')],
  ['task', task.taskSchema, task.taskView(taskRecord)],
  ['callback record', callback.callbackSchema, callback.callbackView(callbackRecord)],
  ['callback list', callback.callbackListSchema, callback.callbackListView([callbackRecord], 'WyJ4IiwieSJd')],
  ['refund', refund.refundSchema, refund.refundView(sampleRefund)],
  ['chargeback', chargeback.chargebackSchema, chargeback.chargebackView(sampleChargeback)],
  ['receipt', receipt.receiptSchema, receipt.receiptView(sampleReceipt)],
  ['sync state', sync.syncSchema, sync.syncView(syncState)],
  ['outbox message', outbox.outboxSchema, outbox.outboxView(message)],
  ['webhook endpoint', endpoint.webhookEndpointSchema, endpoint.webhookEndpointView(endpointRecord)],
  ['created endpoint', endpoint.createdWebhookEndpointSchema, endpoint.createdWebhookEndpointView(endpointRecord, 's')],
  ['shipment', shipment.shipmentSchema, shipment.shipmentView(sampleShipment)],
  ['adjustment', adjustment.adjustmentSchema, adjustment.adjustmentView(sampleAdjustment)],
  [
    'adjustment result',
    adjustment.adjustmentResultSchema,
    adjustment.adjustmentResultView(
      { adjustment: sampleAdjustment, refund: sampleRefund, paymentLink: { link: sampleLink, url: 'https://x/pay/t' } },
      at,
    ),
  ],
  ['payment link', link.paymentLinkSchema, link.paymentLinkView(sampleLink, at)],
  ['issued link', link.issuedLinkSchema, link.issuedLinkView({ link: sampleLink, url: 'https://x/pay/t' }, at)],
  ['reconciliation run', run.runSchema, run.runView(runRecord)],
  ['payment method', method.paymentMethodSchema, method.paymentMethodView(methodRecord, ['private_key'])],
  ['api key', apiKey.apiKeySchema, apiKey.apiKeyView(keyRecord)],
  ['created api key', apiKey.createdApiKeySchema, apiKey.createdApiKeyView(keyRecord, 'stl_x')],
  [
    'webhook payload',
    webhook.webhookPayloadSchema,
    webhook.withStoreStatus(
      webhook.webhookPayload('order.status_changed', sampleOrder, event, {
        payment: attempt,
        refund: sampleRefund,
        chargeback: sampleChargeback,
        receipt: sampleReceipt,
      }),
      '2',
    ),
  ],
];

for (const [name, schema, view] of cases) {
  test(`the ${name} view validates against its schema, every field present and no other`, () => {
    const validate = ajv.compile(strict(schema) as object);
    assert.ok(validate(view), `${name}: ${ajv.errorsText(validate.errors)}`);
  });
}

test('the strict reading catches a field missing or added', () => {
  const validate = ajv.compile(strict(refund.refundSchema) as object);
  const { amount: _amount, ...missing } = refund.refundView(sampleRefund);
  assert.equal(validate(missing), false);
  assert.equal(validate({ ...refund.refundView(sampleRefund), extra: 1 }), false);
});

test('an error body validates against the error schema', () => {
  const body: ErrorView = { statusCode: 404, code: 'order_not_found', error: 'Not Found', message: 'No order.' };
  assert.ok(ajv.validate(errorSchema, body));
});

test('a webhook payload keeps its keys in their order, store status last in the order', () => {
  const p = webhook.withStoreStatus(
    webhook.webhookPayload('payment.succeeded', sampleOrder, event, { payment: attempt }),
    null,
  );
  assert.deepEqual(Object.keys(p.data), ['order', 'summary', 'actor', 'payment']);
  assert.deepEqual(Object.keys(p.data.order).slice(-2), ['version', 'store_status']);
});
