// A provider with what the seed acquirer lacks: a refund call and dispute notices. It speaks
// acquiring-v1 for payments (same settings, same signed callbacks) and adds, over real HTTP on
// 127.0.0.1, POST {api_base_url}/refunds with an Idempotency-Key, and signed dispute callbacks
// {"order_id","dispute_id","amount","reason_code","status","hash"} where
// hash = md5(key;order_id;dispute_id;status). It exercises Settle's generic refund and chargeback
// paths the way a second real connector would.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acquiringV1 } from '../../src/connectors/acquiring-v1/connector.js';
import type { AcquiringV1Settings } from '../../src/connectors/acquiring-v1/settings.js';
import { callProvider } from '../../src/connectors/kit/provider-call.js';
import { fail, ok } from '../../src/domain/result.js';
import type { Connector } from '../../src/ports/connector.js';

export const REFUNDING_CONNECTOR_ID = 'test-refunding';

export const refundingConnector: Connector<AcquiringV1Settings> = {
  ...acquiringV1,
  id: REFUNDING_CONNECTOR_ID,
  title: 'Test provider with refunds and disputes',
  parseCallback(settings, req) {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      return acquiringV1.parseCallback(settings, req);
    }
    if (typeof body.dispute_id !== 'string') return acquiringV1.parseCallback(settings, req);
    const { order_id, dispute_id, amount, reason_code, status, hash } = body;
    if (
      typeof order_id !== 'string' ||
      typeof status !== 'string' ||
      typeof hash !== 'string' ||
      !Number.isSafeInteger(amount) ||
      typeof reason_code !== 'string'
    ) {
      return fail('callback_malformed', 'The dispute notice is malformed.');
    }
    if (hash !== md5(`${settings.privateKey.reveal()};${order_id};${dispute_id};${status}`))
      return fail('callback_signature_invalid', 'The dispute notice signature does not match.');
    if (status !== 'opened' && status !== 'won' && status !== 'lost')
      return fail('callback_malformed', 'Unknown dispute status.');
    return ok({
      kind: 'chargeback',
      providerRef: order_id,
      providerStatus: `dispute:${status}`,
      chargeback: { ref: dispute_id, amount: amount as number, reasonCode: reason_code, status },
    });
  },
  // Through the kit's provider call, as a real connector's refund: a gateway's 5xx says nothing
  // of whether the refund was made, no answer neither; a 4xx with a message is a refusal.
  async refund(settings, input, ctx) {
    return callProvider(ctx.http, {
      request: {
        method: 'POST',
        url: `${settings.apiBaseUrl}/refunds`,
        headers: { 'content-type': 'application/json', 'idempotency-key': input.refundId },
        body: JSON.stringify({ order_id: input.payment.providerRef, amount: input.amount }),
        timeoutMs: 1000,
      },
      provider: 'The provider',
      what: 'refund',
      reads: (status) => status < 500,
      read(res) {
        const answer = JSON.parse(res.body) as { id?: string; message?: string };
        if (res.status === 200 && answer.id)
          return { kind: 'answer', value: { status: 'succeeded' as const, providerRef: answer.id } };
        return { kind: 'refused', message: answer.message ?? `HTTP ${res.status}` };
      },
    });
  },
};

export const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** The provider's refund API: dedupes by Idempotency-Key, can refuse, hold answers past the client's timeout, or make the refund and answer 502. */
export async function startRefundApi() {
  const refunds = new Map<string, { id: string; order_id: string; amount: number }>();
  const switches = { refuse: false, holdMs: 0, gatewayError: false };
  let calls = 0;
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      // Only the refund call lives here (a status check of acquiring-v1 goes elsewhere and finds nothing).
      if (!req.url?.endsWith('/refunds')) return res.writeHead(404).end();
      calls += 1;
      const key = String(req.headers['idempotency-key']);
      const body = JSON.parse(text) as { order_id: string; amount: number };
      const answer = () => {
        if (switches.refuse) return res.writeHead(422).end(JSON.stringify({ message: 'The card account is closed.' }));
        const existing = refunds.get(key) ?? { id: `RF-${refunds.size + 1}`, ...body };
        refunds.set(key, existing);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(existing));
      };
      if (switches.gatewayError) {
        // The refund is made behind a gateway that then answers 502 with a page.
        if (!refunds.has(key)) refunds.set(key, { id: `RF-${refunds.size + 1}`, ...body });
        return res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502 Bad Gateway</h1>');
      }
      if (switches.holdMs > 0) {
        // The refund is made, but the answer comes too late: the client sees no answer.
        const existing = refunds.get(key) ?? { id: `RF-${refunds.size + 1}`, ...body };
        refunds.set(key, existing);
        setTimeout(answer, switches.holdMs);
      } else answer();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    refunds: () => [...refunds.values()],
    calls: () => calls,
    setSwitches: (s: Partial<typeof switches>) => Object.assign(switches, s),
    close: () => new Promise<void>((done) => server.close(() => done())).then(() => undefined),
  };
}
