import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';

// `settle sandbox <connector>` runs a provider's sandbox alone, for trying a store against it.
// A switch each sandbox has: Ameriabank sends no callbacks, so it has no delivery switches.
const SWITCH: Record<string, object> = {
  arca: { delayMs: 0 },
  ameria: { timeoutMs: 0 },
  idram: { delayMs: 0 },
  tbank: { delayMs: 0 },
  yookassa: { delayMs: 0 },
  cloudpayments: { delayMs: 0 },
  robokassa: { delayMs: 0 },
};

for (const id of Object.keys(SWITCH)) {
  test(`settle sandbox ${id} serves the sandbox and its control routes`, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'sandbox', id, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no address printed: ${out}`)), 20_000);
        child.stdout.on('data', (chunk: string) => {
          out += chunk;
          const found = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
          if (found) {
            clearTimeout(timer);
            resolve(found);
          }
        });
      });
      const res = await fetch(`${url}/_sandbox/switches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(SWITCH[id]),
      });
      assert.equal(res.status, 200, await res.text());
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
}
