import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { acquiringV1 } from '../../src/connectors/acquiring-v1/connector.js';
import type { AcquiringV1Settings } from '../../src/connectors/acquiring-v1/settings.js';
import { ok } from '../../src/domain/result.js';
import type { ReportLine } from '../../src/domain/report.js';
import type { Connector } from '../../src/ports/connector.js';
import { refused } from '../../src/ports/provider-failure.js';
import { runDailyReconciliation } from '../../src/worker/daily-reconciliation.js';
import { sandboxSettings, startHarness, type Harness } from '../support/harness.js';

// A provider that publishes its daily report at {api_base_url}/reports/{date} in its own format
// (JSON lines), served by a real HTTP server on 127.0.0.1: the connector fetches and parses it.
const reports = new Map<string, string>();
const server = createServer((req, res) => {
  const date = /^\/reports\/(\d{4}-\d{2}-\d{2})$/.exec(req.url ?? '')?.[1];
  const body = date && reports.get(date);
  res.writeHead(body ? 200 : 404, { 'content-type': 'application/x-ndjson' }).end(body ?? '');
});

const reporting: Connector<AcquiringV1Settings> = {
  ...acquiringV1,
  id: 'test-reporting',
  title: 'Test provider that publishes daily reports',
  async fetchReport(settings, input, ctx) {
    const res = await ctx.http.request({
      method: 'GET',
      url: `${settings.apiBaseUrl}/reports/${input.date}`,
      headers: {},
      timeoutMs: 2000,
    });
    return res.status === 200
      ? ok({ name: `${input.date}.ndjson`, body: res.bytes ?? Buffer.from(res.body) })
      : refused(`no report for ${input.date} (HTTP ${res.status})`);
  },
  async *parseReport(input) {
    let text = '';
    for await (const chunk of input) text += Buffer.from(chunk).toString('utf8');
    const lines: ReportLine[] = text
      .split('\n')
      .filter(Boolean)
      .map((l, i) => {
        const j = JSON.parse(l) as { txn: string; cents: number; cur: string };
        return {
          lineNo: i + 1,
          providerRef: j.txn,
          orderReference: null,
          type: 'sale',
          amount: j.cents,
          currency: j.cur,
          status: 'succeeded',
          at: null,
          fee: 0,
        };
      });
    yield { lines, errors: [] };
  },
};

let h: Harness;
let methodId: string;
before(async () => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  h = await startHarness({ extraConnectors: [reporting] });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pm = await h.api(
    'POST',
    '/v1/payment-methods',
    { name: 'Reporting provider', connector: 'test-reporting', settings: sandboxSettings(url) },
    { key: h.adminKey },
  );
  assert.equal(pm.status, 201, JSON.stringify(pm.body));
  methodId = pm.body.id;
});
after(async () => {
  await h.close();
  server.close();
});

test("the daily run fetches each connector's own report, parses it with the connector, and a second run counts nothing twice", async () => {
  reports.set('2026-11-22', `${JSON.stringify({ txn: 'UNKNOWN-1', cents: 1000, cur: 'AMD' })}\n`);
  const first = await runDailyReconciliation(h.deps, '2026-11-22');
  assert.equal(first?.length, 1, 'only the method whose connector fetches reports');
  assert.deepEqual([first![0]!.paymentMethodId, first![0]!.status], [methodId, 'completed']);
  const run = await h.store.storage.read.getRun(first![0]!.runId!);
  assert.deepEqual(
    [run?.via, run?.summary?.lines, run?.summary?.exceptions],
    ['schedule', 1, { missing_in_settle: 1 }],
  );
  const again = await runDailyReconciliation(h.deps, '2026-11-22');
  assert.deepEqual([again![0]!.status, again![0]!.runId], ['recognised', run!.id]);
  const none = await runDailyReconciliation(h.deps, '2026-11-21');
  assert.equal(none![0]!.status, 'no_report');
});
