// A store's webhook endpoint over real HTTP on 127.0.0.1: it checks every request with the
// official Standard Webhooks library, keeps them all (duplicates too), and has switches for
// failures and slow answers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { waitFor as poll } from './async.js';

export interface ReceivedWebhook {
  /** The `webhook-id` header. */
  id: string;
  /** The body's `type` field, when it has one. */
  type: string | undefined;
  /** The body parsed as JSON, or the text when it is not JSON. */
  body: unknown;
  /** Whether `new Webhook(secret).verify(body, headers)` accepted it. */
  verified: boolean;
  headers: Record<string, string>;
  /** When the body was read, in ms since the epoch. */
  at: number;
}

export interface ReceiverSwitches {
  /** Answer the next n requests with 500. */
  failNext?: number;
  /** Wait this long before answering. */
  holdMs?: number;
}

export interface WebhookReceiver {
  url: string;
  /** Every request whose body was read in full, in arrival order, duplicates included. */
  received(): ReceivedWebhook[];
  /** The distinct webhook ids, in order of first arrival. */
  uniqueIds(): string[];
  setSwitches(s: ReceiverSwitches): void;
  waitFor(predicate: (w: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

/**
 * Answers 204 to a verified request, 400 to one the library refuses (as a real store would), and
 * 500 while failNext lasts. A request counts as received once its body is in, even if the sender
 * goes away before the answer: that is what the receiver of a resend after a crash has seen.
 */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const verifier = new Webhook(secret);
  const received: ReceivedWebhook[] = [];
  const switches: ReceiverSwitches = {};

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      let verified = true;
      try {
        verifier.verify(raw, headers);
      } catch {
        verified = false;
      }
      const body = parseJson(raw);
      const type =
        body && typeof body === 'object' && typeof (body as { type?: unknown }).type === 'string'
          ? (body as { type: string }).type
          : undefined;
      received.push({ id: headers['webhook-id'] ?? '', type, body, verified, headers, at: Date.now() });

      let status = verified ? 204 : 400;
      if (switches.failNext) {
        switches.failNext--;
        status = 500;
      }
      const answer = () => {
        if (!res.destroyed) res.writeHead(status).end();
      };
      if (!switches.holdMs) return answer();
      const t = setTimeout(answer, switches.holdMs);
      res.on('close', () => clearTimeout(t));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    received: () => [...received],
    uniqueIds: () => [...new Set(received.map((w) => w.id))],
    setSwitches(s) {
      Object.assign(switches, s);
    },
    async waitFor(predicate, timeoutMs = 5000) {
      await poll('a matching webhook', () => received.some(predicate), timeoutMs);
      return received.find(predicate)!;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
