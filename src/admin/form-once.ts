import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app/deps.js';
import { html } from '../http/html.js';
import { render } from './render.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The claim this form post holds (see formOnce), settled when the answer is sent. */
    adminFormClaim?: string;
  }
}

/**
 * Every admin form carries a one-time id (`_once`), so the same form sent twice (a double click,
 * a reload of the answer, a browser that resends) does its work once: two refunds from one
 * click would be money paid out twice, each within what is refundable. The claim is the API's
 * idempotency record, scoped to the user: the first post claims it; a second one waits for the
 * first's answer and is sent where the first was (a redirect), or told the form was already
 * sent. A refused form (4xx: nothing was done) or a failure (5xx) releases its claim, so the
 * same page can be corrected and sent again. Posts without `_once` (not from a page: scripts,
 * the tests' form client) are only CSRF-checked, as before. The field itself is written by
 * csrfField (render.ts), into every form.
 */
const ONCE = /^[A-Za-z0-9_-]{22}$/;
const WAIT_MS = 5000;
const POLL_MS = 25;
/** A claim with no answer this long after it was made belongs to a post whose process died. */
const ABANDONED_MS = 60_000;

/** Claims the post's one-time id, or answers for a post that already used it. Returns whether it answered. */
export async function formOnce(deps: AppDeps, req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const once = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>)._once : undefined;
  if (typeof once !== 'string' || !ONCE.test(once) || !req.admin) return false;
  const scopeKey = `admin:${req.admin.user.id}:${once}`;
  // What was sent, not only where: the same form sent back with other values (edited after the
  // first went through) is not the same request, and is told so instead of following the first.
  const requestHash = deps.hash(`${req.method} ${req.url}\n${JSON.stringify(req.body)}`);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const claimed = await deps.storage.transaction((tx) => tx.claimIdempotency({ scopeKey, requestHash, responseStatus: null, responseBody: null, createdAt: deps.clock.now().toISOString() }));
    if (claimed) {
      req.adminFormClaim = scopeKey;
      return false;
    }
    const first = await deps.storage.read.getIdempotency(scopeKey);
    if (!first) continue; // released (refused or failed) in between: this post may go ahead
    if (first.responseStatus !== null) {
      const location = first.responseBody ? deps.secretBox.decrypt(first.responseBody) : '';
      if (first.requestHash === requestHash && location.startsWith('/admin/')) {
        reply.code(303).header('location', location).send();
        return true;
      }
      await render(deps, req, reply, { title: 'Already sent', status: 409, body: html`<p data-testid="form-already-sent">This form was already sent once and was done then; it was not done again. <a href="/admin/orders">Back to the orders</a></p>` });
      return true;
    }
    if (Date.parse(first.createdAt) < deps.clock.now().getTime() - ABANDONED_MS) {
      await deps.storage.transaction((tx) => tx.releaseIdempotency(scopeKey));
      continue;
    }
    if (Date.now() > deadline) {
      await render(deps, req, reply, { title: 'Still being done', status: 409, body: html`<p data-testid="form-in-progress">This form was already sent and is still being handled; it was not sent again. Reload the page in a moment to see the result.</p>` });
      return true;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Settles the claim with the answer: kept when the form was done (2xx, 3xx), released when it was not. */
export async function settleFormOnce(deps: AppDeps, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const scopeKey = req.adminFormClaim;
  if (!scopeKey) return;
  req.adminFormClaim = undefined;
  if (reply.statusCode >= 400) {
    await deps.storage.transaction((tx) => tx.releaseIdempotency(scopeKey));
    return;
  }
  // A redirect's target is kept (encrypted like the API's answers) to send a repeat there; a page
  // shown once (a new key, a link's URL) is never shown again, so nothing else is kept.
  const location = reply.statusCode >= 300 ? String(reply.getHeader('location') ?? '') : '';
  await deps.storage.transaction((tx) => tx.completeIdempotency(scopeKey, reply.statusCode, deps.secretBox.encrypt(location)));
}
