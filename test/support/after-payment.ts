// The receivers of what happens after a payment, as real servers on 127.0.0.1: an SMTP inbox, a
// store's webhook endpoint (verified with the official Standard Webhooks library) and the fiscal
// sandbox; plus a harness wired to them and helpers to pay an order through the acquirer sandbox.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startFiscalSandbox, type RunningFiscalSandbox } from '../../src/adapters/fiscal-sandbox.js';
import { newWebhookSecret } from '../../src/domain/webhook-secret.js';
import { drainOutbox } from '../../src/worker/outbox-worker.js';
import { waitFor } from './async.js';
import { newReference, startHarness, TEST_SHOP_ID, type Harness, type HarnessOptions } from './harness.js';
import { startSmtpInbox, type SmtpInbox } from './smtp-inbox.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

export const DEPARTMENT = 'orders@shop.test';

export interface World {
  h: Harness;
  inbox: SmtpInbox;
  receiver: WebhookReceiver;
  fiscal: RunningFiscalSandbox;
  endpointId: string;
  secret: string;
  close(): Promise<void>;
}

/** Settle with mail, one webhook endpoint (every event, OpenCart codes) and the fiscal sandbox. */
export async function startWorld(opts: HarnessOptions = {}): Promise<World> {
  const inbox = await startSmtpInbox();
  const secret = newWebhookSecret(randomBytes);
  const receiver = await startWebhookReceiver(secret);
  const fiscal = await startFiscalSandbox();
  const h = await startHarness({ smtpUrl: inbox.url, fiscalUrl: fiscal.url, ...opts });
  const settings = await h.api(
    'PUT',
    '/v1/settings/notifications',
    { from: 'Shop <shop@shop.test>', order_department_email: DEPARTMENT, send: allMails(true) },
    { key: h.adminKey },
  );
  assert.equal(settings.status, 200, JSON.stringify(settings.body));
  const ep = await h.api(
    'POST',
    '/v1/webhook-endpoints',
    { url: `${receiver.url}/hooks`, events: ['*'], secret, status_map_preset: 'opencart' },
    { key: h.adminKey },
  );
  assert.equal(ep.status, 201, JSON.stringify(ep.body));
  return {
    h,
    inbox,
    receiver,
    fiscal,
    endpointId: ep.body.id,
    secret,
    async close() {
      await h.close();
      await receiver.close();
      await inbox.close();
      await fiscal.close();
    },
  };
}

export function allMails(on: boolean) {
  return {
    department_new_order: on,
    department_processed: on,
    department_queued: on,
    department_failed: on,
    customer_paid: on,
    customer_refunded: on,
  };
}

/** An order for `amount` paid through the acquirer sandbox; resolves once Settle applied the signed callback. */
export async function paidOrder(
  h: Harness,
  opts: { amount?: number; email?: string; ip?: string; lines?: boolean } = {},
) {
  const reference = newReference('AP');
  const amount = opts.amount ?? 150000;
  const body = opts.lines
    ? {
        reference,
        currency: 'AMD',
        lines: [{ sku: 'MUG', name: 'Mug', quantity: 2, unit_amount: amount / 2 }],
        customer: { email: opts.email ?? 'buyer@example.com', name: 'Ann', ...(opts.ip && { ip: opts.ip }) },
      }
    : {
        reference,
        currency: 'AMD',
        amount,
        customer: { email: opts.email ?? 'buyer@example.com', name: 'Ann', ...(opts.ip && { ip: opts.ip }) },
      };
  const order = await h.api('POST', '/v1/orders', body);
  assert.equal(order.status, 201, JSON.stringify(order.body));
  const payment = await h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: h.paymentMethodId });
  assert.equal(payment.status, 201);
  assert.equal((await fetch(payment.body.next_step.url)).status, 200);
  await h.sandbox.sandbox.pay(TEST_SHOP_ID, payment.body.provider_ref);
  await waitFor(
    'the signed callback is applied',
    async () => (await h.store.storage.read.getOrder(order.body.id))?.paymentStatus === 'paid',
    5000,
  );
  return { orderId: order.body.id as string, paymentId: payment.body.id as string, reference };
}

/** Delivers everything due, again and again, until the outbox holds nothing pending for this order. */
export async function settleOutbox(h: Harness, orderId: string, timeoutMs = 10_000) {
  try {
    await waitFor(
      'the outbox is delivered',
      async () => {
        await drainOutbox(h.deps);
        return (await h.store.storage.read.listOutbox({ orderId, status: 'pending', limit: 1 })).length === 0;
      },
      timeoutMs,
      50,
    );
  } catch (e) {
    const left = await h.store.storage.read.listOutbox({ orderId, status: 'pending', limit: 50 });
    throw new Error(
      `${(e as Error).message}; still pending: ${JSON.stringify(left.map((m) => [m.eventType, m.attempts, m.lastError, m.nextAttemptAt]))}`,
      { cause: e },
    );
  }
}

export const kinds = (events: { kind: string }[]) => events.map((e) => e.kind);
