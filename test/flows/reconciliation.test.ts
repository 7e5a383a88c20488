import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { waitFor } from '../support/async.js';
import { paidOrder, settleOutbox, startWorld, type World } from '../support/after-payment.js';
import { newReference, type Harness } from '../support/harness.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let w: World;
let h: Harness;
let dir: string;
before(async () => {
  w = await startWorld();
  h = w.h;
  dir = mkdtempSync(join(tmpdir(), 'settle-rec-'));
});
after(async () => {
  await w.close();
  rmSync(dir, { recursive: true, force: true });
});

const today = () => new Date().toISOString().slice(0, 10);
const HEADER = 'provider_ref,order_reference,type,amount,currency,status,time,fee';

async function upload(csv: string, opts: { date?: string; name?: string; key?: string } = {}) {
  const form = new FormData();
  form.set('payment_method_id', h.paymentMethodId);
  form.set('date', opts.date ?? today());
  form.set('file', new Blob([csv], { type: 'text/csv' }), opts.name ?? 'report.csv');
  const res = await fetch(`${h.url}/v1/reconciliation/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.key ?? h.adminKey}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as any };
}

const openTasks = async () =>
  (await h.api('GET', '/v1/tasks?status=open&limit=500', undefined, { key: h.adminKey })).body.data as {
    kind: string;
    owner: string;
    reason: string;
    order_id: string | null;
    report_line: string | null;
  }[];

test('a generated report with every exception kind reconciles to its known answer; a re-import counts nothing twice', async () => {
  const before = (await openTasks()).length;
  const ok = await paidOrder(h, { amount: 150000 });
  const short = await paidOrder(h, { amount: 100000 });
  const foreign = await paidOrder(h, { amount: 50000 });
  const absent = await paidOrder(h, { amount: 70000 });
  const refunded = await paidOrder(h, { amount: 80000 });
  const refund = await h.api(
    'POST',
    `/v1/orders/${refunded.orderId}/refunds`,
    { amount: 30000, reason: 'damaged' },
    { key: h.adminKey },
  );
  await h.api(
    'POST',
    `/v1/orders/${refunded.orderId}/refunds/${refund.body.id}/confirm`,
    { note: 'paid back' },
    { key: h.adminKey },
  );
  const unpaid = await h.api('POST', '/v1/orders', { reference: newReference('REC'), currency: 'AMD', amount: 20000 });
  const unpaidPay = await h.api('POST', `/v1/orders/${unpaid.body.id}/payments`, {
    payment_method_id: h.paymentMethodId,
  });
  // Rejected in review: canceled, its refund recorded as to be paid out by hand and not yet paid.
  const rejected = await paidOrder(h, { amount: 40000 });
  assert.equal(
    (
      await h.api(
        'POST',
        `/v1/orders/${rejected.orderId}/review`,
        { decision: 'reject', note: 'stolen card' },
        { key: h.adminKey },
      )
    ).status,
    200,
  );
  for (const o of [ok, short, foreign, absent, refunded, rejected]) await settleOutbox(h, o.orderId);
  const ref = async (o: { paymentId: string }) => (await h.store.storage.read.getAttempt(o.paymentId))!.providerRef;

  const lines = [
    `${await ref(ok)},${ok.reference},sale,1500.00,AMD,succeeded,${today()}T10:00:00Z,15.00`, // matched
    `${await ref(short)},,sale,999.00,AMD,succeeded,,`, // amount_mismatch
    `${await ref(foreign)},,sale,500.00,USD,succeeded,,`, // currency_mismatch
    `${unpaidPay.body.provider_ref},,sale,200.00,AMD,succeeded,,`, // status_mismatch: Settle has it pending
    `NOPE-1,NOPE-1,sale,10.00,AMD,succeeded,,`, // missing_in_settle
    `${await ref(ok)},${ok.reference},sale,1500.00,AMD,succeeded,,`, // duplicate_in_report
    `,${refunded.reference},refund,300.00,AMD,succeeded,,2.00`, // matched (the confirmed refund)
    `,${short.reference},refund,100.00,AMD,succeeded,,`, // refund_mismatch: Settle made no refund
    `${await ref(refunded)},,sale,800.00,AMD,succeeded,,`, // matched
    `${await ref(rejected)},,sale,400.00,AMD,succeeded,,`, // matched
    `X-9,,sale,12.3.4,AMD,succeeded,,`, // unreadable
  ];
  const csv = [HEADER, ...lines].join('\n') + '\n';
  const r = await upload(csv);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.status, 'completed');
  assert.deepEqual(r.body.counts, {
    lines: 11,
    matched: 4,
    unreadable: 1,
    exceptions: {
      amount_mismatch: 1,
      currency_mismatch: 1,
      status_mismatch: 1,
      missing_in_settle: 1,
      duplicate_in_report: 1,
      refund_mismatch: 1,
      report_line_unreadable: 1,
      missing_in_report: 1, // the absent order's payment
      canceled_not_refunded: 1, // the rejected order
    },
  });
  // Succeeded lines only: sales 1500+999+1500(duplicate)+800+400+10+200 AMD, 500 USD; refunds 300+100; fees 15+2.
  assert.deepEqual(r.body.totals, {
    AMD: { sales: 540900, refunds: 40000, chargebacks: 0, fees: 1700, net: 499200 },
    USD: { sales: 50000, refunds: 0, chargebacks: 0, fees: 0, net: 50000 },
  });

  const tasks = (await openTasks()).slice(before);
  const rec = tasks.filter((t) => t.report_line?.startsWith(r.body.id));
  assert.equal(rec.length, 9);
  const byKind = (k: string) => tasks.find((t) => t.kind === k)!;
  assert.match(byKind('amount_mismatch').reason, /999\.00 AMD.*1000\.00 AMD/);
  assert.equal(byKind('amount_mismatch').order_id, short.orderId);
  assert.equal(byKind('missing_in_report').order_id, absent.orderId);
  assert.equal(byKind('canceled_not_refunded').order_id, rejected.orderId);
  assert.equal(byKind('missing_in_settle').owner, 'accounting', 'the reconciliation queue is accounting’s by default');

  // The same bytes again: recognised, nothing counted twice.
  const again = await upload(csv, { name: 'renamed.csv' });
  assert.deepEqual([again.status, again.body.id, again.body.counts], [200, r.body.id, r.body.counts]);
  assert.equal((await openTasks()).length, tasks.length + before);
  const runs = (await h.api('GET', '/v1/reconciliation/runs', undefined, { key: h.adminKey })).body.data;
  assert.equal(runs.filter((x: { id: string }) => x.id === r.body.id).length, 1);
  assert.deepEqual(
    (await h.api('GET', `/v1/reconciliation/runs/${r.body.id}`, undefined, { key: h.adminKey })).body.counts,
    r.body.counts,
  );

  // A later run finds the rejected order still owing its money back, but does not task it again.
  const next = await upload(`${HEADER}\n${await ref(ok)},,sale,1500.00,AMD,succeeded,,\n`);
  assert.equal(next.body.counts.exceptions.canceled_not_refunded, undefined);
});

test('bad imports are refused in the one error shape and change nothing', async () => {
  const store = await h.api('GET', '/v1/reconciliation/runs');
  assert.equal(store.status, 403, 'a store key may not see reconciliation');
  assert.equal((await upload(`${HEADER}\n`, { date: '2026-13-01' })).body.code, 'report_date_invalid');
  const noHeader = await upload('reference;amount\nA;1\n');
  assert.deepEqual([noHeader.status, noHeader.body.code], [422, 'report_unreadable']);
  const form = new FormData();
  form.set('date', today());
  const missing = await fetch(`${h.url}/v1/reconciliation/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.adminKey}` },
    body: form,
  });
  assert.equal(missing.status, 400);
  assert.equal(
    (
      await h.api(
        'PUT',
        `/v1/payment-methods/${h.paymentMethodId}/report-mapping`,
        { report_mapping: { columns: { type: 'kind' } } },
        { key: h.adminKey },
      )
    ).status,
    400,
  );
});

test('a custom mapping reads the provider’s own columns; owners can be changed by rule', async () => {
  const mapping = {
    columns: { provider_ref: 'Txn', type: 'Kind', amount: 'Sum', currency: 'Cur', status: 'State' },
    delimiter: ';',
    decimal_separator: ',',
    status_values: { succeeded: ['OK'] },
  };
  const set = await h.api(
    'PUT',
    `/v1/payment-methods/${h.paymentMethodId}/report-mapping`,
    { report_mapping: mapping },
    { key: h.adminKey },
  );
  assert.equal(set.status, 200, JSON.stringify(set.body));
  const owners = await h.api(
    'PUT',
    '/v1/settings/task-owners',
    { missing_in_settle: 'user:anna' },
    { key: h.adminKey },
  );
  assert.equal(owners.body.missing_in_settle, 'user:anna');
  try {
    const r = await upload('Txn;Kind;Sum;Cur;State\nZZ-404;sale;1 234,50;AMD;OK\n');
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(r.body.totals.AMD.sales, 123450);
    const task = (await openTasks()).find((t) => t.report_line === `${r.body.id}:2`)!;
    assert.deepEqual([task.kind, task.owner], ['missing_in_settle', 'user:anna']);
  } finally {
    await h.api(
      'PUT',
      `/v1/payment-methods/${h.paymentMethodId}/report-mapping`,
      { report_mapping: null },
      { key: h.adminKey },
    );
    await h.api('PUT', '/v1/settings/task-owners', {}, { key: h.adminKey });
  }
});

test('an import killed half-way is run again to the same result', async () => {
  const n = 30_000;
  const rows = Array.from({ length: n }, (_, i) => `GONE-${i},,sale,1.00,AMD,succeeded,,`);
  const file = join(dir, 'big.csv');
  writeFileSync(file, [HEADER, ...rows].join('\n') + '\n');
  const date = '2026-01-02';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: h.store.url,
    SETTLE_MASTER_KEY: h.masterKey.toString('base64'),
    LOG_LEVEL: 'silent',
  };
  delete env.NODE_TEST_CONTEXT;
  const cli = () =>
    spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli.ts',
        'reconcile',
        'import',
        '--payment-method',
        h.paymentMethodId,
        '--date',
        date,
        file,
      ],
      { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );

  const first = cli();
  const exited = new Promise((done) => first.once('exit', done));
  const runId = async () =>
    (await h.store.storage.read.listRuns({ paymentMethodId: h.paymentMethodId, limit: 50 })).find(
      (r) => r.reportDate === date,
    )?.id;
  await waitFor(
    'the first lines are committed',
    async () => {
      const id = await runId();
      return id !== undefined && (await h.store.storage.read.reportLineBounds(id)).last > 1;
    },
    60_000,
    20,
  );
  first.kill('SIGKILL');
  await exited;
  const id = (await runId())!;
  const partial = (await h.store.storage.read.reportLineBounds(id)).last;
  assert.ok(partial < n + 1, `killed half-way (at line ${partial} of ${n + 1})`);
  assert.equal((await h.store.storage.read.getRun(id))!.status, 'running');

  // Run it again. On SQLite the killed process's lease on the run lapses within 30 s; until then
  // the command says another import is running (PostgreSQL frees its advisory lock at once).
  let code: unknown;
  let out = '';
  for (let tries = 0; tries < 12; tries++) {
    const again = cli();
    out = '';
    again.stdout.on('data', (d: Buffer) => (out += d.toString()));
    again.stderr.on('data', (d: Buffer) => (out += d.toString()));
    code = await new Promise((done) => again.once('exit', done));
    if (!out.includes('reconciliation_in_progress')) break;
    await new Promise((r) => setTimeout(r, 5000));
  }
  assert.equal(code, 0, out);
  const run = (await h.store.storage.read.getRun(id))!;
  assert.equal(run.status, 'completed');
  assert.deepEqual(run.summary?.exceptions, { missing_in_settle: n });
  assert.equal(run.summary?.lines, n);
  const tasks = await h.store.storage.read.listTasks({ kind: 'missing_in_settle', limit: 100_000 });
  assert.equal(
    tasks.filter((t) => t.reportLine?.startsWith(`${id}:`)).length,
    n,
    'one task per line: none lost, none twice',
  );
});
