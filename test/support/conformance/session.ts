import assert from 'node:assert/strict';
import { DEFAULT_JANITOR, runJanitor, type JanitorSettings } from '../../../src/app/janitor.js';
import { newReference, startHarness, type Harness } from '../harness.js';
import { noteSecret } from '../test-logs.js';
import type { ConformanceDriver, ConformanceSandbox, SandboxPayment } from './driver.js';

/** A harness with one payment method of the driver's connector, pointed at its sandbox. */
export interface Session {
  h: Harness;
  sandbox: ConformanceSandbox;
  methodId: string;
  close(): Promise<void>;
}

export async function openSession(driver: ConformanceDriver): Promise<Session> {
  noteSecret(...driver.secrets);
  const h = await startHarness({ httpTimeoutMs: 1500 });
  const sandbox = await driver.start();
  const pm = await h.api(
    'POST',
    '/v1/payment-methods',
    {
      name: `Conformance ${driver.connector}`,
      connector: driver.connector,
      settings: sandbox.settings(),
      currencies: [driver.currency, ...(driver.otherCurrency ? [driver.otherCurrency] : [])],
      auto_approve: true,
    },
    { key: h.adminKey },
  );
  assert.equal(pm.status, 201, JSON.stringify(pm.body));
  sandbox.bind({ paymentMethodId: pm.body.id, settleUrl: h.url });
  return {
    h,
    sandbox,
    methodId: pm.body.id,
    async close() {
      await sandbox.close();
      await h.close();
    },
  };
}

export interface Started {
  orderId: string;
  reference: string;
  paymentId: string;
  payment: SandboxPayment;
  /** The payment as the API answered it. */
  view: Record<string, any>;
}

/** An order of `amount` and a payment started with the session's method, as a store does it. */
export async function orderAndPayment(s: Session, driver: ConformanceDriver, amount = 150000): Promise<Started> {
  const reference = newReference('CF');
  const order = await s.h.api('POST', '/v1/orders', {
    reference,
    currency: driver.currency,
    lines: [{ sku: 'JAM', name: 'Apricot jam', quantity: 1, unit_amount: amount }],
    customer: { email: 'buyer@example.test' },
    return_url: 'https://shop.example/return',
  });
  assert.equal(order.status, 201, JSON.stringify(order.body));
  const started = await startPayment(s, order.body.id);
  return { ...started, orderId: order.body.id, reference };
}

/** Starts a further payment of an order. */
export async function startPayment(s: Session, orderId: string): Promise<Omit<Started, 'orderId' | 'reference'>> {
  const res = await s.h.api('POST', `/v1/orders/${orderId}/payments`, { payment_method_id: s.methodId });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const v = res.body;
  return {
    paymentId: v.id,
    view: v,
    payment: {
      providerRef: v.provider_ref,
      providerPaymentId: v.provider_payment_id,
      amount: v.amount,
      currency: v.currency,
      next: v.next_step,
    },
  };
}

/**
 * What the customer's browser does after the provider's page: callbacks are left to finish, then
 * the return address is opened and its redirects followed to Settle's return page, whose text is
 * returned (an empty string when the provider sends the browser nowhere).
 */
export async function comeBack(s: Session, returnUrl: string | null): Promise<string> {
  await s.sandbox.idle();
  if (!returnUrl) return '';
  const res = await fetch(returnUrl);
  return res.text();
}

export async function orderOf(s: Session, orderId: string): Promise<Record<string, any>> {
  const res = await s.h.api('GET', `/v1/orders/${orderId}`);
  assert.equal(res.status, 200);
  return res.body;
}

export async function timelineKinds(s: Session, orderId: string): Promise<string[]> {
  const res = await s.h.api('GET', `/v1/orders/${orderId}/timeline`);
  return res.body.data.map((e: { kind: string }) => e.kind);
}

/** The method's callback log, newest first. */
export async function callbackLog(s: Session): Promise<Record<string, any>[]> {
  const res = await s.h.api('GET', `/v1/callbacks?payment_method_id=${s.methodId}&limit=500`, undefined, {
    key: s.h.adminKey,
  });
  assert.equal(res.status, 200);
  return res.body.data;
}

/** The open tasks of one order, by kind. */
export async function openTaskKinds(s: Session, orderId: string): Promise<string[]> {
  const res = await s.h.api('GET', '/v1/tasks?status=open&limit=500', undefined, { key: s.h.adminKey });
  return res.body.data.filter((t: { order_id: string }) => t.order_id === orderId).map((t: { kind: string }) => t.kind);
}

export function janitor(s: Session, over: Partial<JanitorSettings>) {
  return runJanitor(s.h.deps, { ...DEFAULT_JANITOR, ...over });
}
