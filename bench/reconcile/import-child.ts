// A measuring child of the reconciliation suite (started by runChild, never by hand): imports
// the report into the seeded database with importReport, as `settle reconcile` would, and
// measures that call alone (the file's hash is taken before, as reportSourceFromFile does).
import { sql } from 'kysely';
import { reportSourceFromFile } from '../../src/adapters/report-file.js';
import { importReport } from '../../src/app/reconcile.js';
import { compose } from '../../src/main.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { childInput, writeChildResult } from '../support/child.js';
import { measure, type Measurement, type Probe } from '../support/measure.js';
import {
  installDriverTrace,
  resetDriverTrace,
  summariseDriverTrace,
  type DriverTrace,
} from '../support/trace-driver.js';
import { traceStorage, type StorageTrace } from '../support/trace-storage.js';

export interface ImportInput {
  url: string;
  masterKeyHex: string;
  paymentMethodId: string;
  date: string;
  path: string;
}

export interface ImportResult {
  ok: boolean;
  error: string | null;
  runStatus: string | null;
  recognised: boolean | null;
  counts: { lines: number; matched: number; unreadable: number; exceptions: Record<string, number> } | null;
  m: Measurement;
  /** Every call through the storage port, counted and timed. */
  trace: StorageTrace;
  /** Every SQL statement, timed at the driver. */
  driver: DriverTrace;
  /** Rows each table gained during the import. */
  rowsWritten: Record<string, number>;
}

const input = childInput<ImportInput>();
const driver = installDriverTrace();
const storage = openStorage(input.url);
const composed = compose(
  { databaseUrl: input.url, masterKey: Buffer.from(input.masterKeyHex, 'hex'), publicUrl: 'http://127.0.0.1:9' },
  { storage, fiscal: null },
);
let probe: Probe = () => undefined;
// Each storage call also samples memory: with SQLite the event loop is too busy for the timer.
const traced = traceStorage(storage, () => probe());
const deps = { ...composed.deps, storage: traced.storage };

async function tableCounts(): Promise<Record<string, number>> {
  const tables = (await storage.db.introspection.getTables())
    .map((t) => t.name)
    .filter((n) => !n.startsWith('kysely_'));
  const out: Record<string, number> = {};
  for (const t of tables) {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(t)}`.execute(storage.db);
    out[t] = Number(rows[0]?.n ?? 0);
  }
  return out;
}

const before = await tableCounts();
const source = await reportSourceFromFile(input.path);
const { value: r, m } = await measure((p) => {
  probe = p;
  traced.reset();
  resetDriverTrace(driver);
  return importReport(deps, { paymentMethodId: input.paymentMethodId, date: input.date, source, via: 'cli' }, 'system');
});
probe = () => undefined;
const trace = structuredClone(traced.trace);
const driverTrace = summariseDriverTrace(driver);
const after = await tableCounts();
const rowsWritten = Object.fromEntries(
  Object.entries(after)
    .map(([t, n]) => [t, n - (before[t] ?? 0)])
    .filter(([, d]) => d !== 0),
);
await composed.close();

const summary = r.ok ? r.value.run.summary : null;
writeChildResult({
  ok: r.ok,
  error: r.ok ? null : `${r.error.code}: ${r.error.message}`,
  runStatus: r.ok ? r.value.run.status : null,
  recognised: r.ok ? r.value.recognised : null,
  counts: summary
    ? { lines: summary.lines, matched: summary.matched, unreadable: summary.unreadable, exceptions: summary.exceptions }
    : null,
  m,
  trace,
  driver: driverTrace,
  rowsWritten,
} satisfies ImportResult);
