import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createPaymentMethod } from '../../src/app/payment-methods.js';
import { DEFAULT_CSV_MAPPING } from '../../src/domain/report.js';
import { compose } from '../../src/main.js';
import { runChild } from '../support/child.js';
import { profileMarkdown, summariseProfiles } from '../support/cpu-profile.js';
import { int, machineInfo, machineLine, mb, pct, ratio, secs, table } from '../support/format.js';
import { freshBenchStore, storeVersion } from '../support/store.js';
import type { Suite, SuiteContext } from '../support/suite.js';
import type { StatementStat } from '../support/trace-driver.js';
import { expectedCounts, seedOrders, writeReport } from './data.js';
import type { ImportInput, ImportResult } from './import-child.js';
import type { ReadInput, ReadResult } from './read-child.js';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const READ_CHILD = here('./read-child.ts');
const IMPORT_CHILD = here('./import-child.ts');

const SIZES = [100_000, 1_000_000];
const REPORT_DATE = '2025-05-15';
/** The batch the reference reads in: the reader's default, which the import uses too. */
const BATCH_SIZE = 1000;

/**
 * The target, kept here and nowhere else (never in tests): memory that does not grow with the
 * file. The import's peak heap at the largest size may be at most this many times its peak at
 * the smallest, plus a little slack for noise.
 */
const MEMORY_GROWTH_MAX = 2;
const MEMORY_SLACK = 16 * 1024 * 1024;

interface SizeResult {
  n: number;
  fileBytes: number;
  seedMs: number;
  csvMs: number;
  hash: ReadResult;
  csv: ReadResult;
  /** The other of the two reference runs (before and after the import): how steady the reference is. */
  csvOtherMs: number;
  imp: ImportResult | null;
  profile: string | null;
}

const ABOUT = `The import of a provider's daily report (\`importReport\`, src/app/reconcile.ts) reads the CSV as
a stream in batches, so its memory should not grow with the file. Each size gets a fresh
database seeded with that many paid orders (one succeeded payment each, all on the report's
day) and a report with one \`sale\` line per order, of which 0.1% are wrong on purpose: 0.05%
carry 1.00 more than Settle has (\`amount_mismatch\`) and 0.05% name a reference Settle never
made (\`missing_in_settle\`, which also leaves that order \`missing_in_report\`).

How to read the tables:

- **csv-parse alone** is the reference, measured in the same run on the same file: the file
  streamed through \`readReportBatches\` (csv-parse plus reading each record into a report
  line, in batches of ${int(BATCH_SIZE)}) and counted, nothing else. It runs once before and once after the import;
  the faster run is shown. **import ÷ csv-parse** is the import's time over the reference's, so
  a slower or faster machine moves both: compare ratios across machines, not seconds.
- **import** is \`importReport\` alone, from the call until it returns a finished run, with the
  report already hashed (the hash, a separate pass over the file, is in the details).
- Memory is measured in a fresh process for each measurement: **peak heap** is the highest
  \`heapUsed\` and **peak RSS** the highest resident set size, both above a baseline taken after
  a full GC just before the work started (sampled every 25 ms; RSS also from the process's
  high-water mark). Flat memory shows as peaks that stay about the same when the file grows 10×.
- The details break the import down: its phases, the calls it made through the storage port
  (counted by a thin wrapper; calls queued behind one another count their wait too) and the SQL
  statements at the driver (better-sqlite3 / pg, timed in the measuring process). Memory is also
  sampled at every storage call, because with SQLite the event loop is too busy for the timer.
- Targets live here only, never in the tests: the import's peak heap at the largest size may be at
  most ${MEMORY_GROWTH_MAX}× the smallest's (+${MEMORY_SLACK / 1024 / 1024} MB).`;

