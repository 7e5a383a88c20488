import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { acquiringV1 } from '../../src/connectors/acquiring-v1/connector.js';
import type { AcquiringV1Settings } from '../../src/connectors/acquiring-v1/settings.js';
import type { Connector, RawRequest } from '../../src/ports/connector.js';
import { sandboxSettings, startHarness, type Harness } from '../support/harness.js';

// A provider that posts each kind of notice to its own address (as CloudPayments does), built on
// the seed's protocol: it keeps what the route handed it, so the test sees the sub-path and peer.
const seen: RawRequest[] = [];
const byKind: Connector<AcquiringV1Settings> = {
  ...acquiringV1,
  id: 'test-kinds',
  title: 'Test provider with a callback address per kind',
  callbackKinds: ['check', 'pay'],
  parseCallback(settings, req) {
    seen.push(req);
    return acquiringV1.parseCallback(settings, req);
  },
};

let h: Harness;
let kindsMethod: string;
before(async () => {
  h = await startHarness({ extraConnectors: [byKind] });
  const pm = await h.api(
    'POST',
    '/v1/payment-methods',
    { name: 'Kinds', connector: 'test-kinds', settings: sandboxSettings(h.sandbox.url) },
    { key: h.adminKey },
  );
  assert.equal(pm.status, 201, JSON.stringify(pm.body));
  kindsMethod = pm.body.id;
});
after(async () => {
  await h.close();
});

const post = (path: string) =>
  fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
const logged = async (methodId: string) =>
  (await h.api('GET', `/v1/callbacks?payment_method_id=${methodId}`, undefined, { key: h.adminKey })).body.data
    .length as number;

test('a kind the connector names reaches it as the sub-path, with the peer address from the socket', async () => {
  seen.length = 0;
  const a = await fetch(`${h.url}/callbacks/${kindsMethod}/pay`, {
    method: 'POST',
    // A forwarding header is not trusted: the address is the socket's.
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '185.71.76.1' },
    body: '{}',
  });
  assert.equal(a.status, 400);
  assert.equal(((await a.json()) as { code: string }).code, 'callback_malformed');
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.subpath, 'pay');
  assert.match(seen[0]!.remoteAddress ?? '', /^(::ffff:)?127\.0\.0\.1$/);
  // The route itself carries no sub-path.
  await post(`/callbacks/${kindsMethod}`);
  assert.equal(seen[1]!.subpath, undefined);
});

test('a sub-path the connector does not name is a 404 and nothing is read or logged', async () => {
  const before = await logged(h.paymentMethodId);
  seen.length = 0;
  for (const path of [`/callbacks/${h.paymentMethodId}/pay`, `/callbacks/${kindsMethod}/refund`]) {
    const a = await post(path);
    assert.equal(a.status, 404, path);
    assert.equal(((await a.json()) as { code: string }).code, 'not_found', path);
  }
  assert.equal(seen.length, 0);
  assert.equal(await logged(h.paymentMethodId), before);
  // A kind that is not a plain lower-case word never reaches the connector.
  for (const kind of ['Pay', '1pay', 'p'.repeat(40), 'pay%2F..']) {
    const a = await post(`/callbacks/${kindsMethod}/${kind}`);
    assert.ok(a.status === 400 || a.status === 404, `${kind}: ${a.status}`);
  }
  assert.equal(seen.length, 0);
});
