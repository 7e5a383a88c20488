import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { paidOrder, settleOutbox } from '../support/after-payment.js';
import { AdminClient } from '../support/admin-client.js';
import { startHarness, type Harness } from '../support/harness.js';

const today = () => new Date().toISOString().slice(0, 10);
const HEADER = 'provider_ref,order_reference,type,amount,currency,status,time,fee';

describe('admin reconciliation pages: upload a report, read its run and exceptions', () => {
  let h: Harness;
  let accounting: AdminClient & { email: string };
  let support: AdminClient & { email: string };
  let csv: string;
  let shortOrderId: string;

  const runCount = async () => (await h.deps.storage.read.listRuns({ limit: 500 })).length;
  const reportForm = (body: string, opts: { date?: string; name?: string } = {}) => {
    const form = new FormData();
    form.set('payment_method_id', h.paymentMethodId);
    form.set('date', opts.date ?? today());
    form.set('file', new Blob([body], { type: 'text/csv' }), opts.name ?? 'report.csv');
    return form;
  };

  before(async () => {
    h = await startHarness();
    [accounting, support] = await Promise.all([
      AdminClient.signedIn(h, 'accounting'),
      AdminClient.signedIn(h, 'support'),
    ]);
    const ok = await paidOrder(h, { amount: 150000 });
    const short = await paidOrder(h, { amount: 100000 });
    shortOrderId = short.orderId;
    for (const o of [ok, short]) await settleOutbox(h, o.orderId);
    const ref = async (o: { paymentId: string }) => (await h.deps.storage.read.getAttempt(o.paymentId))!.providerRef;
    csv = [
      HEADER,
      `${await ref(ok)},${ok.reference},sale,1500.00,AMD,succeeded,${today()}T10:00:00Z,15.00`, // matched
      `${await ref(short)},,sale,999.00,AMD,succeeded,,`, // amount_mismatch
      `NOPE-1,NOPE-1,sale,10.00,AMD,succeeded,,`, // missing_in_settle
    ].join('\n');
  });
  after(() => h.close());

  it('refuses support (403) on the page and on the upload, and creates no run', async () => {
    const page = await support.get('/admin/reconciliation');
    assert.equal(page.status, 403);
    assert.match(page.html, /data-testid="forbidden"/);
    assert.doesNotMatch(page.html, /href="\/admin\/reconciliation"/, 'not in support’s menu');
    await support.get('/admin/orders');
    const upload = await support.postMultipart('/admin/reconciliation/runs', reportForm(csv));
    assert.equal(upload.status, 403);
    assert.equal(await runCount(), 0);
    assert.equal((await support.get('/admin/reconciliation/rec_nope')).status, 403);
  });

  it('refuses an upload without its CSRF field, or with the field after the file, and creates no run', async () => {
    await accounting.get('/admin/reconciliation');
    const none = await accounting.postMultipart('/admin/reconciliation/runs', reportForm(csv), { csrf: null });
    assert.equal(none.status, 403);
    assert.match(none.html, /data-testid="csrf-refused"/);
    const late = reportForm(csv);
    late.append('_csrf', accounting.csrf);
    assert.equal((await accounting.postMultipart('/admin/reconciliation/runs', late, { csrf: null })).status, 403);
    assert.equal(
      (await accounting.postMultipart('/admin/reconciliation/runs', reportForm(csv), { csrf: 'forged-token' })).status,
      403,
    );
    assert.equal(await runCount(), 0);
  });

  it('refuses a bad date with the use case’s message and changes nothing', async () => {
    await accounting.get('/admin/reconciliation');
    const bad = await accounting.postMultipart('/admin/reconciliation/runs', reportForm(csv, { date: '2026-13-01' }));
    assert.equal(bad.status, 422);
    assert.match(bad.html, /data-code="report_date_invalid"/);
    assert.equal(await runCount(), 0);
  });

  it('lets accounting upload a report through the page, see the run with its counts, and drill into an exception', async () => {
    const page = await accounting.get('/admin/reconciliation');
    assert.equal(page.status, 200);
    assert.match(page.html, /data-testid="upload-form"/);
    assert.match(page.html, /enctype="multipart\/form-data"/);
    const posted = await accounting.postMultipart('/admin/reconciliation/runs', reportForm(csv));
    assert.equal(posted.status, 303, posted.html);
    const m = /^\/admin\/reconciliation\/([^?]+)\?notice=imported$/.exec(posted.location ?? '');
    assert.ok(m, posted.location ?? 'no location');
    const runId = m[1]!;
    const run = (await h.deps.storage.read.getRun(runId))!;
    assert.equal(run.status, 'completed');
    assert.equal(run.actor, `user:${accounting.email}`);
    assert.deepEqual(run.summary?.exceptions, { amount_mismatch: 1, missing_in_settle: 1 });

    const list = await accounting.get('/admin/reconciliation');
    assert.match(list.html, new RegExp(`data-testid="run-row" data-run-id="${runId}" data-status="completed"`));
    assert.match(list.html, /data-lines="3" data-matched="1" data-unreadable="0" data-exceptions="2"/);
    assert.match(
      list.html,
      /AMD: sales 2509\.00 AMD, refunds 0\.00 AMD, chargebacks 0\.00 AMD, fees 15\.00 AMD, <strong>net 2494\.00 AMD<\/strong>/,
    );

    const detail = await accounting.get(posted.location!);
    assert.equal(detail.status, 200);
    assert.match(detail.html, /The report was imported and reconciled\./);
    assert.match(detail.html, /data-testid="run-detail" data-status="completed"/);
    assert.match(detail.html, /data-lines="3" data-matched="1"/);
    const mismatch =
      /data-testid="exception-kind" data-kind="amount_mismatch">([^]*?)<\/section>/.exec(detail.html)?.[1] ?? '';
    assert.match(mismatch, /999\.00 AMD/);
    assert.match(mismatch, new RegExp(`href="/admin/orders/${shortOrderId}"`));
    assert.match(detail.html, /data-kind="missing_in_settle"/);
    const taskId = /data-testid="exception-row" data-task-id="([^"]+)"/.exec(mismatch)?.[1];
    assert.ok(taskId);
    const task = await accounting.get(`/admin/tasks/${taskId}`);
    assert.equal(task.status, 200);
    assert.match(task.html, /data-testid="task-detail" data-status="open"/);
    assert.match(task.html, new RegExp(`href="/admin/reconciliation/${runId}">line 3<`));
    const queue = await accounting.get(`/admin/tasks?run_id=${runId}`);
    assert.equal([...queue.html.matchAll(/data-testid="task-row"/g)].length, 2);

    // The same bytes again: recognised, the same run, nothing counted twice.
    const before = await runCount();
    const again = await accounting.postMultipart(
      '/admin/reconciliation/runs',
      reportForm(csv, { name: 'renamed.csv' }),
    );
    assert.equal(again.status, 303);
    assert.equal(again.location, `/admin/reconciliation/${runId}?notice=recognised`);
    assert.equal(await runCount(), before);
    assert.equal((await h.deps.storage.read.listTasks({ runId })).length, 2);
  });

  it('answers 404 for a run that does not exist', async () => {
    const r = await accounting.get('/admin/reconciliation/rec_nope');
    assert.equal(r.status, 404);
    assert.match(r.html, /data-code="reconciliation_run_not_found"/);
  });
});
