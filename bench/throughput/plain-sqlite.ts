import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';

/** Plain better-sqlite3 transactions of a callback's size, committed one by one. */
export interface PlainSqliteResult {
  transactions: number;
  seconds: number;
  /** Committed transactions per second. */
  rate: number;
  /** The other run's rate, when it was measured twice (the faster one is the reference). */
  otherRate?: number;
}

/** Of two runs of the reference, the faster, with the other's rate beside it: a slow moment of the disk must not flatter Settle. */
export function fasterPlain(a: PlainSqliteResult, b: PlainSqliteResult): PlainSqliteResult {
  const [fast, slow] = a.rate >= b.rate ? [a, b] : [b, a];
  return { ...fast, otherRate: slow.rate };
}

/** A row's worth of text, about what a callback writes per row (ids, JSON of a few hundred bytes). */
const PAYLOAD_BYTES = 400;
const ORDERS = 10_000;

/**
 * The SQLite reference of aim 1: one update and four inserts of a callback's size, each in its
 * own transaction, on a fresh file in `dir` (the bench store's folder: the same disk), WAL and
 * synchronous=FULL as Settle opens its file, prepared statements, no HTTP, no Node work beyond
 * binding values. What one SQLite writer on this disk does with nothing of Settle's around it.
 */
export function measurePlainSqlite(dir: string, seconds: number): PlainSqliteResult {
  const folder = mkdtempSync(join(dir, 'plain-sqlite-'));
  const db = new SqliteDatabase(join(folder, 'plain.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`
      create table orders (id text primary key, status text not null, version integer not null, updated_at text not null);
      create table attempts (id text primary key, order_id text not null, status text not null, body text not null);
      create table callbacks (id text primary key, order_id text not null, body text not null);
      create table timeline (id text primary key, order_id text not null, body text not null);
      create table outbox (id text primary key, order_id text not null, body text not null);
      create index timeline_order on timeline (order_id);
      create index outbox_order on outbox (order_id);
    `);
    const seed = db.prepare("insert into orders values (?, 'awaiting_payment', 1, ?)");
    db.transaction(() => {
      for (let i = 0; i < ORDERS; i++) seed.run(`o${i}`, new Date().toISOString());
    })();
    const update = db.prepare("update orders set status = 'paid', version = version + 1, updated_at = ? where id = ?");
    const inserts = ['attempts', 'callbacks', 'timeline', 'outbox'].map((t) =>
      db.prepare(
        t === 'attempts' ? `insert into ${t} values (?, ?, 'succeeded', ?)` : `insert into ${t} values (?, ?, ?)`,
      ),
    );
    const body = randomBytes(PAYLOAD_BYTES / 2).toString('hex');
    const tx = db.transaction((orderId: string, n: number) => {
      update.run(new Date().toISOString(), orderId);
      for (const ins of inserts) ins.run(`${orderId}-${n}-${Math.random()}`, orderId, body);
    });
    const until = performance.now() + seconds * 1000;
    const start = performance.now();
    let n = 0;
    while (performance.now() < until) {
      tx(`o${n % ORDERS}`, n);
      n++;
    }
    const took = (performance.now() - start) / 1000;
    return { transactions: n, seconds: took, rate: n / took };
  } finally {
    db.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
