// npm run bench — runs every suite in bench/suites.ts on SQLite and then on PostgreSQL, each in a
// process of its own, prints the tables and writes them into docs/benchmarks.md.
//
//   BENCH_ONLY=reconcile          only these suites (comma-separated ids)
//   BENCH_SIZES=100000            replace the suites' sizes (a quick run; docs are then left alone)
//   BENCH_STORES=sqlite           only these stores (default: sqlite,postgres)
//   DATABASE_URL=postgres://…     the PostgreSQL server to use (default: the tests' local one);
//                                 each measurement gets a fresh database beside it, dropped after
//   BENCH_WRITE=1 / 0             write docs/benchmarks.md even on a quick run / never
//   BENCH_PROFILE=1               also take CPU profiles of the measured work (slower)
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childInput, runChild, writeChildResult } from './support/child.js';
import { updateDoc } from './support/doc.js';
import { postgresReachable, storeKindFromEnv, type StoreKind } from './support/store.js';
import { SUITES } from './suites.js';

const DOC = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
/** The PostgreSQL the tests use when DATABASE_URL names none. */
const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/test';

interface StoreRunInput {
  suites: string[];
}
interface StoreRunResult {
  blocks: { suite: string; markdown: string }[];
}

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/** A hash of every source file under src/ (tests left out): whether the code changed while the bench ran. */
function srcFingerprint(dir = SRC, hash = createHash('sha256')): string {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) srcFingerprint(p, hash);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) hash.update(p).update(readFileSync(p));
  }
  return dir === SRC ? hash.digest('hex').slice(0, 12) : '';
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function sizesFromEnv(): number[] | null {
  const raw = list(process.env.BENCH_SIZES);
  if (raw.length === 0) return null;
  const sizes = raw.map((s) => Number(s.replace(/_/g, '')));
  if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1))
    throw new Error(`BENCH_SIZES must be positive integers, got ${process.env.BENCH_SIZES}`);
  return sizes;
}

/** In the process of one store: run the suites, hand their Markdown back. */
async function storeRun(): Promise<void> {
  const { suites } = childInput<StoreRunInput>();
  const store = storeKindFromEnv();
  const blocks: StoreRunResult['blocks'] = [];
  for (const suite of SUITES.filter((s) => suites.includes(s.id))) {
    const markdown = await suite.run({
      store,
      sizes: sizesFromEnv(),
      profile: process.env.BENCH_PROFILE === '1',
      log: (m) => console.log(`${new Date().toISOString().slice(11, 19)} ${m}`),
    });
    blocks.push({ suite: suite.id, markdown });
  }
  writeChildResult({ blocks } satisfies StoreRunResult);
}

async function main(): Promise<number> {
  const only = list(process.env.BENCH_ONLY);
  const unknown = only.filter((id) => !SUITES.some((s) => s.id === id));
  if (unknown.length > 0)
    throw new Error(
      `BENCH_ONLY names no suite ${unknown.join(', ')}; there are: ${SUITES.map((s) => s.id).join(', ')}`,
    );
  const suites = SUITES.filter((s) => only.length === 0 || only.includes(s.id));
  const stores = list(process.env.BENCH_STORES ?? 'sqlite,postgres') as StoreKind[];
  const quick = sizesFromEnv() !== null;
  const write = process.env.BENCH_WRITE === '1' || (process.env.BENCH_WRITE !== '0' && !quick);
  const pgUrl = /^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL! : DEFAULT_PG;

  let failed = 0;
  for (const store of stores) {
    if (store !== 'sqlite' && store !== 'postgres')
      throw new Error(`BENCH_STORES: unknown store ${store} (sqlite, postgres)`);
    if (store === 'postgres') {
      const why = await postgresReachable(pgUrl);
      if (why) {
        console.warn(
          `\nPostgreSQL at ${pgUrl.replace(/\/\/[^@]*@/, '//…@')} does not answer (${why}): skipped. Set DATABASE_URL to a server to include it.\n`,
        );
        continue;
      }
    }
    console.log(`\n=== ${store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: ${suites.map((s) => s.id).join(', ')} ===\n`);
    const before = srcFingerprint();
    let result: StoreRunResult;
    try {
      result = await runChild<StoreRunResult>(SELF, { suites: suites.map((s) => s.id) } satisfies StoreRunInput, {
        env: { BENCH_STORE_RUN: '1', DATABASE_URL: store === 'postgres' ? pgUrl : undefined },
      });
    } catch (err) {
      console.error(`The ${store} run failed: ${err instanceof Error ? err.message : String(err)}`);
      failed += 1;
      continue;
    }
    const after = srcFingerprint();
    const changed = after !== before;
    if (changed)
      console.warn(
        `\nsrc/ changed while the ${store} run was measuring: its numbers may mix two versions of the code.\n`,
      );
    for (const block of result.blocks) {
      const suite = SUITES.find((s) => s.id === block.suite)!;
      const note = changed
        ? `> **src/ changed while this was measured** (source fingerprint ${before} → ${after}): the numbers may mix two versions of the code.\n\n`
        : `Source fingerprint ${after} (a hash of src/, to tell which code was measured).\n\n`;
      const markdown = note + block.markdown;
      console.log(`\n## ${suite.title} — ${store}\n\n${markdown}\n`);
      if (write) updateDoc(DOC, suite, store, markdown);
    }
  }
  console.log(write ? `\nWritten to ${DOC}.` : `\n${DOC} left as it is (a quick run; BENCH_WRITE=1 writes it anyway).`);
  return failed === 0 ? 0 : 1;
}

if (process.env.BENCH_STORE_RUN === '1') {
  await storeRun();
} else {
  process.exitCode = await main();
}
