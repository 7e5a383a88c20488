// A stand-in for a receipt-registration (fiscal) service over real HTTP, with switches for the
// failures Settle must survive: refusals, outages, slow answers. For tests and the demo only: it
// keeps everything in memory and its control routes are open.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  canonical,
  publicView,
  readReceipt,
  readSwitches,
  type FiscalSandboxSwitches,
  type SandboxReceipt,
} from './fiscal-sandbox-input.js';
import { Secret } from '../domain/secret.js';

export const REJECT_MESSAGE = 'The tax registration of the cash register has expired';

const BODY_LIMIT = 64 * 1024;
// Mounted inside Settle, these routes are not Settle's API: keep them out of its OpenAPI document.
const HIDDEN = { schema: { hide: true } };

/** An HTTP answer, decided before any delay. */
export interface SandboxAnswer {
  status: number;
  body: unknown;
}

const error = (status: number, code: string, message: string): SandboxAnswer => ({
  status,
  body: { error: { code, message } },
});

export class FiscalSandbox {
  readonly #token: Secret | undefined;
  readonly #byExternalId = new Map<string, SandboxReceipt>();
  readonly #byId = new Map<string, SandboxReceipt>();
  readonly #sleepers = new Set<() => void>();
  #switches: FiscalSandboxSwitches = {};
  #requests = 0;
  #closed = false;

  constructor(opts: { token?: string } = {}) {
    this.#token = opts.token === undefined ? undefined : new Secret(opts.token);
  }

  /** Replaces the switches; `{}` clears them. Throws on a bad value. */
  setSwitches(switches: FiscalSandboxSwitches): void {
    const read = readSwitches(switches);
    if (typeof read === 'string') throw new Error(`fiscal sandbox: ${read}`);
    this.#switches = read;
  }