async function measureSize(ctx: SuiteContext, n: number): Promise<SizeResult> {
  const log = (m: string) => ctx.log(`[reconcile ${ctx.store} ${int(n)}] ${m}`);
  const dir = mkdtempSync(join(tmpdir(), 'settle-bench-report-'));
  const csvPath = join(dir, `report-${n}.csv`);
  const store = await freshBenchStore();
  try {
    const masterKey = randomBytes(32);
    const { deps } = compose(
      { databaseUrl: store.url, masterKey, publicUrl: 'http://127.0.0.1:9' },
      { storage: store.storage, fiscal: null },
    );
    const pm = await createPaymentMethod(deps, {
      name: 'Bench acquirer',
      connector: 'acquiring-v1',
      // Nothing calls the acquirer during a reconciliation; the URLs only have to be valid.
      settings: {
        shop_id: 'bench-shop',
        private_key: 'bench-private-key',
        payment_page_url: 'http://127.0.0.1:9/p/[ShopID]/[OrderID]/[Amount]/[Hash]',
        api_base_url: 'http://127.0.0.1:9',
      },
      report_mapping: DEFAULT_CSV_MAPPING,
    });
    if (!pm.ok) throw new Error(`payment method: ${pm.error.message}`);
    // The children open their own connections; this process only seeds on its own connection.
    await store.storage.close();

    log('seeding orders…');
    let t = performance.now();
    let lastLog = t;
    await seedOrders(store, pm.value.id, REPORT_DATE, n, (done) => {
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(`  ${int(done)} orders`);
      }
    });
    const seedMs = performance.now() - t;
    log(`seeded in ${secs(seedMs)} (${int(n / (seedMs / 1000))} orders/s)`);

    t = performance.now();
    const fileBytes = await writeReport(csvPath, REPORT_DATE, n);
    const csvMs = performance.now() - t;
    log(`report written: ${mb(fileBytes)} in ${secs(csvMs)}`);

    const read = (mode: ReadInput['mode']) =>
      runChild<ReadResult>(READ_CHILD, { mode, path: csvPath, batchSize: BATCH_SIZE } satisfies ReadInput);
    const hash = await read('hash');
    const csv1 = await read('csv');
    log(`csv-parse alone: ${secs(csv1.m.wallMs)}, ${int(csv1.lines)} lines`);

    let imp: ImportResult | null = null;
    let profile: string | null = null;
    {
      const profDir = ctx.profile ? mkdtempSync(join(tmpdir(), 'settle-bench-prof-')) : null;
      log(`importing…${profDir ? ' (with a CPU profile: times are slower than usual)' : ''}`);
      imp = await runChild<ImportResult>(
        IMPORT_CHILD,
        {
          url: store.url,
          masterKeyHex: masterKey.toString('hex'),
          paymentMethodId: pm.value.id,
          date: REPORT_DATE,
          path: csvPath,
        } satisfies ImportInput,
        { nodeFlags: profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [] },
      );
      if (profDir) {
        profile = profileMarkdown(summariseProfiles(profDir));
        rmSync(profDir, { recursive: true, force: true });
        console.log(`\nCPU profile of the import, ${int(n)} lines, ${ctx.store}:\n\n${profile}\n`);
      }
      log(imp.ok ? `import: ${secs(imp.m.wallMs)}, run ${imp.runStatus}` : `import failed: ${imp.error}`);
    }
    const csv2 = await read('csv');
    log(`csv-parse alone again: ${secs(csv2.m.wallMs)}`);
    const [csv, other] = csv1.m.wallMs <= csv2.m.wallMs ? [csv1, csv2] : [csv2, csv1];
    return { n, fileBytes, seedMs, csvMs, hash, csv, csvOtherMs: other.m.wallMs, imp, profile };
  } finally {
    await store.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const perSec = (n: number, ms: number) => int(n / (ms / 1000));

function countsAgree(r: SizeResult): string {
  const c = r.imp?.counts;
  if (!c) return '—';
  const want = expectedCounts(r.n);
  const got = {
    matched: c.matched,
    amount_mismatch: c.exceptions.amount_mismatch ?? 0,
    missing_in_settle: c.exceptions.missing_in_settle ?? 0,
    missing_in_report: c.exceptions.missing_in_report ?? 0,
  };
  const off = (Object.keys(want) as (keyof typeof want)[])
    .filter((k) => want[k] !== got[k])
    .map((k) => `${k} ${int(got[k])}, expected ${int(want[k])}`);
  return off.length === 0 && c.lines === r.n && c.unreadable === 0
    ? 'yes'
    : `no: ${off.join('; ') || `lines ${c.lines}, unreadable ${c.unreadable}`}`;
}

/** Time spent in SQL at the driver (SQLite: the database's own work, compiling included; PostgreSQL: round trips). */
function sqlMs(imp: ImportResult): number {
  return Object.values(imp.driver.statements).reduce((s, v) => s + v.ms, 0) + imp.driver.prepare.ms;
}

/**
 * The import's phases, from when importReport first made each phase's first storage call: the
 * report's lines (read, matched, written in batches), then missing_in_report, the internal
 * checks, and the summary. Empty when the calls are not the ones this bench knows.
 */
function phases(imp: ImportResult): { name: string; ms: number }[] {
  const at = (m: string) => imp.trace.methods[m]?.firstAt;
  const marks = [
    { name: 'report lines (read, match, write; batches of 1,000)', at: 0 },
    { name: 'missing_in_report (payments of the day no line named)', at: at('read.listUnreportedPayments') },
    { name: 'internal checks (every order changed that day)', at: at('read.listOrdersChangedBetween') },
    { name: 'summary', at: at('read.reportLineTotals') },
  ];
  if (marks.some((x) => x.at === undefined)) return [];
  const times = marks.map((x) => x.at!);
  if (times.some((t, i) => i > 0 && t < times[i - 1]!)) return [];
  return marks.map((x, i) => ({ name: x.name, ms: (times[i + 1] ?? imp.m.wallMs) - times[i]! }));
}

const perCall = (ms: number, calls: number) => `${(ms / Math.max(1, calls)).toFixed(2)} ms`;

function render(results: SizeResult[], storeLabel: string): string {
  const out: string[] = [machineLine(machineInfo(), storeLabel), ''];
  out.push(
    table(
      [
        'lines',
        'file',
        'csv-parse alone',
        'lines/s',
        'peak heap',
        'peak RSS',
        'import',
        'lines/s',
        'peak heap',
        'peak RSS',
        'import ÷ csv-parse',
      ],
      results.map((r) => {
        const i = r.imp;
        return [
          int(r.n),
          mb(r.fileBytes),
          secs(r.csv.m.wallMs),
          perSec(r.n, r.csv.m.wallMs),
          mb(r.csv.m.peakHeapAboveBaseline),
          mb(r.csv.m.peakRssAboveBaseline),
          i ? (i.ok ? secs(i.m.wallMs) : 'failed') : 'not run',
          i?.ok ? perSec(r.n, i.m.wallMs) : '—',
          i ? mb(i.m.peakHeapAboveBaseline) : '—',
          i ? mb(i.m.peakRssAboveBaseline) : '—',
          i?.ok ? ratio(i.m.wallMs / r.csv.m.wallMs) : '—',
        ];
      }),
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  );

  const measured = results.filter((r) => r.imp?.ok);
  if (measured.length >= 2) {
    const small = measured[0]!;
    const large = measured.at(-1)!;
    const heapS = small.imp!.m.peakHeapAboveBaseline;
    const heapL = large.imp!.m.peakHeapAboveBaseline;
    const met = heapL <= MEMORY_GROWTH_MAX * heapS + MEMORY_SLACK;
    out.push(
      '',
      `Memory against file size: ${ratio(large.n / small.n)} the lines → import peak heap ${ratio(heapL / heapS)}, peak RSS ${ratio(large.imp!.m.peakRssAboveBaseline / small.imp!.m.peakRssAboveBaseline)}. ` +
        `Target (peak heap at ${int(large.n)} ≤ ${MEMORY_GROWTH_MAX}× the peak at ${int(small.n)} + ${MEMORY_SLACK / 1024 / 1024} MB): **${met ? 'met' : 'not met'}**.`,
    );
  }

  out.push('', '<details><summary>Details: seeding, counts, CPU, phases, database time, heap over time</summary>', '');
  out.push(
    table(
      [
        'lines',
        'seed',
        'hash (sha-256)',
        'csv-parse, other run',
        'run',
        'matched',
        'exceptions',
        'counts as expected',
        'import CPU',
        'event loop busy',
        'SQL share',
        'heap retained',
      ],
      results.map((r) => {
        const i = r.imp;
        const ex = i?.counts
          ? Object.entries(i.counts.exceptions)
              .filter(([, v]) => v > 0)
              .map(([k, v]) => `${k} ${int(v)}`)
              .join(', ') || 'none'
          : '—';
        return [
          int(r.n),
          `${secs(r.seedMs)} (${perSec(r.n, r.seedMs)}/s)`,
          secs(r.hash.m.wallMs),
          secs(r.csvOtherMs),
          i ? (i.ok ? `${i.runStatus}${i.recognised ? ' (recognised)' : ''}` : `failed: ${i.error}`) : '—',
          i?.counts ? int(i.counts.matched) : '—',
          ex,
          countsAgree(r),
          i ? secs(i.m.cpuMs) : '—',
          i ? pct(i.m.eventLoopUtilization) : '—',
          i ? pct(sqlMs(i) / i.m.wallMs) : '—',
          i ? mb(i.m.retainedHeapAboveBaseline) : '—',
        ];
      }),
      ['r', 'r', 'r', 'r', 'l', 'r', 'l', 'l', 'r', 'r', 'r', 'r'],
    ),
  );
  out.push(
    '',
    "*SQL share*: time inside SQL statements at the driver over the import's wall time. *Heap retained*: heapUsed after a full GC once the import returned, above the baseline.",
  );

  for (const r of results) {
    const i = r.imp;
    if (!i) continue;
    out.push('', `#### ${int(r.n)} lines`, '');
    out.push(
      `Import heap above baseline, highest in each tenth of its time: ${i.m.heapProfile.map((b) => (Number.isNaN(b) ? '—' : mb(b).replace(' MB', ''))).join(' · ')} MB (${int(i.m.samples)} samples).`,
    );
    if (Object.keys(i.rowsWritten).length > 0)
      out.push(
        `Rows written: ${Object.entries(i.rowsWritten)
          .map(([t, d]) => `${t} ${int(d)}`)
          .join(', ')}.`,
      );
    const ph = phases(i);
    if (ph.length > 0) {
      out.push(
        '',
        table(
          ['phase', 'time', 'of import'],
          ph.map((p) => [p.name, secs(p.ms), pct(p.ms / i.m.wallMs)]),
          ['l', 'r', 'r'],
        ),
      );
    }
    const calls = Object.entries(i.trace.methods)
      .filter(([, v]) => v.calls > 0)
      .sort(([, a], [, b]) => b.ms - a.ms)
      .slice(0, 8);
    out.push(
      '',
      table(
        ['storage call (port)', 'calls', 'time', 'per call', 'of import'],
        [
          [
            'transaction (whole, work inside included)',
            int(i.trace.transactions.calls),
            secs(i.trace.transactions.ms),
            perCall(i.trace.transactions.ms, i.trace.transactions.calls),
            pct(i.trace.transactions.ms / i.m.wallMs),
          ],
          ...calls.map(([k, v]) => [k, int(v.calls), secs(v.ms), perCall(v.ms, v.calls), pct(v.ms / i.m.wallMs)]),
        ],
        ['l', 'r', 'r', 'r', 'r'],
      ),
    );
    const stmts = Object.entries(i.driver.statements)
      .sort(([, a], [, b]) => b.ms - a.ms)
      .slice(0, 8);
    const tenths = (v: StatementStat) =>
      v.firstTenthMs === undefined || v.lastTenthMs === undefined || v.calls < 10
        ? '—'
        : `${v.firstTenthMs.toFixed(1)} → ${v.lastTenthMs.toFixed(1)} ms`;
    const rows = stmts.map(([k, v]) => [
      `\`${k}\``,
      int(v.calls),
      secs(v.ms),
      perCall(v.ms, v.calls),
      tenths(v),
      pct(v.ms / i.m.wallMs),
    ]);
    if (i.driver.prepare.calls > 0)
      rows.push([
        '(SQLite: compiling statements)',
        int(i.driver.prepare.calls),
        secs(i.driver.prepare.ms),
        perCall(i.driver.prepare.ms, i.driver.prepare.calls),
        '—',
        pct(i.driver.prepare.ms / i.m.wallMs),
      ]);
    out.push(
      '',
      table(['SQL statement (driver)', 'calls', 'time', 'per call', 'first → last tenth of calls', 'of import'], rows, [
        'l',
        'r',
        'r',
        'r',
        'r',
        'r',
      ]),
    );
    if (r.profile)
      out.push(
        '',
        'CPU profile of the importing process (self time while busy, start-up included; the profiler slows it down):',
        '',
        r.profile,
      );
  }
  out.push('', '</details>');
  return out.join('\n');
}

export const reconcileSuite: Suite = {
  id: 'reconcile',
  title: 'Reconciliation import',
  about: ABOUT,
  async run(ctx) {
    const version = await storeVersion(ctx.store, process.env.DATABASE_URL ?? '');
    const results: SizeResult[] = [];
    for (const n of ctx.sizes ?? SIZES) results.push(await measureSize(ctx, n));
    return render(results, version);
  },
};
