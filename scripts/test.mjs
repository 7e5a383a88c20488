#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node:test (Node 20's runner does not expand
// globs itself). Arguments, if any, replace the file list: npm test -- test/flows/x.test.ts
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
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
const files = args.length > 0 ? args : [...find('src'), ...find('test')].sort();
const store = /^postgres/i.test(process.env.DATABASE_URL ?? '') ? 'PostgreSQL' : 'SQLite';
console.log(`Running ${files.length} test files on ${store}`);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
