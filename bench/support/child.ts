import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs a bench script in a fresh Node process (tsx, --expose-gc), so what it measures starts from
 * a clean heap and its own RSS high-water mark. The script gets its input as JSON in BENCH_INPUT
 * and writes its result with writeChildResult; its output goes to this process's terminal.
 */
export async function runChild<T>(
  script: string,
  input: unknown,
  opts: { env?: NodeJS.ProcessEnv; nodeFlags?: string[] } = {},
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'settle-bench-child-'));
  const out = join(dir, 'result.json');
  try {
    const args = ['--import', 'tsx', '--expose-gc', ...(opts.nodeFlags ?? []), script];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, args, {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: childEnv({ ...process.env, ...opts.env, BENCH_INPUT: JSON.stringify(input), BENCH_RESULT: out }),
      });
      child.on('error', reject);
      child.on('exit', (c, signal) => resolve(signal ? 128 : c));
    });
    if (code !== 0) throw new Error(`${script} exited with ${code}`);
    return JSON.parse(readFileSync(out, 'utf8')) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An environment without the variables set to undefined (so a child can be started without DATABASE_URL). */
function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
}

/** In a child started by runChild: its input. */
export function childInput<T>(): T {
  const raw = process.env.BENCH_INPUT;
  if (!raw) throw new Error('BENCH_INPUT is not set: this script is started by the bench (npm run bench)');
  return JSON.parse(raw) as T;
}

/** In a child started by runChild: hands the result back. */
export function writeChildResult(result: unknown): void {
  const out = process.env.BENCH_RESULT;
  if (!out) throw new Error('BENCH_RESULT is not set');
  writeFileSync(out, JSON.stringify(result));
}
