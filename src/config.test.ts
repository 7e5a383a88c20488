import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from './config.js';

// A master key in the environment, so no key file is written.
const env = { SETTLE_MASTER_KEY: 'ab'.repeat(32) };

test('IDEMPOTENCY_KEY_RETENTION_HOURS: seven days unless set; under a day is refused at start', () => {
  assert.equal(loadConfig(env).janitor.idempotencyRetentionMs, 7 * 86_400_000);
  assert.equal(
    loadConfig({ ...env, IDEMPOTENCY_KEY_RETENTION_HOURS: '48' }).janitor.idempotencyRetentionMs,
    48 * 3_600_000,
  );
  assert.throws(
    () => loadConfig({ ...env, IDEMPOTENCY_KEY_RETENTION_HOURS: '23' }),
    /IDEMPOTENCY_KEY_RETENTION_HOURS must be at least 24/,
  );
  assert.throws(
    () => loadConfig({ ...env, IDEMPOTENCY_KEY_RETENTION_HOURS: 'a week' }),
    /IDEMPOTENCY_KEY_RETENTION_HOURS must be a whole number/,
  );
});

test('LOG_FORMAT: auto unless set (readable lines in a terminal, JSON otherwise); anything else is refused', () => {
  assert.equal(loadConfig(env).logFormat, 'auto');
  assert.equal(loadConfig({ ...env, LOG_FORMAT: 'json' }).logFormat, 'json');
  assert.equal(loadConfig({ ...env, LOG_FORMAT: 'pretty' }).logFormat, 'pretty');
  assert.throws(() => loadConfig({ ...env, LOG_FORMAT: 'xml' }), /LOG_FORMAT must be auto, json or pretty/);
});
