import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Leak {
  file: string;
  line: number;
  /** The secret, shortened so the report does not leak it once more. */
  secret: string;
}

const PREFIX = 8;
const shorten = (s: string) => `${s.slice(0, 4)}… (${s.length} characters)`;

/**
 * Finds every log line (any *.log in `dir`) that contains a secret noted in any *.secrets file
 * in `dir` (one a line; test/support/test-logs.ts writes both). Secrets are indexed by their
 * first 8 characters, so a line is read once whatever the number of secrets.
 */
export function scanLogs(dir: string): { leaks: Leak[]; secrets: number; lines: number } {
  const files = existsSync(dir) ? readdirSync(dir) : [];
  const bySecretPrefix = new Map<string, string[]>();
  let secrets = 0;
  for (const f of files.filter((n) => n.endsWith('.secrets'))) {
    for (const s of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (s.length < PREFIX) continue;
      const list = bySecretPrefix.get(s.slice(0, PREFIX)) ?? [];
      if (!list.includes(s)) {
        list.push(s);
        secrets++;
      }
      bySecretPrefix.set(s.slice(0, PREFIX), list);
    }
  }
  const leaks: Leak[] = [];
  let lines = 0;
  for (const f of files.filter((n) => n.endsWith('.log'))) {
    const text = readFileSync(join(dir, f), 'utf8').split('\n');
    text.forEach((line, i) => {
      lines++;
      const found = new Set<string>();
      for (let at = 0; at + PREFIX <= line.length; at++) {
        const candidates = bySecretPrefix.get(line.slice(at, at + PREFIX));
        if (!candidates) continue;
        for (const s of candidates) if (line.startsWith(s, at)) found.add(s);
      }
      for (const s of found) leaks.push({ file: join(dir, f), line: i + 1, secret: shorten(s) });
    });
  }
  return { leaks, secrets, lines };
}

// node --import tsx test/support/log-scan.ts DIR: exits 1 and names the lines when any leaked.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: log-scan.ts DIR');
    process.exit(2);
  }
  const { leaks, secrets, lines } = scanLogs(dir);
  if (leaks.length > 0) {
    console.error(`FAIL: ${leaks.length} log line(s) contain a test secret:`);
    for (const l of leaks.slice(0, 50)) console.error(`  ${l.file}:${l.line}  ${l.secret}`);
    process.exit(1);
  }
  // The whole suite always logs and notes secrets: finding none means the scan saw nothing
  // (the folder not passed on, the logger writing elsewhere), which must not pass as clean.
  if (process.env.LOG_SCAN_EXPECT_LINES === '1' && (lines === 0 || secrets === 0)) {
    console.error(`FAIL: the log scan found ${lines} log lines and ${secrets} secrets: it saw nothing to check.`);
    process.exit(1);
  }
  console.log(`Log secret scan: ${lines} log lines, ${secrets} secrets, no leak.`);
}
