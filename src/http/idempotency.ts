import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app/deps.js';
import { sendFailure } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyScope?: string;
  }
}

const WAIT_MS = 5000;
const POLL_MS = 25;
const ABANDONED_MS = 60_000;

/**
 * Idempotency-Key for money-moving POSTs: the first request with a key claims it; the same key
 * with the same body gets the first response again; with another body it is a 409. A request
 * that arrives while the first is still running waits for its answer (up to 5 s, then 409).
 * A 5xx answer releases the key so the store can retry.
 */
export function idempotencyHooks(deps: AppDeps) {
  const preHandler = async (req: FastifyRequest, reply: FastifyReply) => {
    const header = req.headers['idempotency-key'];
    if (header === undefined) return;
    if (typeof header !== 'string' || header.length < 1 || header.length > 255) {
      return sendFailure(reply, { code: 'invalid_request', message: 'Idempotency-Key must be one header of 1 to 255 characters.' });
    }
    const scopeKey = `${req.apiKey?.id ?? 'anon'}:${req.routeOptions.url}:${header}`;
    const requestHash = deps.hash(`${req.url}\n${JSON.stringify(req.body ?? null)}`);
    const claim = () =>
      deps.storage.transaction((tx) =>
        tx.claimIdempotency({ scopeKey, requestHash, responseStatus: null, responseBody: null, createdAt: deps.clock.now().toISOString() }),
      );
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      if (await claim()) {
        req.idempotencyScope = scopeKey;
        return;
      }
      const rec = await deps.storage.read.getIdempotency(scopeKey);
      if (!rec) continue; // released between our claim and read: claim again
      if (rec.requestHash !== requestHash) {
        return sendFailure(reply, { code: 'idempotency_key_reused', message: 'This Idempotency-Key was used with another request body.' });
      }
      if (rec.responseStatus !== null && rec.responseBody !== null) {
        return reply.code(rec.responseStatus).header('idempotent-replayed', 'true').type('application/json; charset=utf-8').send(openBody(deps, rec.responseBody));
      }
      // A claim whose request died with its process (no answer for a minute) is taken over.
      if (Date.parse(rec.createdAt) < deps.clock.now().getTime() - ABANDONED_MS) {
        await deps.storage.transaction((tx) => tx.releaseIdempotency(scopeKey));
        continue;
      }
      if (Date.now() > deadline) {
        return sendFailure(reply, { code: 'idempotency_request_in_progress', message: 'A request with this Idempotency-Key is still being handled; retry later.' });
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };

  const onSend = async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const scopeKey = req.idempotencyScope;
    if (!scopeKey) return payload;
    req.idempotencyScope = undefined;
    if (reply.statusCode >= 500) {
      await deps.storage.transaction((tx) => tx.releaseIdempotency(scopeKey));
    } else {
      // Encrypted at rest: an answer may carry what is shown only once (an order key, a payment
      // link's URL, a webhook secret), which must not sit readable in the database.
      await deps.storage.transaction((tx) => tx.completeIdempotency(scopeKey, reply.statusCode, deps.secretBox.encrypt(String(payload))));
    }
    return payload;
  };

  return { preHandler, onSend };
}

/** A stored answer; one stored before answers were encrypted is plain JSON and is sent as it is. */
function openBody(deps: AppDeps, stored: string): string {
  try {
    return deps.secretBox.decrypt(stored);
  } catch {
    return stored;
  }
}
