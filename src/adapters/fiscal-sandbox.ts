// A stand-in for a receipt-registration (fiscal) service over real HTTP, with switches for the
// failures Settle must survive: refusals, outages, slow answers. For tests and the demo only: it
// keeps everything in memory and its control routes are open.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify';
import { isCurrency } from '../domain/currency.js';
import { Secret } from '../domain/secret.js';

export interface FiscalSandboxSwitches {
  /** Answer registrations with a refusal (422 receipt_rejected) or an outage (503). */
  fail?: 'reject' | 'unavailable' | null;
  /** Fail only the next N registrations, then behave (default: until the switch changes). */
  failTimes?: number;
  /** Hold each registration's answer this long, after the work is done (a lost answer, not a lost receipt). */
  delayMs?: number;
}

/** A registered receipt: what the API answers, plus what it was registered with. */
export interface SandboxReceipt {
  id: string;
  external_id: string;
  status: 'issued';
  fiscal_number: string;
  kind: 'sale' | 'refund';
  total: number;
  currency: string;
  issued_at: string;
  order_reference: string;
  items: { name: string; quantity: number; amount: number }[];
  customer_email?: string;
}

type Content = Pick<SandboxReceipt, 'kind' | 'order_reference' | 'currency' | 'total' | 'items' | 'customer_email'>;

export const REJECT_MESSAGE = 'The tax registration of the cash register has expired';

const BODY_LIMIT = 64 * 1024;
const TEXT_MAX = 256;
const ITEMS_MAX = 100;
const DELAY_MAX = 600_000;
const FIELDS = new Set(['external_id', 'kind', 'order_reference', 'currency', 'total', 'items', 'customer_email']);
const ITEM_FIELDS = new Set(['name', 'quantity', 'amount']);
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

// ---- reading requests ----------------------------------------------------------------------

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= TEXT_MAX;
const isCount = (v: unknown, min: number): v is number => Number.isSafeInteger(v) && (v as number) >= min;

function unknownField(obj: Record<string, unknown>, known: Set<string>): string | undefined {
  return Object.keys(obj).find((k) => !known.has(k));
}

/** The receipt's content, or a message saying what is wrong with it. Unknown fields are refused: they are a caller's typo. */
function readReceipt(body: unknown): { external_id: string; content: Content } | string {
  if (!isObject(body)) return 'The body must be a JSON object.';
  const extra = unknownField(body, FIELDS);
  if (extra !== undefined) return `Unknown field "${extra.slice(0, 40)}".`;
  const { external_id, kind, order_reference, currency, total, items, customer_email } = body;
  if (!isText(external_id)) return `external_id must be a non-empty string of at most ${TEXT_MAX} characters.`;
  if (kind !== 'sale' && kind !== 'refund') return 'kind must be "sale" or "refund".';
  if (!isText(order_reference)) return `order_reference must be a non-empty string of at most ${TEXT_MAX} characters.`;
  if (typeof currency !== 'string' || !isCurrency(currency)) return 'currency must be an ISO 4217 code such as "AMD".';
  if (!isCount(total, 0)) return 'total must be an integer of minor units, 0 or more.';
  if (!Array.isArray(items) || items.length === 0 || items.length > ITEMS_MAX)
    return `items must list 1 to ${ITEMS_MAX} items.`;
  const read: Content['items'] = [];
  for (const [i, item] of items.entries()) {
    if (!isObject(item) || unknownField(item, ITEM_FIELDS) !== undefined)
      return `items[${i}] must be {name, quantity, amount}.`;
    if (!isText(item.name)) return `items[${i}].name must be a non-empty string of at most ${TEXT_MAX} characters.`;
    if (!isCount(item.quantity, 1)) return `items[${i}].quantity must be a whole number, 1 or more.`;
    if (!isCount(item.amount, 0)) return `items[${i}].amount must be an integer of minor units, 0 or more.`;
    read.push({ name: item.name, quantity: item.quantity, amount: item.amount });
  }
  const sum = read.reduce((s, item) => s + item.amount, 0);
  if (sum !== total) return `total ${total} does not equal the sum of the item amounts, ${sum}.`;
  if (customer_email !== undefined && !(isText(customer_email) && /^[^\s@]+@[^\s@]+$/.test(customer_email))) {
    return 'customer_email must be an e-mail address.';
  }
  const content: Content = { kind, order_reference, currency, total, items: read };
  if (customer_email !== undefined) content.customer_email = customer_email;
  return { external_id, content };
}

function readSwitches(body: unknown): FiscalSandboxSwitches | string {
  if (!isObject(body)) return 'the switches must be a JSON object';
  const extra = unknownField(body, new Set(['fail', 'failTimes', 'delayMs']));
  if (extra !== undefined) return `unknown switch ${extra.slice(0, 40)}`;
  const { fail, failTimes, delayMs } = body;
  if (fail !== undefined && fail !== null && fail !== 'reject' && fail !== 'unavailable')
    return 'fail must be "reject", "unavailable" or null';
  if (failTimes !== undefined && !isCount(failTimes, 1)) return 'failTimes must be a whole number, 1 or more';
  if (delayMs !== undefined && !(isCount(delayMs, 0) && delayMs <= DELAY_MAX))
    return `delayMs must be 0 to ${DELAY_MAX}`;
  const switches: FiscalSandboxSwitches = {};
  if (fail) switches.fail = fail;
  if (fail && failTimes !== undefined) switches.failTimes = failTimes;
  if (delayMs) switches.delayMs = delayMs;
  return switches;
}

/** The content as one string with a fixed order, so two receipts compare by value. */
function canonical(c: Content): string {
  return JSON.stringify([
    c.kind,
    c.order_reference,
    c.currency,
    c.total,
    c.items.map((i) => [i.name, i.quantity, i.amount]),
    c.customer_email ?? null,
  ]);
}

function publicView(r: SandboxReceipt) {
  const { id, external_id, status, fiscal_number, kind, total, currency, issued_at } = r;
  return { id, external_id, status, fiscal_number, kind, total, currency, issued_at };
}
