import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newReference, startHarness, type Harness } from '../support/harness.js';

// The pages a customer meets after the payment page: in their language (the order's, then the
// browser's), with the state in words and the next steps: try again, back to the shop.

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

async function orderWithPayment(extra: Record<string, unknown> = {}) {
  const order = await h.api('POST', '/v1/orders', {
    reference: newReference('CP'),
    currency: 'AMD',
    amount: 500000,
    return_url: 'https://shop.example/orders/1001',
    ...extra,
  });
  assert.equal(order.status, 201, JSON.stringify(order.body));
  const payment = await h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: h.paymentMethodId });
  assert.equal(payment.status, 201, JSON.stringify(payment.body));
  return { order: order.body, payment: payment.body };
}

/** The customer presses a button on the sandbox's payment page and the acquirer's callback lands. */
async function press(url: string, button: 'pay' | 'decline') {
  const html = await (await fetch(url)).text();
  const action = new RegExp(`action="([^"]*${button})"`).exec(html)?.[1];
  assert.ok(action, `the payment page has a ${button} form`);
  const res = await fetch(new URL(action, url), { method: 'POST', redirect: 'manual' });
  assert.equal(res.status, 303);
  await h.sandbox.sandbox.idle();
}

async function returnPage(paymentId: string, acceptLanguage?: string) {
  const res = await fetch(`${h.url}/return/${paymentId}`, {
    headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {},
  });
  return { status: res.status, language: res.headers.get('content-language'), text: await res.text() };
}

test("a declined payment's page speaks the order's language, says what happened and offers to try again", async () => {
  const { order, payment } = await orderWithPayment({ locale: 'hy-AM' });
  assert.equal(order.locale, 'hy-AM');
  await press(payment.next_step.url, 'decline');
  // The order's language wins over the browser's.
  const page = await returnPage(payment.id, 'ru-RU,ru;q=0.9');
  assert.equal(page.status, 200);
  assert.equal(page.language, 'hy');
  assert.match(page.text, /<html lang="hy">/);
  assert.match(page.text, /data-testid="payment-status">Վճարված չէ</);
  assert.match(page.text, /5000,00\u00a0֏/);
  assert.match(page.text, /վճարումը մերժվել է/);
  assert.match(page.text, /data-testid="order-state">Վճարումը չի հաջողվել</);
  assert.match(page.text, /data-testid="try-again">Կրկին փորձել</);
  assert.match(page.text, /href="https:\/\/shop\.example\/orders\/1001" data-testid="back-to-shop">Վերադառնալ խանութ</);
  assert.doesNotMatch(page.text, /payment_failed/);
});

test("without the order's language the browser's decides, and English is the last resort", async () => {
  const { payment } = await orderWithPayment();
  await press(payment.next_step.url, 'decline');
  const russian = await returnPage(payment.id, 'de-DE,de;q=0.9,ru;q=0.5');
  assert.equal(russian.language, 'ru');
  assert.match(russian.text, /data-testid="payment-status">Не оплачено</);
  assert.match(russian.text, /5\u00a0000,00\u00a0AMD/);
  assert.match(russian.text, /Попробовать снова/);
  const english = await returnPage(payment.id, 'fr-FR');
  assert.equal(english.language, 'en');
  assert.match(english.text, /data-testid="payment-status">Not paid</);
  assert.match(english.text, /did not go through: it was declined/);
  assert.match(english.text, /data-testid="order-state">Payment failed</);
  assert.match((await returnPage(payment.id)).text, /<html lang="en">/);
});

test('try again starts one new attempt with the same method; a second press goes on to that one', async () => {
  const { order, payment } = await orderWithPayment();
  await press(payment.next_step.url, 'decline');
  const retry = await fetch(`${h.url}/return/${payment.id}/retry`, { method: 'POST', redirect: 'manual' });
  assert.equal(retry.status, 303);
  const next = retry.headers.get('location')!;
  assert.ok(next.startsWith(h.sandbox.url), next);
  const attempts = (await h.api('GET', `/v1/orders/${order.id}`)).body.payments as {
    id: string;
    status: string;
    payment_method_id: string;
  }[];
  assert.deepEqual(
    attempts.map((a) => [a.status, a.payment_method_id]),
    [
      ['failed', h.paymentMethodId],
      ['created', h.paymentMethodId],
    ],
  );
  // Pressed again (a second click, the back button): no third attempt, on to the open one.
  const again = await fetch(`${h.url}/return/${payment.id}/retry`, { method: 'POST', redirect: 'manual' });
  assert.equal(again.headers.get('location'), next);
  assert.equal((await h.api('GET', `/v1/orders/${order.id}`)).body.payments.length, 2);

  // The new attempt pays; the old page then says the order is paid and offers nothing more.
  await press(next, 'pay');
  const paid = await returnPage(payment.id);
  assert.match(paid.text, /data-testid="payment-status">Paid</);
  assert.doesNotMatch(paid.text, /try-again/);
  const late = await fetch(`${h.url}/return/${payment.id}/retry`, { method: 'POST', redirect: 'manual' });
  assert.equal(late.status, 303);
  assert.equal(late.headers.get('location'), `/return/${payment.id}`);
  assert.equal((await h.api('GET', `/v1/orders/${order.id}`)).body.payments.length, 2);
});

test('an unknown payment is a 404 page in the browser language; a bad locale is refused and creates nothing', async () => {
  const unknown = await returnPage('pay_nope', 'ru');
  assert.equal(unknown.status, 404);
  assert.match(unknown.text, /Платёж не найден/);
  const retry = await fetch(`${h.url}/return/pay_nope/retry`, { method: 'POST', headers: { 'accept-language': 'hy' } });
  assert.equal(retry.status, 404);
  assert.match(await retry.text(), /Վճարումը չի գտնվել/);

  const reference = newReference('CP');
  for (const locale of ['', 'x', 'ru_RU', 'en-', 'a'.repeat(40), 7]) {
    const bad = await h.api('POST', '/v1/orders', { reference, currency: 'AMD', amount: 100, locale });
    assert.equal(bad.status, 400, JSON.stringify(locale));
  }
  assert.equal((await h.api('GET', `/v1/orders?reference=${reference}`)).body.data.length, 0);
});

test('no return_url: no link back; a payment still waiting says so and refreshes, without a retry', async () => {
  const order = await h.api('POST', '/v1/orders', { reference: newReference('CP'), currency: 'AMD', amount: 1000 });
  const payment = await h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: h.paymentMethodId });
  assert.equal((await fetch(payment.body.next_step.url)).status, 200); // the customer opened the payment page
  const page = await returnPage(payment.body.id, 'ru');
  assert.match(page.text, /Ожидаем подтверждения/);
  assert.match(page.text, /http-equiv="refresh"/);
  assert.doesNotMatch(page.text, /back-to-shop|try-again/);
});
