import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { int } from '../support/format.js';
import { seedAttemptId } from '../support/seed-orders.js';
import type { BenchStore } from '../support/store.js';

/** A connection for the checks, beside the server's. */
export class CheckDb {
  private constructor(
    private readonly pgClient: pg.Client | null,
    private readonly sqlite: SqliteDatabase.Database | null,
  ) {}
  static async open(store: BenchStore): Promise<CheckDb> {
    if (store.kind === 'sqlite') return new CheckDb(null, new SqliteDatabase(store.sqliteFile!, { readonly: true }));
    const c = new pg.Client({ connectionString: store.url });
    await c.connect();
    return new CheckDb(c, null);
  }
  async all<T>(sql: string, params: unknown[]): Promise<T[]> {
    if (this.sqlite) return this.sqlite.prepare(sql.replace(/\$\d+/g, '?')).all(...params) as T[];
    return (await this.pgClient!.query(sql, params)).rows as T[];
  }
  async close(): Promise<void> {
    this.sqlite?.close();
    await this.pgClient?.end();
  }
}
/**
 * After a callback run over orders [from, to): every order answered 2xx is paid exactly once,
 * and none of the others is (a request sent but never answered may have been applied: counted).
 */
export async function checkCallbacks(
  db: CheckDb,
  from: number,
  to: number,
  seeded: number,
  answered: Set<number>,
): Promise<{ check: string; checkOk: boolean }> {
  const hi = Math.min(to, seeded);
  if (hi <= from) return { check: 'nothing sent', checkOk: answered.size === 0 };
  const lo = seedAttemptId(from);
  const up = seedAttemptId(hi - 1);
  // A callback matched to an attempt names its order too: the log is indexed by order, not attempt.
  const paid = await db.all<{
    id: string;
    status: string;
    payment_status: string;
    records: number | string;
    applied: number | string;
  }>(
    `select a.id, a.status, o.payment_status,
            (select count(*) from callbacks c where c.order_id = a.order_id and c.attempt_id = a.id) as records,
            (select count(*) from callbacks c
              where c.order_id = a.order_id and c.attempt_id = a.id and c.outcome = 'applied') as applied
       from payment_attempts a join orders o on o.id = a.order_id
      where a.id >= $1 and a.id <= $2 and (a.status <> 'pending' or o.payment_status <> 'pending')`,
    [lo, up],
  );
  const byIndex = new Map(paid.map((p) => [Number(p.id.replace('pa_bench', '')), p]));
  let missing = 0;
  let doubled = 0;
  let wrong = 0;
  let unanswered = 0;
  for (const i of answered) {
    const p = byIndex.get(i);
    if (!p || p.status !== 'succeeded') missing += 1;
    else if (Number(p.records) !== 1 || Number(p.applied) !== 1) doubled += 1;
    else if (p.payment_status !== 'paid') wrong += 1;
  }
  for (const [i, p] of byIndex) {
    if (answered.has(i)) continue;
    // Sent but not answered (an error or a timeout) may be applied; anything else is wrong.
    if (Number(p.records) === 1 && Number(p.applied) === 1 && p.status === 'succeeded') unanswered += 1;
    else wrong += 1;
  }
  const checkOk = missing === 0 && doubled === 0 && wrong === 0;
  const parts = [
    `${int(answered.size)} answered 2xx, ${int(answered.size - missing - doubled - wrong)} of them paid once`,
  ];
  if (missing) parts.push(`${missing} not paid`);
  if (doubled) parts.push(`${doubled} with more than one callback record`);
  if (wrong) parts.push(`${wrong} in an unexpected state`);
  if (unanswered) parts.push(`${unanswered} paid without an answer (error or timeout)`);
  return { check: parts.join('; '), checkOk };
}
