import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { StorageTx } from '../../src/ports/storage.js';
import { freshStore, type TestStore } from '../support/store.js';
import {
  attempt,
  insertBatchMethod,
  order,
  statements,
  T0,
  task,
  webhookEndpoint,
} from '../support/storage-records.js';

// The PostgreSQL transaction holds writes back and sends them together (src/storage/postgres/write-batch.ts),
// and lockOrderState reads an order's records in one statement. What the app sees must not change:
// these run on both stores, and on PostgreSQL also count the statements sent.

let store: TestStore;
let n = 0;
before(async () => {
  store = await freshStore();
  await insertBatchMethod(store);
});
after(async () => {
  await store.drop();
});

/** A new order with two attempts and one event, committed. */
async function seed(): Promise<{ orderId: string; attempts: string[] }> {
  n += 1;
  const orderId = `ord_b${n}`;
  const attempts = [`pa_b${n}_1`, `pa_b${n}_2`];
  await store.storage.transaction(async (tx) => {
    assert.equal(await tx.insertOrder(order(orderId), `kh${n}`, `ref-${orderId}`), true);
    for (const a of attempts) assert.equal(await tx.insertAttempt(attempt(a, orderId), a), true);
    await tx.appendEvents(orderId, T0, [{ kind: 'order.created', actor: 'store', summary: 'created' }]);
  });
  return { orderId, attempts };
}

test('lockOrderState reads the same records, in the same order, as the separate reads', async () => {
  const { orderId, attempts } = await seed();
  await store.storage.transaction(async (tx) => {
    // Two refunds at the same instant: the order between them is the id's, as the database sorts it.
    for (const id of ['rf_b', 'rf_A', 'rf_a']) {
      await tx.insertRefund({
        id,
        orderId,
        attemptId: attempts[0]!,
        amount: 100,
        currency: 'EUR',
        reason: 'r',
        lines: [],
        actor: 'api',
        status: 'requested',
        surplusAmount: 0,
        providerRef: null,
        error: null,
        createdAt: T0,
        updatedAt: T0,
      });
    }
    await tx.insertChargeback({
      id: 'cb_1',
      orderId,
      attemptId: attempts[0]!,
      amount: 50,
      currency: 'EUR',
      reasonCode: '10.4',
      status: 'opened',
      source: 'api',
      providerRef: null,
      note: null,
      actor: 'api',
      createdAt: T0,
      updatedAt: T0,
    });
    await tx.insertAdjustment({
      id: 'adj_1',
      orderId,
      kind: 'lines_changed',
      lines: [],
      amountDelta: -10,
      amountBefore: 1000,
      amountAfter: 990,
      reason: 'r',
      actor: 'api',
      refundId: null,
      createdAt: T0,
    } as never);
  });
  await store.storage.transaction(async (tx) => {
    for (const id of ['we_b', 'we_a']) {
      await tx.insertWebhookEndpoint(webhookEndpoint(`${id}${n}`));
    }
    await tx.putSetting('batch_test', { v: 1 }, T0);
  });
  const r = store.storage.read;
  const endpoints = await r.listWebhookEndpoints();
  const separate = {
    order: await r.getOrder(orderId),
    attempts: await r.listAttempts(orderId),
    refunds: await r.listRefunds(orderId),
    chargebacks: await r.listChargebacks(orderId),
    adjustments: await r.listAdjustments(orderId),
  };
  const { result: locked, sent } = await statements(store, () =>
    store.storage.transaction(async (tx) => {
      const state = await tx.lockOrderState(orderId);
      // The configuration the rest of a callback's transaction reads came with it.
      assert.deepEqual(await tx.listWebhookEndpoints(), endpoints);
      assert.deepEqual(await tx.getSetting('batch_test'), { v: 1 });
      assert.equal(await tx.getSetting('no_such_setting'), undefined);
      const events = await tx.appendEvents(orderId, T0, [{ kind: 'order.checked', actor: 'system', summary: 'next' }]);
      assert.deepEqual(
        events.map((e) => e.seq),
        [2],
        'the timeline goes on after what was there, with no read of its own',
      );
      // What the transaction writes, it reads back.
      await tx.putSetting('batch_test', { v: 2 }, T0);
      assert.deepEqual(await tx.getSetting('batch_test'), { v: 2 });
      return state;
    }),
  );
  assert.deepEqual(locked, separate);
  assert.equal(locked!.refunds.length, 3);
  assert.equal(await store.storage.transaction((tx) => tx.lockOrderState('ord_none')), undefined);
  // begin, the lock, the records and configuration, the held insert (sent before the setting is
  // written), the setting, its read, commit
  if (sent)
    assert.deepEqual(sent, [
      'begin',
      'select to_jsonb("orders") as', // whole rows come as jsonb (compiled-reads.ts)
      "select 'a' as",
      'insert into "order_events"',
      'insert into "settings"',
      'select "value" from',
      'commit',
    ]);
});

