import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { createLogger } from '../../src/adapters/logger.js';
import { scanLogs } from '../support/log-scan.js';

// scripts/test.mjs scans every log line the suite wrote for every secret the harness noted
// (test/support/test-logs.ts). These tests prove the scan finds a planted secret.

test('the log scan flags a line that carries a noted secret, and only that line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'settle-scan-'));
  try {
    const secret = 'stl_planted0secret0value0123456789';
    writeFileSync(join(dir, '1.secrets'), `${secret}\nok_another-secret-0000\n`);
    writeFileSync(
      join(dir, '1.log'),
      ['{"msg":"clean line"}', `{"msg":"oops","key":"${secret}"}`, '{"msg":"also clean stl_planted"}'].join('\n'),
    );
    writeFileSync(join(dir, '2.log'), `{"url":"/x?k=${secret}&y=1"}\n`);
    const { leaks, secrets } = scanLogs(dir);
    assert.equal(secrets, 2);
    assert.deepEqual(
      leaks.map((l) => [l.file.endsWith('1.log') ? 1 : 2, l.line]),
      [
        [1, 2],
        [2, 1],
      ],
    );
    assert.ok(
      leaks.every((l) => !l.secret.includes(secret)),
      'the report does not repeat the secret',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the log scan sees through the real logger: redacted fields pass, a secret in a message is caught', () => {
  const dir = mkdtempSync(join(tmpdir(), 'settle-scan-'));
  try {
    const secret = 'test-private-key-planted-4242';
    writeFileSync(join(dir, '9.secrets'), `${secret}\n`);
    const logger = createLogger({
      level: 'debug',
      destination: pino.destination({ dest: join(dir, '9.log'), sync: true }),
    });
    logger.info(
      {
        settings: { private_key: secret },
        password: secret,
        req: { url: `/v1/public/orders/${secret}?sig=${secret}` },
      },
      'redacted',
    );
    assert.equal(scanLogs(dir).leaks.length, 0, 'redaction and URL masking keep it out');
    logger.warn(`a careless message with ${secret}`);
    const { leaks } = scanLogs(dir);
    assert.equal(leaks.length, 1);
    assert.equal(leaks[0]!.line, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
