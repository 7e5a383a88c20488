import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { startTBankSandbox, type RunningTBankSandbox } from './sandbox.js';
import { tbankToken } from './wire.js';

const T = { terminalKey: 'SandboxTerminal', password: 'sandbox-password-1' };
let running: RunningTBankSandbox;
// A merchant's notification receiver that answers each status "OK" only from its second try on
// (counted per status: the two notifications' tries interleave as the machine's timing falls).
const tries = new Map<unknown, number>();
const seen: Record<string, unknown>[] = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const notification = JSON.parse(body) as Record<string, unknown>;
    const n = (tries.get(notification.Status) ?? 0) + 1;
    tries.set(notification.Status, n);
    seen.push(notification);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(n < 2 ? 'not yet' : 'OK');
  });
});

before(async () => {
  running = await startTBankSandbox({ terminals: [T], retryBaseDelayMs: 10, retryAttempts: 5 });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
});
after(async () => {
  await running.close();
  receiver.close();
});

const call = async (method: string, fields: Record<string, unknown>, password = T.password) => {
  const body = { TerminalKey: T.terminalKey, ...fields };
  const res = await fetch(`${running.url}/v2/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, Token: tbankToken(body, password) }),
  });
  return (await res.json()) as Record<string, unknown>;
};

test('a request with a wrong Token or terminal is refused as T-Bank does', async () => {
  assert.deepEqual(await call('Init', { Amount: 100, OrderId: 'S-1' }, 'wrong').then((a) => [a.Success, a.ErrorCode]), [
    false,
    '204',
  ]);
  const unknown = await fetch(`${running.url}/v2/Init`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ TerminalKey: 'Nobody', Amount: 100, OrderId: 'S-1', Token: '0'.repeat(64) }),
  });
  assert.equal(((await unknown.json()) as { ErrorCode: string }).ErrorCode, '501');
});

test('Init, pay, notifications signed and retried until "OK", then refunds idempotent by ExternalRequestId', async () => {
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/n`;
  const init = await call('Init', {
    Amount: 150000,
    OrderId: 'S-2',
    NotificationURL: url,
    SuccessURL: 'http://127.0.0.1:9/ok',
  });
  assert.equal(init.Success, true);
  assert.equal(init.Status, 'NEW');
  assert.equal((await call('Init', { Amount: 1, OrderId: 'S-2' })).Success, false, 'an OrderId is used once');
  await running.sandbox.pay(String(init.PaymentId));
  await running.sandbox.idle();
  // Each notification is retried on its own until the receiver answers "OK" (here from its second try on).
  assert.deepEqual(seen.map((n) => n.Status).sort(), ['AUTHORIZED', 'AUTHORIZED', 'CONFIRMED', 'CONFIRMED']);
  const acknowledged = running.sandbox.deliveries.filter((d) => d.acknowledged).map((d) => d.status);
  assert.deepEqual(acknowledged.sort(), ['AUTHORIZED', 'CONFIRMED'], 'a 200 without "OK" is no acknowledgement');
  for (const n of seen) assert.equal(n.Token, tbankToken(n, T.password));
  assert.equal((await call('GetState', { PaymentId: init.PaymentId })).Status, 'CONFIRMED');
  const refund = { PaymentId: init.PaymentId, Amount: 50000, ExternalRequestId: 'rf_1' };
  const first = await call('Cancel', refund);
  const again = await call('Cancel', refund);
  assert.deepEqual([first.Status, first.NewAmount], ['PARTIAL_REFUNDED', 100000]);
  assert.deepEqual([again.Status, again.NewAmount], ['PARTIAL_REFUNDED', 100000], 'the same id refunds once');
  assert.equal(running.sandbox.paymentOf(T.terminalKey, 'S-2')?.refunded, 50000);
  assert.equal((await call('Cancel', { ...refund, Amount: 200000, ExternalRequestId: 'rf_2' })).Success, false);
});
