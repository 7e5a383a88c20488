import { appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { createLogger } from '../../src/adapters/logger.js';

// Every server the harness starts logs through the real redacting logger into one file per test
// process, and every secret the harness makes or sees is noted in a sidecar file beside it.
// scripts/test.mjs points SETTLE_TEST_LOG_DIR at a fresh folder, and after the suite scans every
// log line of every process for every noted secret (test/support/log-scan.ts).
export const TEST_LOG_DIR = process.env.SETTLE_TEST_LOG_DIR ?? join(tmpdir(), 'settle-test-logs');
export const TEST_LOG_FILE = join(TEST_LOG_DIR, `${process.pid}.log`);
const SECRETS_FILE = join(TEST_LOG_DIR, `${process.pid}.secrets`);

let logger: Logger | undefined;
/** The process's test logger: level debug, synchronous writes (nothing lost when a test process ends). */
export function testLogger(): Logger {
  if (!logger) {
    mkdirSync(TEST_LOG_DIR, { recursive: true });
    logger = createLogger({
      level: 'debug',
      destination: pino.destination({ dest: TEST_LOG_FILE, sync: true, append: true }),
    });
  }
  return logger;
}

const noted = new Set<string>();
/** Remembers secrets for the scan. Short values are left out: they would match by chance. */
export function noteSecret(...values: (string | Buffer | null | undefined)[]): void {
  const lines: string[] = [];
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const forms = Buffer.isBuffer(v)
      ? [v.toString('hex'), v.toString('base64'), v.toString('base64url')]
      : [v, encodeURIComponent(v)];
    for (const s of forms) {
      if (s.length < 8 || s.includes('\n') || s.includes('***') || noted.has(s)) continue;
      noted.add(s);
      lines.push(s);
    }
  }
  if (lines.length === 0) return;
  mkdirSync(TEST_LOG_DIR, { recursive: true });
  appendFileSync(SECRETS_FILE, lines.map((l) => `${l}\n`).join(''));
}

const SECRET_FIELDS = new Set([
  'key',
  'api_key',
  'order_key',
  'secret',
  'private_key',
  'password',
  'token',
  'master_key',
]);
/** Notes the secrets in a request or answer body: secret-named fields, and pay-by-link tokens in URLs. */
export function noteSecretsIn(value: unknown, depth = 0): void {
  if (depth > 8 || value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') {
      if (SECRET_FIELDS.has(k)) noteSecret(v);
      const link = /\/pay\/([A-Za-z0-9_-]{16,})/.exec(v);
      if (link) noteSecret(link[1]);
    } else {
      noteSecretsIn(v, depth + 1);
    }
  }
}