  get switches(): FiscalSandboxSwitches {
    return { ...this.#switches };
  }

  /** Every registered receipt, oldest first. */
  receipts(): SandboxReceipt[] {
    return [...this.#byId.values()].map((r) => structuredClone(r));
  }

  /** How many registration requests (POST /api/v1/receipts) arrived, refused ones included. */
  requests(): number {
    return this.#requests;
  }

  /** Forgets receipts, the request count and the switches (the token stays). */
  reset(): void {
    this.#byExternalId.clear();
    this.#byId.clear();
    this.#switches = {};
    this.#requests = 0;
  }

  /** Releases held answers; later ones are not held. Idempotent. */
  close(): void {
    this.#closed = true;
    for (const wake of this.#sleepers) wake();
    this.#sleepers.clear();
  }

  /** The answer to one registration request (the plugin's POST route), decided at once; the route then holds it. */
  issue(authorization: string | undefined, body: unknown): SandboxAnswer {
    this.#requests++;
    if (!this.#authorized(authorization)) return error(401, 'unauthorized', 'The API token is missing or wrong.');
    const failure = this.#takeFailure();
    if (failure === 'reject') return error(422, 'receipt_rejected', REJECT_MESSAGE);
    if (failure === 'unavailable')
      return error(503, 'service_unavailable', 'The fiscal service is temporarily unavailable.');
    const read = readReceipt(body);
    if (typeof read === 'string') return error(422, 'invalid_receipt', read);
    const { external_id, content } = read;
    const known = this.#byExternalId.get(external_id);
    if (known) {
      // A resend of the same receipt returns it; the same id on different content is a caller's bug.
      if (canonical(known) !== canonical(content)) {
        return error(409, 'external_id_conflict', `Receipt ${external_id} was registered with different content.`);
      }
      return { status: 200, body: publicView(known) };
    }
    const receipt: SandboxReceipt = {
      id: randomUUID(),
      external_id,
      status: 'issued',
      fiscal_number: String(this.#byId.size + 1).padStart(10, '0'),
      issued_at: new Date().toISOString(),
      ...content,
    };
    this.#byExternalId.set(external_id, receipt);
    this.#byId.set(receipt.id, receipt);
    return { status: 201, body: publicView(receipt) };
  }

  /** The answer to GET /api/v1/receipts/:id. */
  lookup(authorization: string | undefined, id: string): SandboxAnswer {
    if (!this.#authorized(authorization)) return error(401, 'unauthorized', 'The API token is missing or wrong.');
    const receipt = this.#byId.get(id);
    return receipt
      ? { status: 200, body: publicView(receipt) }
      : error(404, 'not_found', 'There is no receipt with this id.');
  }

  /** Waits delayMs (the switch), or less when the sandbox closes. */
  hold(): Promise<void> {
    const ms = this.#switches.delayMs ?? 0;
    if (ms === 0 || this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#sleepers.add(wake);
    });
  }

  #authorized(header: string | undefined): boolean {
    if (!this.#token) return true;
    const m = /^Bearer +(\S+)\s*$/i.exec(header ?? '');
    if (!m) return false;
    // Equal-length digests, so the comparison takes the same time whatever was sent.
    const digest = (s: string) => createHash('sha256').update(s).digest();
    return timingSafeEqual(digest(m[1]!), digest(this.#token.reveal()));
  }

  #takeFailure(): 'reject' | 'unavailable' | undefined {
    const { fail, failTimes } = this.#switches;
    if (!fail) return undefined;
    if (failTimes !== undefined) {
      const { delayMs } = this.#switches;
      this.#switches = failTimes > 1 ? { ...this.#switches, failTimes: failTimes - 1 } : delayMs ? { delayMs } : {};
    }
    return fail;
  }
}

export interface FiscalSandboxPluginOptions {
  /** The sandbox to serve; without one, the plugin makes its own (reachable through the control routes). */
  sandbox?: FiscalSandbox;
  /**
   * Serve the open control routes (/_sandbox/…). Off where the sandbox is mounted in a server the
   * public reaches: they would list every receipt, customers' e-mails included, to anyone.
   */
  controlRoutes?: boolean;
}

/**
 * The routes, for `app.register(fiscalSandboxPlugin, { prefix: '/sandbox/fiscal', sandbox })`.
 * Encapsulated: its error shape, `{error: {code, message}}`, stays inside.
 */
export const fiscalSandboxPlugin: FastifyPluginAsync<FiscalSandboxPluginOptions> = async (app, opts) => {
  const sandbox = opts.sandbox ?? new FiscalSandbox();
  const send = (reply: FastifyReply, a: SandboxAnswer) => reply.code(a.status).send(a.body);
  const auth = (req: FastifyRequest) => req.headers.authorization;

  // JSON only, as the API says: a text body is 415, not a receipt that fails validation.
  if (app.hasContentTypeParser('text/plain')) app.removeContentTypeParser('text/plain');
  // Fastify's own refusals (bad JSON, too large, not JSON) in this API's error shape.
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    const status = err.statusCode ?? 500;
    if (status === 413)
      return send(reply, error(413, 'payload_too_large', `The body is larger than ${BODY_LIMIT} bytes.`));
    if (status === 415) return send(reply, error(415, 'unsupported_media_type', 'Send the body as application/json.'));
    if (status >= 400 && status < 500)
      return send(reply, error(status, 'invalid_request', 'The request could not be read as JSON.'));
    return send(reply, error(500, 'internal_error', 'The sandbox failed.'));
  });
  // Release held answers before the server waits for in-flight requests.
  app.addHook('preClose', (done) => {
    sandbox.close();
    done();
  });

  app.post('/api/v1/receipts', { ...HIDDEN, bodyLimit: BODY_LIMIT }, async (req, reply) => {
    const answer = sandbox.issue(auth(req), req.body);
    await sandbox.hold();
    return send(reply, answer);
  });
  app.get('/api/v1/receipts/:id', HIDDEN, async (req, reply) =>
    send(reply, sandbox.lookup(auth(req), (req.params as { id: string }).id)),
  );

  if (opts.controlRoutes === false) return;
  app.post('/_sandbox/switches', HIDDEN, async (req, reply) => {
    const read = readSwitches(req.body);
    if (typeof read === 'string') return send(reply, error(400, 'invalid_switches', read));
    sandbox.setSwitches(read);
    return sandbox.switches;
  });
  app.get('/_sandbox/receipts', HIDDEN, async () => sandbox.receipts());
  app.post('/_sandbox/reset', HIDDEN, async (_req, reply) => {
    sandbox.reset();
    return reply.code(204).send();
  });
};

export interface RunningFiscalSandbox {
  /** The base URL, without a trailing slash: the API is `${url}/api/v1/...`. */
  url: string;
  sandbox: FiscalSandbox;
  close(): Promise<void>;
}

/** Runs the sandbox alone on its own port (tests, a demo without Settle's server). */
export async function startFiscalSandbox(
  opts: { host?: string; port?: number; token?: string } = {},
): Promise<RunningFiscalSandbox> {
  const { host = '127.0.0.1', port = 0 } = opts;
  const sandbox = new FiscalSandbox(opts.token === undefined ? {} : { token: opts.token });
  const app = Fastify({ logger: false, forceCloseConnections: true });
  await app.register(fiscalSandboxPlugin, { sandbox });
  try {
    await app.listen({ host, port });
  } catch (err) {
    await app.close();
    throw err;
  }
  const addr = app.server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return {
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${addr.port}`,
    sandbox,
    close: () => app.close(),
  };
}

export type { FiscalSandboxSwitches, SandboxReceipt } from './fiscal-sandbox-input.js';
