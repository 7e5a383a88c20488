import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { ProviderUnreachable } from '../ports/http-client.js';
import { createHttpClient } from './http-client.js';

async function serve(handler: http.RequestListener) {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

test('every HTTP answer is a value: status, lower-cased headers, body text; redirects are not followed', async () => {
  const seen: { method?: string; body: string; type?: string }[] = [];
  const s = await serve((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, body, type: req.headers['content-type'] });
      if (req.url === '/moved') return res.writeHead(302, { Location: '/elsewhere' }).end();
      res.writeHead(418, { 'X-Thing': 'A', 'Set-Cookie': ['a=1', 'b=2'] }).end('teapot');
    });
  });
  try {
    const client = createHttpClient();
    const r = await client.request({
      method: 'POST',
      url: `${s.base}/x?y=1`,
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    assert.equal(r.status, 418);
    assert.equal(r.body, 'teapot');
    assert.equal(r.headers['x-thing'], 'A');
    assert.equal(r.headers['set-cookie'], 'a=1, b=2');
    assert.deepEqual(seen[0], { method: 'POST', body: 'hello', type: 'text/plain' });
    const moved = await client.request({ method: 'GET', url: `${s.base}/moved` });
    assert.equal(moved.status, 302);
    assert.equal(seen.length, 2);
  } finally {
    await s.close();
  }
});

test('a slow answer is ProviderUnreachable(timeout); the message has no path or query', async () => {
  const s = await serve((_req, res) => {
    const t = setTimeout(() => res.end('late'), 2000);
    res.on('close', () => clearTimeout(t));
  });
  try {
    const client = createHttpClient({ defaultTimeoutMs: 2000 });
    const err = await client.request({ method: 'GET', url: `${s.base}/api/v1/x?sig=SECRETSIG`, timeoutMs: 100 }).then(
      () => assert.fail('expected a timeout'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ProviderUnreachable);
    assert.equal(err.reason, 'timeout');
    assert.equal(err.message.includes('SECRETSIG'), false);
    assert.ok(err.message.startsWith(`GET ${s.base}:`), err.message);
    assert.equal(err.message.includes('/api/v1/x'), false, 'paths may carry signatures');

    const quick = createHttpClient({ defaultTimeoutMs: 100 });
    await assert.rejects(
      quick.request({ method: 'GET', url: s.base }),
      (e: unknown) => e instanceof ProviderUnreachable && e.reason === 'timeout',
    );
  } finally {
    await s.close();
  }
});

test('a refused connection is ProviderUnreachable(network) with its code; the body is not in the message', async () => {
  const s = await serve((_req, res) => res.end());
  const base = s.base;
  await s.close();
  const err = await createHttpClient()
    .request({ method: 'POST', url: `${base}/cb?hash=abc`, body: 'private=1' })
    .then(
      () => assert.fail('expected a network error'),
      (e: unknown) => e,
    );
  assert.ok(err instanceof ProviderUnreachable);
  assert.equal(err.reason, 'network');
  assert.equal(err.code, 'ECONNREFUSED');
  assert.equal(err.message, `POST ${base}: network error (ECONNREFUSED)`);
});

test('an invalid URL is a bug, reported without the URL', async () => {
  await assert.rejects(createHttpClient().request({ method: 'GET', url: 'not a url?sig=SECRETSIG' }), (e: unknown) => {
    return e instanceof TypeError && !String(e.message).includes('SECRETSIG');
  });
});
