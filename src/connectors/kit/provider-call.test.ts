import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderUnreachable, type HttpClient, type HttpResponse } from '../../ports/http-client.js';
import { callProvider, type Reading } from './provider-call.js';

const answering = (res: Partial<HttpResponse> | Error): HttpClient => ({
  request: () =>
    res instanceof Error ? Promise.reject(res) : Promise.resolve({ status: 200, headers: {}, body: '', ...res }),
});

const call = (http: HttpClient, read: (body: string) => Reading<string>, reads?: (s: number) => boolean) =>
  callProvider(http, {
    request: { method: 'GET', url: 'https://api.example.test/secret/path' },
    provider: 'The provider',
    what: 'refund of order A-1',
    ...(reads && { reads }),
    read: (res) => read(res.body),
  });

const answer = (body: string): Reading<string> => ({ kind: 'answer', value: body });

test('an answer read is the value', async () => {
  assert.deepEqual(await call(answering({ body: 'fine' }), answer), { ok: true, value: 'fine' });
});

test('no answer at all is provider_unreachable, of unknown outcome, naming neither URL nor path', async () => {
  for (const reason of ['timeout', 'network'] as const) {
    const r = await call(answering(new ProviderUnreachable(reason, 'GET https://api.example.test: x')), answer);
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'provider_unreachable');
    assert.equal(r.error.outcome, 'unknown');
    assert.deepEqual(r.error.details, { reason });
    assert.equal(r.error.message.includes('example'), false);
  }
});

test('any other exception is a bug and is thrown', async () => {
  await assert.rejects(call(answering(new TypeError('boom')), answer), TypeError);
});

test('a 5xx is never read, even where other statuses are: provider_answer_invalid, unknown outcome', async () => {
  for (const status of [500, 502, 503]) {
    const r = await call(answering({ status, body: '{"id":"x"}' }), answer, (s) => s < 600);
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'provider_answer_invalid');
    assert.equal(r.error.outcome, 'unknown');
    assert.match(r.error.message, new RegExp(`HTTP ${status}`));
  }
});

test('a status outside what is read (default 2xx) is an answer that could not be read', async () => {
  const r = await call(answering({ status: 404 }), answer);
  assert.ok(!r.ok && r.error.code === 'provider_answer_invalid' && r.error.outcome === 'unknown');
  const read = await call(answering({ status: 404, body: 'gone' }), answer, (s) => s < 500);
  assert.deepEqual(read, { ok: true, value: 'gone' });
});

test('a refusal the connector reads is provider_error with its details; an unreadable body is unknown', async () => {
  const refused = await call(answering({ status: 200 }), () => ({
    kind: 'refused',
    message: 'No.',
    details: { errorCode: '7' },
  }));
  assert.deepEqual(refused, {
    ok: false,
    error: { code: 'provider_error', message: 'No.', outcome: 'refused', details: { errorCode: '7' } },
  });
  const unreadable = await call(answering({ status: 200 }), () => ({ kind: 'unreadable', what: 'a page' }));
  assert.ok(!unreadable.ok);
  assert.equal(unreadable.error.outcome, 'unknown');
  assert.equal(unreadable.error.message, 'The provider answered the refund of order A-1 (HTTP 200) with a page.');
  const throwing = await call(answering({ status: 200 }), () => JSON.parse('<html>') as Reading<string>);
  assert.ok(!throwing.ok && throwing.error.code === 'provider_answer_invalid');
});
