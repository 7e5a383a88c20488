import { randomInt } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';

/**
 * A second reference beside pgbench: pgbench's own TPC-B-like transaction (BEGIN, three UPDATEs,
 * a SELECT, an INSERT, END: pgbench's built-in script, statement for statement), run by a
 * Fastify route in Node over pg with a pool of 10 (Settle's default), on pgbench's database.
 * pgbench says what the database can do; this says how much of that a Node HTTP service with
 * pg keeps on this machine for a transaction of the same size, before any work of its own.
 * Plain pg, not Kysely: the ceiling for Node and its driver, not for Settle's choices.
 */
export async function tpcbRoute(
  databaseUrl: string,
  scale: number,
): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, options: '-c synchronous_commit=on' });
  const app = Fastify({ logger: false });
  app.post('/tpcb', async () => {
    // pgbench's \set lines: aid, bid, tid and delta drawn the same way, at the same scale.
    const aid = randomInt(1, 100_000 * scale + 1);
    const bid = randomInt(1, scale + 1);
    const tid = randomInt(1, 10 * scale + 1);
    const delta = randomInt(-5000, 5001);
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query('UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2', [delta, aid]);
      const { rows } = await c.query<{ abalance: number }>('SELECT abalance FROM pgbench_accounts WHERE aid = $1', [
        aid,
      ]);
      await c.query('UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2', [delta, tid]);
      await c.query('UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2', [delta, bid]);
      await c.query(
        'INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)',
        [tid, bid, aid, delta],
      );
      await c.query('END');
      return { abalance: rows[0]?.abalance ?? null };
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  });
  return {
    app,
    async close() {
      await app.close();
      await pool.end();
    },
  };
}