test('a transaction sends its held writes together, and its own reads see them', async () => {
  const { orderId, attempts } = await seed();
  const { sent } = await statements(store, () =>
    store.storage.transaction(async (tx) => {
      await tx.lockOrder(orderId);
      await tx.updateAttempt(attempts[0]!, {
        status: 'succeeded',
        verifiedBy: 'signature',
        providerStatus: 'executed',
        updatedAt: T0,
      });
      await tx.updateOrder(orderId, { status: 'processing', paymentStatus: 'paid', updatedAt: T0 });
      await tx.appendEvents(orderId, T0, [
        { kind: 'payment.succeeded', actor: 'provider', summary: 'paid', attemptId: attempts[0]! },
      ]);
      await tx.insertTasks([task(`task_b${n}`, orderId)]);
      await tx.insertOutbox([
        {
          id: `msg_b${n}`,
          topic: 'webhook',
          eventType: 'payment.succeeded',
          orderId,
          orderSeq: 2,
          target: 'ep',
          payload: { a: '$1 and $2' },
          status: 'pending',
          attempts: 0,
          nextAttemptAt: T0,
          lastError: null,
          createdAt: T0,
          queuedAt: T0,
          deliveredAt: null,
          requestId: null,
        },
      ]);
      await tx.insertCallback({
        id: `cb_b${n}`,
        paymentMethodId: 'pm_b',
        receivedAt: T0,
        method: 'POST',
        headers: {},
        query: '',
        body: '$1',
        verified: true,
        outcome: 'applied',
        reason: null,
        providerRef: attempts[0]!,
        providerStatus: 'executed',
        attemptId: attempts[0]!,
        orderId,
      });
      // Configuration reads do not send the held writes; a read of what they touch does.
      await tx.listWebhookEndpoints();
      const seen = await tx.getOrder(orderId);
      assert.equal(seen?.status, 'processing', 'the read sees the held update');
      assert.equal((await tx.listEvents(orderId)).length, 2);
      // Two updates of one row: the second waits for the first, and both apply.
      await tx.updateOrder(orderId, { fiscalStatus: 'pending', updatedAt: T0 });
      await tx.updateOrder(orderId, { deliveryStatus: 'packed', updatedAt: T0 });
    }),
  );
  const o = await store.storage.read.getOrder(orderId);
  assert.deepEqual([o?.status, o?.fiscalStatus, o?.deliveryStatus], ['processing', 'pending', 'packed']);
  assert.equal((await store.storage.read.getAttempt(attempts[0]!))?.status, 'succeeded');
  assert.equal(
    (await store.storage.read.getOutbox(`msg_b${n}`))?.payload.a,
    '$1 and $2',
    'a "$1" in a value is a value',
  );
  assert.equal((await store.storage.read.listCallbacks({ orderId, limit: 5 }))[0]?.body, '$1');
  assert.equal((await store.storage.read.getTask(`task_b${n}`))?.orderId, orderId);
  if (sent) {
    assert.deepEqual(sent, [
      'begin',
      'select to_jsonb("orders") as', // the lock
      'select max("seq") as', // the timeline's end
      'select to_jsonb("webhook_endpoints") as', // webhook endpoints: held writes stay held
      'with w0 as', // the six writes, sent before the order is read
      'select to_jsonb("orders") as', // the order
      'select * from', // its events
      'update "orders" set', // the first of two updates of one row, sent before the second joins
      'update "orders" set', // the second, at commit
      'commit',
    ]);
  }
});

test('a held write that fails fails its transaction, and nothing of it stays', async () => {
  const { orderId, attempts } = await seed();
  const taken = `task_taken${n}`;
  await store.storage.transaction((tx) => tx.insertTasks([task(taken, orderId)]));
  await assert.rejects(
    store.storage.transaction(async (tx) => {
      await tx.lockOrder(orderId);
      await tx.updateOrder(orderId, { status: 'processing', paymentStatus: 'paid', updatedAt: T0 });
      await tx.appendEvents(orderId, T0, [{ kind: 'payment.succeeded', actor: 'provider', summary: 'paid' }]);
      // A task id that is taken: the primary key refuses it, here or when the batch is sent.
      await tx.insertTasks([task(taken, orderId)]);
    }),
  );
  assert.equal((await store.storage.read.getOrder(orderId))?.status, 'pending_payment');
  assert.equal((await store.storage.read.listEvents(orderId)).length, 1);
  assert.equal((await store.storage.read.getAttempt(attempts[0]!))?.status, 'pending');
});

test('held writes past the parameter limit are sent in more than one statement', async () => {
  const { orderId } = await seed();
  // 11 parameters a task: 2 × 2,800 tasks would fit in one PostgreSQL statement (61,600 of its
  // 65,535), so only the batch's own limit (30,000) sends them apart. (SQLite takes each insert
  // alone, under its 32,766.)
  const tasks = Array.from({ length: 5600 }, (_, i) => task(`task_many${n}_${i}`, orderId));
  const { sent } = await statements(store, () =>
    store.storage.transaction(async (tx: StorageTx) => {
      await tx.insertTasks(tasks.slice(0, 2800));
      await tx.insertTasks(tasks.slice(2800));
    }),
  );
  if (sent)
    assert.deepEqual(
      sent,
      ['begin', 'insert into "tasks"', 'insert into "tasks"', 'commit'],
      'each half alone, not one statement of 61,600 parameters',
    );
  const open = await store.storage.read.listTasks({ orderId, status: 'open', limit: 10000 } as never);
  assert.equal(open.length, 5600);
});
