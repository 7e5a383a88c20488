import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const LOGGER = fileURLToPath(new URL('./logger.ts', import.meta.url));

/** What one log line with a secret in it looks like on standard output, in this format. */
async function lineIn(format: 'json' | 'pretty'): Promise<string> {
  const script = `import { createLogger } from ${JSON.stringify(LOGGER)};
createLogger({ format: ${JSON.stringify(format)} }).info({ password: 'hunter2-secret', order: 'ord_1' }, 'paid');`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
  return stdout;
}

test('pretty: readable lines, still redacted; json: one JSON object per line', async () => {
  const pretty = await lineIn('pretty');
  assert.match(pretty, /INFO.*paid/);
  assert.throws(() => JSON.parse(pretty));
  assert.match(pretty, /password: "\*\*\*"/);
  assert.doesNotMatch(pretty, /hunter2/);
  const json = JSON.parse(await lineIn('json')) as Record<string, unknown>;
  assert.equal(json.msg, 'paid');
  assert.equal(json.password, '***');
});
