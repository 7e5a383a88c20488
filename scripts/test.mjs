#!/usr/bin/env node
// Runs every *.test.ts under src/, test/ and bench/ with node:test (Node 20's runner does not expand
// globs itself). Arguments, if any, replace the file list: npm test -- test/flows/x.test.ts
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
let files = args.length > 0 ? args : [...find('src'), ...find('test'), ...find('bench')].sort();
// The browser tests drive Debian's chromium. CI installs it and sets REQUIRE_BROWSER=1, so there
// a missing browser fails the run; on a machine without it they are left out, loudly.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  const browserTests = files.filter((f) => f.includes('browser'));
  if (process.env.REQUIRE_BROWSER === '1') {
    console.error(
      `FAIL: ${chromium} is not installed, and REQUIRE_BROWSER=1 (apt-get install chromium, or set CHROMIUM_PATH)`,
    );
    process.exit(1);
  }
  if (browserTests.length > 0) {
    console.warn(
      `WARNING: ${chromium} is not installed; leaving out ${browserTests.length} browser test file(s). Install it with: apt-get install chromium`,
    );
    files = files.filter((f) => !browserTests.includes(f));
  }
}
const store = /^postgres/i.test(process.env.DATABASE_URL ?? '') ? 'PostgreSQL' : 'SQLite';
if (files.length === 0) {
  // node --test with no file would look for tests everywhere (scripts/ included): say so instead.
  console.warn('No test file left to run.');
  process.exit(0);
}
console.log(`Running ${files.length} test files on ${store}`);
// Servers in the tests log through the real redacting logger into files here, and the harness
// notes every secret it makes or sees; after the suite, every log line is scanned for them.
const logDir = mkdtempSync(join(tmpdir(), 'settle-test-logs-'));
const env = { ...process.env, SETTLE_TEST_LOG_DIR: logDir };
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env,
});
// The whole suite must give the scan something to read; a chosen few files may not log at all.
const scanEnv = { ...process.env, LOG_SCAN_EXPECT_LINES: args.length === 0 ? '1' : '0' };
const scan = spawnSync(process.execPath, ['--import', 'tsx', 'test/support/log-scan.ts', logDir], {
  stdio: 'inherit',
  env: scanEnv,
});
if (scan.status === 0) rmSync(logDir, { recursive: true, force: true });
else console.error(`The test logs are kept in ${logDir}`);
process.exit((r.status ?? 1) || (scan.status ?? 1));
