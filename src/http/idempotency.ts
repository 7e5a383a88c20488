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
/** An unanswered claim older than this belongs to a request that died with its process. */
const ABANDONED_MS = 60_000;

/**
 * Idempotency-Key for money-moving POSTs: the first request with a key claims it; the same key
 * with the same body gets the first response again; with another body it is a 409. A request
 * that arrives while the first is still running waits for its answer (up to 5 s, then 409).
 *
 * Every answer is kept, a 5xx too: a request can fail after part of its work was done (a refund
 * paid at the provider, then the database lost), and running it again would do that part twice.
 * For the same reason a claim whose request never answered (its process died) is not taken over:
 * its outcome is unknown, and the store is told to look at the order and send a new key.
 */
export function idempotencyHooks() {
  const preHandler = async (req: FastifyRequest, reply: FastifyReply) => {
    const header = req.headers['idempotency-key'];
    if (header === undefined) return;
    if (typeof header !== 'string' || header.length < 1 || header.length > 255) {
      return sendFailure(reply, {
        code: 'invalid_request',
        message: 'Idempotency-Key must be one header of 1 to 255 characters.',
      });
    }
    const scopeKey = `${req.apiKey?.id ?? 'anon'}:${req.routeOptions.url}:${header}`;
    const requestHash = req.deps.hash(`${req.url}\n${JSON.stringify(req.body ?? null)}`);
    const claim = () =>
      req.deps.storage.transaction((tx) =>
        tx.claimIdempotency({
          scopeKey,
          requestHash,
          responseStatus: null,
          responseBody: null,
          createdAt: req.deps.clock.now().toISOString(),
        }),
      );
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      if (await claim()) {
        req.idempotencyScope = scopeKey;
        return;
      }
      const rec = await req.deps.storage.read.getIdempotency(scopeKey);
      if (!rec) continue; // released between our claim and read: claim again
      if (rec.requestHash !== requestHash) {
        return sendFailure(reply, {
          code: 'idempotency_key_reused',
          message: 'This Idempotency-Key was used with another request body.',
        });
      }
      if (rec.responseStatus !== null && rec.responseBody !== null) {
        return reply
          .code(rec.responseStatus)
          .header('idempotent-replayed', 'true')
          .type('application/json; charset=utf-8')
          .send(openBody(req.deps, rec.responseBody));
      }
      if (Date.parse(rec.createdAt) < req.deps.clock.now().getTime() - ABANDONED_MS) {
        return sendFailure(reply, {
          code: 'idempotency_outcome_unknown',
          message:
            'The first request with this Idempotency-Key never answered, so what it did is unknown. Check the order, then send a new key if it is still needed.',
        });
      }
      if (Date.now() > deadline) {
        return sendFailure(reply, {
          code: 'idempotency_request_in_progress',
          message: 'A request with this Idempotency-Key is still being handled; retry later.',
        });
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };

  const onSend = async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const scopeKey = req.idempotencyScope;
    if (!scopeKey) return payload;
    req.idempotencyScope = undefined;
    try {
      // Encrypted at rest: an answer may carry what is shown only once (an order key, a payment
      // link's URL, a webhook secret), which must not sit readable in the database.
      await req.deps.storage.transaction((tx) =>
        tx.completeIdempotency(scopeKey, reply.statusCode, req.deps.secretBox.encrypt(String(payload))),
      );
    } catch (err) {
      // The database is gone (the answer is most likely its 503): the claim stays unanswered, so
      // a retry with this key is told the outcome is unknown. This answer still goes out as it is.
      req.log.warn({ err }, 'idempotency answer not stored');
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
