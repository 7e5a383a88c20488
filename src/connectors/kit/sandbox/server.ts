// Running a sandbox over real HTTP: its Fastify plugin's shared set-up (form bodies, releasing
// held answers on close) and a server of its own on 127.0.0.1 for the tests, the demo and the CLI.
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';

/**
 * Inside a sandbox's plugin: forms parsed its own way (the host may parse them differently), and
 * `close` called before the server waits for in-flight requests, so held answers are released.
 */
export function prepareSandboxPlugin(app: FastifyInstance, close: () => void, formLimit: number): void {
  if (app.hasContentTypeParser('application/x-www-form-urlencoded'))
    app.removeContentTypeParser('application/x-www-form-urlencoded');
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: formLimit },
    (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
  app.addHook('preClose', (done) => {
    close();
    done();
  });
}

export interface ServeOptions {
  host?: string;
  port?: number;
  logger?: boolean;
}

export interface ServedSandbox {
  /** The base URL, without a trailing slash. */
  url: string;
  close(): Promise<void>;
}

/** Serves a sandbox's plugin alone on its own port; `close` stops the sandbox's pending work. */
export async function serveSandbox(
  plugin: FastifyPluginAsync,
  close: () => void,
  opts: ServeOptions = {},
): Promise<ServedSandbox> {
  const { host = '127.0.0.1', port = 0, logger = false } = opts;
  const app = Fastify({ logger, routerOptions: { maxParamLength: 256 }, forceCloseConnections: true });
  await app.register(plugin);
  try {
    await app.listen({ host, port });
  } catch (err) {
    close();
    await app.close();
    throw err;
  }
  const addr = app.server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${addr.port}`;
  return {
    url,
    close: async () => {
      close();
      await app.close();
    },
  };
}

/** An http(s) URL, once `placeholders` are filled in with a sample value. */
export function isHttpUrl(s: unknown, placeholders: readonly string[] = []): boolean {
  if (typeof s !== 'string') return false;
  try {
    const u = new URL(placeholders.reduce((t, p) => t.split(p).join('x'), s));
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
