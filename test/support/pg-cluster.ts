// A throwaway PostgreSQL cluster of a test's own (initdb into a temporary folder, its own port on
// 127.0.0.1, trust auth), which the test may stop like a crash and start again. The machine's
// shared PostgreSQL is used by other tests and people at the same time: never stop that one.
import { execFile, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './processes.js';

const run = promisify(execFile);
const START_TIMEOUT_S = 30;
const OWNER = 'postgres';

export interface PgCluster {
  readonly port: number;
  /** postgres://postgres@127.0.0.1:PORT/DATABASE (default the `postgres` database). */
  url(database?: string): string;
  /** `pg_ctl stop -m immediate` by default: the server dies without a checkpoint, as in a crash. */
  stop(mode?: 'immediate' | 'fast'): Promise<void>;
  /** Starts it again on the same port (crash recovery after an immediate stop); waits until it accepts connections. */
  start(): Promise<void>;
  /** The server's log, for a failing test's report. */
  log(): string;
  /** Stops it (immediate) and removes its folder. Safe to call twice; also runs at process exit. */
  destroy(): Promise<void>;
}

/**
 * The folder holding initdb, pg_ctl and postgres: PG_BIN if set, else the newest
 * /usr/lib/postgresql/N/bin, else `pg_config --bindir`. Throws when there is none: a test that
 * needs its own cluster fails rather than skips.
 */
export function findPgBin(): string {
  const has = (dir: string) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(dir, b)));
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(root, v, 'bin')));
  }
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (fromConfig.status === 0) candidates.push(fromConfig.stdout.trim());
  const found = candidates.find(has);
  if (!found)
    throw new Error(
      `PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in ${candidates.join(', ') || '/usr/lib/postgresql/*/bin'}; install postgresql or set PG_BIN`,
    );
  return found;
}

// PostgreSQL refuses to run as root: as root, run its programs as the postgres OS user.
const asRoot = process.getuid?.() === 0;
function command(bin: string, program: string, args: string[]): [string, string[]] {
  const path = join(bin, program);
  return asRoot ? ['runuser', ['-u', OWNER, '--', path, ...args]] : [path, args];
}

async function exec(bin: string, program: string, args: string[]): Promise<string> {
  const [file, argv] = command(bin, program, args);
  try {
    const { stdout, stderr } = await run(file, argv, { encoding: 'utf8', timeout: (START_TIMEOUT_S + 10) * 1000 });
    return stdout + stderr;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${program} ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`, {
      cause: e,
    });
  }
}

// A cluster outlives its test process (pg_ctl detaches it): stop it and remove its folder when
// the process exits, and on Ctrl-C or a kill, which then exit the process as usual (through
// process.exit, so the other exit hooks, such as the one ending Settle processes, run too).
const live = new Set<() => void>();
const cleanupAll = () => {
  for (const cleanup of live) cleanup();
  live.clear();
};
process.once('exit', cleanupAll);
const onSignal = (signal: NodeJS.Signals) => {
  cleanupAll();
  process.exit(signal === 'SIGINT' ? 130 : 143);
};
function track(cleanup: () => void): void {
  if (live.size === 0) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  live.add(cleanup);
}
function untrack(cleanup: () => void): void {
  live.delete(cleanup);
  if (live.size === 0) {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** initdb, configure (fsync on, trust auth, 127.0.0.1 only, no Unix socket), start. */
export async function startPgCluster(): Promise<PgCluster> {
  const bin = findPgBin();
  const dir = mkdtempSync(join(tmpdir(), 'settle-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  if (asRoot) chownSync(dir, ...ownerIds());
  let destroyed = false;

  const cleanupSync = () => {
    if (existsSync(join(data, 'postmaster.pid'))) {
      const [file, argv] = command(bin, 'pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '10']);
      spawnSync(file, argv, { stdio: 'ignore' });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  track(cleanupSync);

  let port = 0;
  const pgCtlStart = () =>
    exec(bin, 'pg_ctl', ['start', '-D', data, '-l', logFile, '-w', '-t', String(START_TIMEOUT_S), '-o', `-p ${port}`]);
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');

  try {
    await exec(bin, 'initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale']);
    // Durable as in production (fsync, synchronous commit), small, reachable only over TCP on
    // 127.0.0.1 (no socket file beside the shared server's).
    const conf = [
      "listen_addresses = '127.0.0.1'",
      "unix_socket_directories = ''",
      'fsync = on',
      'synchronous_commit = on',
      'full_page_writes = on',
      'max_connections = 60',
      'shared_buffers = 16MB',
      "log_min_messages = 'warning'",
    ];
    appendFileSync(join(data, 'postgresql.conf'), `\n# settle test cluster\n${conf.join('\n')}\n`);
    // The port is free when picked but may be taken before the server binds it: try another.
    for (let tries = 1; ; tries++) {
      port = await freePort();
      try {
        await pgCtlStart();
        break;
      } catch (e) {
        if (tries >= 3) throw new Error(`${(e as Error).message}\n${log()}`, { cause: e });
      }
    }
  } catch (e) {
    untrack(cleanupSync);
    cleanupSync();
    throw e;
  }

  return {
    get port() {
      return port;
    },
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async stop(mode = 'immediate') {
      await exec(bin, 'pg_ctl', ['stop', '-D', data, '-m', mode, '-w', '-t', '30']);
    },
    async start() {
      try {
        await pgCtlStart();
      } catch (e) {
        throw new Error(`${(e as Error).message}\n${log()}`, { cause: e });
      }
    },
    log,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      untrack(cleanupSync);
      cleanupSync();
    },
  };
}

function ownerIds(): [number, number] {
  const r = spawnSync('id', ['-u', OWNER], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', OWNER], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0)
    throw new Error(`running as root, but there is no "${OWNER}" OS user to run PostgreSQL as`);
  return [Number(r.stdout.trim()), Number(g.stdout.trim())];
}
