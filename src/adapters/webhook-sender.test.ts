import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { startWebhookReceiver } from '../../test/support/webhook-receiver.js';
import { createHttpClient } from './http-client.js';
import { Secret } from '../domain/secret.js';
import type { WebhookDelivery } from '../ports/webhook-sender.js';
import { isWebhookSecret, newWebhookSecret } from '../domain/webhook-secret.js';
import { createWebhookSender } from './webhook-sender.js';

const now = () => Math.floor(Date.now() / 1000);

function delivery(url: string, secret: string, over: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    url,
    id: 'out_hook1',
    timestamp: now(),
    body: JSON.stringify({
      type: 'order.paid',
      data: { reference: 'T-1', amount: 150000, currency: 'AMD', note: 'оплачено' },
    }),
    secret: new Secret(secret),
    ...over,
  };
}

test("the official Standard Webhooks library accepts the signature; the headers are the spec's", async () => {
  const secret = newWebhookSecret(randomBytes);
  const receiver = await startWebhookReceiver(secret);
  try {
    const d = delivery(`${receiver.url}/hooks/settle?token=store-token`, secret);
    const r = await createWebhookSender(createHttpClient()).send(d);
    assert.deepEqual(r, { ok: true, value: { status: 204 } });

    const [got] = receiver.received();
    assert.ok(got);
    assert.equal(got.verified, true);
    assert.equal(got.id, 'out_hook1');
    assert.equal(got.type, 'order.paid');
    assert.deepEqual(got.body, JSON.parse(d.body));
    assert.equal(got.headers['webhook-timestamp'], String(d.timestamp));
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.headers['user-agent'], 'Settle-Webhooks/1');
    // The library's own signer agrees byte for byte.
    assert.equal(
      got.headers['webhook-signature'],
      new Webhook(secret).sign(d.id, new Date(d.timestamp * 1000), d.body),
    );
  } finally {
    await receiver.close();
  }
});

test('the verifier refuses a tampered body or a wrong secret; a receiver with another secret answers 400', async () => {
  const secret = newWebhookSecret(randomBytes);
  const receiver = await startWebhookReceiver(secret);
  const stranger = await startWebhookReceiver(newWebhookSecret(randomBytes));
  try {
    const sender = createWebhookSender(createHttpClient());
    const d = delivery(receiver.url, secret);
    assert.ok((await sender.send(d)).ok);
    const { headers } = receiver.received()[0]!;
    assert.throws(() => new Webhook(secret).verify(d.body.replace('150000', '1'), headers), WebhookVerificationError);
    assert.throws(() => new Webhook(newWebhookSecret(randomBytes)).verify(d.body, headers), WebhookVerificationError);
    assert.throws(
      () => new Webhook(secret).verify(d.body, { ...headers, 'webhook-id': 'out_other' }),
      WebhookVerificationError,
    );

    const r = await sender.send({ ...d, url: stranger.url });
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'webhook_rejected');
    assert.equal(r.error.details?.status, 400);
    assert.equal(stranger.received()[0]?.verified, false);
  } finally {
    await receiver.close();
    await stranger.close();
  }
});

test('a 500 is webhook_rejected with the status, naming the origin only; a resend keeps its id', async () => {
  const secret = newWebhookSecret(randomBytes);
  const receiver = await startWebhookReceiver(secret);
  try {
    receiver.setSwitches({ failNext: 1 });
    const sender = createWebhookSender(createHttpClient());
    const d = delivery(`${receiver.url}/hooks?token=store-token`, secret);
    const r = await sender.send(d);
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'webhook_rejected');
    assert.equal(r.error.details?.status, 500);
    assert.ok(r.error.message.includes(receiver.url), r.error.message);
    assert.equal(r.error.message.includes('/hooks'), false);
    assert.equal(r.error.message.includes('store-token'), false);

    assert.ok((await sender.send({ ...d, timestamp: now() })).ok);
    assert.equal(receiver.received().length, 2);
    assert.deepEqual(receiver.uniqueIds(), ['out_hook1']);
    assert.ok(receiver.received().every((w) => w.verified));
  } finally {
    await receiver.close();
  }
});

test('no answer is webhook_unreachable: a refused connection, and a timeout the receiver still saw', async () => {
  const secret = newWebhookSecret(randomBytes);
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  const sender = createWebhookSender(createHttpClient({ defaultTimeoutMs: 200 }));

  const refused = await sender.send(delivery(`http://127.0.0.1:${port}/hooks`, secret));
  assert.ok(!refused.ok);
  assert.equal(refused.error.code, 'webhook_unreachable');
  assert.equal(refused.error.details?.reason, 'network');
  assert.equal(refused.error.message.includes('/hooks'), false);

  const receiver = await startWebhookReceiver(secret);
  try {
    receiver.setSwitches({ holdMs: 1000 });
    const slow = await sender.send(delivery(receiver.url, secret));
    assert.ok(!slow.ok);
    assert.equal(slow.error.code, 'webhook_unreachable');
    assert.equal(slow.error.details?.reason, 'timeout');
    assert.equal(receiver.received().length, 1, 'the body arrived before the sender gave up');
  } finally {
    await receiver.close();
  }

  const bad = await sender.send(delivery('ftp://store.example.test/hooks', secret));
  assert.ok(!bad.ok);
  assert.equal(bad.error.code, 'webhook_unreachable');
});

test('secrets are whsec_ and base64 of 32 random bytes; the check takes 24 to 64 bytes of canonical base64', () => {
  assert.equal(
    newWebhookSecret((n) => Buffer.alloc(n, 7)),
    `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
  );
  const s = newWebhookSecret(randomBytes);
  assert.ok(isWebhookSecret(s));
  assert.notEqual(s, newWebhookSecret(randomBytes));
  assert.ok(isWebhookSecret(`whsec_${randomBytes(24).toString('base64')}`));
  assert.ok(isWebhookSecret(`whsec_${randomBytes(64).toString('base64')}`));

  assert.equal(isWebhookSecret(randomBytes(32).toString('base64')), false, 'no prefix');
  assert.equal(isWebhookSecret(`whsec_${randomBytes(23).toString('base64')}`), false, 'too short');
  assert.equal(isWebhookSecret(`whsec_${randomBytes(65).toString('base64')}`), false, 'too long');
  assert.equal(isWebhookSecret('whsec_'), false);
  assert.equal(
    isWebhookSecret(`whsec_${Buffer.alloc(32, 0xfb).toString('base64url')}`),
    false,
    "base64url is not the spec's base64",
  );
  assert.equal(isWebhookSecret(`whsec_${randomBytes(32).toString('base64')}!`), false);
  assert.equal(
    isWebhookSecret(`whsec_${randomBytes(32).toString('base64').replace(/=+$/, '')}`),
    false,
    'padding is part of base64',
  );
});
