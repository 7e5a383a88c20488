import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/**
 * The PostgreSQL reference: pgbench's built-in TPC-B-like script on a scratch database created
 * beside the bench's on the same server (`pgbench -i -s SCALE`), dropped afterwards. Each run is
 * `-c N -j min(N, 2) -T SECONDS`; the figure is pgbench's "tps … (without initial connection time)".
 */
export interface PgbenchResult {
  connections: number;
  tps: number;
  /** pgbench's own average latency, ms. */
  latencyMs: number;
  transactions: number;
  failed: number;
}

export function pgbenchPath(): string | null {
  for (const dir of ['/usr/bin', '/usr/local/bin']) if (existsSync(`${dir}/pgbench`)) return `${dir}/pgbench`;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const v of readdirSync(root).sort().reverse())
      if (existsSync(`${root}/${v}/bin/pgbench`)) return `${root}/${v}/bin/pgbench`;
  }
  return null;
}

export async function pgbenchVersion(bin: string): Promise<string> {
  const { stdout } = await run(bin, ['--version']);
  return stdout.trim();
}

export function parsePgbench(out: string, connections: number): PgbenchResult {
  const num = (re: RegExp) => {
    const m = re.exec(out);
    return m ? Number(m[1]) : Number.NaN;
  };
  const tps = num(/tps = ([\d.]+) \(without initial connection time\)/);
  if (!Number.isFinite(tps)) throw new Error(`pgbench: no tps in its output:\n${out}`);
  return {
    connections,
    tps,
    latencyMs: num(/latency average = ([\d.]+) ms/),
    transactions: num(/number of transactions actually processed: (\d+)/),
    failed: num(/number of failed transactions: (\d+)/) || 0,
  };
}

/**
 * Creates the scratch database, initialises it, runs pgbench at each connection count, then
 * `also` (given the database's URL) before it drops it.
 */
export async function measurePgbench<T>(
  baseUrl: string,
  opts: {
    connections: readonly number[];
    seconds: number;
    scale: number;
    log: (m: string) => void;
    also: (url: string) => Promise<T>;
  },
): Promise<{ version: string; results: PgbenchResult[]; also: T }> {
  const bin = pgbenchPath();
  if (!bin) throw new Error('pgbench is not installed (Debian: postgresql-client)');
  const name = `settle_pgbench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const conn = url.toString();
  try {
    const version = await pgbenchVersion(bin);
    opts.log(`pgbench -i -s ${opts.scale}…`);
    await run(bin, ['-i', '-q', '-s', String(opts.scale), conn], { maxBuffer: 16 * 1024 * 1024 });
    const results: PgbenchResult[] = [];
    for (const c of opts.connections) {
      const args = ['-c', String(c), '-j', String(Math.min(c, 2)), '-T', String(opts.seconds), conn];
      const { stdout } = await run(bin, args, { maxBuffer: 16 * 1024 * 1024 });
      const r = parsePgbench(stdout, c);
      opts.log(`pgbench -c ${c}: ${r.tps.toFixed(0)} tps, ${r.latencyMs} ms average`);
      results.push(r);
    }
    return { version, results, also: await opts.also(conn) };
  } finally {
    const c = new pg.Client({ connectionString: baseUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  }
}
