import { randomBytes } from 'node:crypto';
import { setupDemo, type Demo } from '../../src/demo/setup-demo.js';
import { compose } from '../../src/main.js';
import { buildServer } from '../../src/server.js';
import { freePort } from './processes.js';
import { freshStore } from './store.js';
import { testLogger } from './test-logs.js';

export interface DemoServer {
  url: string;
  demo: Demo;
  close(): Promise<void>;
}

/**
 * The demo as `npm start` serves it, in this process, over a fresh database: every connector's
 * sandbox on the same server, which must know its own address first (the sandboxes' settings
 * name it), hence a free port chosen before the server starts.
 */
export async function startDemoServer(): Promise<DemoServer> {
  const store = await freshStore();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const composed = compose(
    { databaseUrl: store.url, masterKey: randomBytes(32), publicUrl: url },
    { storage: store.storage },
  );
  const demo = await setupDemo(composed.deps);
  const app = await buildServer(composed.deps, { logger: testLogger(), demo });
  await app.listen({ host: '127.0.0.1', port });
  return {
    url,
    demo,
    async close() {
      demo.close();
      await app.close();
      await store.drop();
    },
  };
}
