import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { buildServer } from '../../src/server.js';
import { compose } from '../../src/main.js';
import { freshStore } from '../support/store.js';

test('client errors raised inside Fastify keep their 4xx status and the one error shape; a bug is a 500 without details', async () => {
  const store = await freshStore();
  const { deps } = compose(
    { databaseUrl: store.url, masterKey: randomBytes(32), publicUrl: 'http://127.0.0.1' },
    { storage: store.storage },
  );
  const app = await buildServer(deps, { logger: false });
  app.get('/t/client', async () => {
    throw Object.assign(new Error('not acceptable'), { statusCode: 406 });
  });
  app.get('/t/bug', async () => {
    throw new Error('secret internals: password=hunter2');
  });
  try {
    const client = await app.inject({ method: 'GET', url: '/t/client' });
    assert.equal(client.statusCode, 406);
    assert.deepEqual(JSON.parse(client.body), {
      statusCode: 406,
      code: 'invalid_request',
      error: 'Not Acceptable',
      message: 'The request could not be handled as sent.',
    });
    const bug = await app.inject({ method: 'GET', url: '/t/bug' });
    assert.equal(bug.statusCode, 500);
    assert.equal(JSON.parse(bug.body).code, 'internal_error');
    assert.equal(bug.body.includes('hunter2'), false, 'an exception message never reaches the client');
  } finally {
    await app.close();
    await store.drop();
  }
});
