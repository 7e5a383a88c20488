import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app/deps.js';
import { claimForm, completeFormClaim, readFormClaim, releaseFormClaim } from '../app/form-claims.js';
import { html } from '../web/html.js';
import { render } from './render.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The claim this form post holds (see formOnce), settled when the answer is sent. */
    adminFormClaim?: string;
    /** A refusal that still recorded something (a cancel the acquirer refused): its form is spent. */
    adminFormRecorded?: boolean;
  }
}

/**
 * Every admin form carries a one-time id (`_once`), so the same form sent twice (a double click,
 * a reload of the answer, a browser that resends) does its work once: two refunds from one
 * click would be money paid out twice, each within what is refundable. The claim is the API's
 * idempotency record, scoped to the user: the first post claims it; a second one waits for the
 * first's answer and is sent where the first was (a redirect), or told the form was already
 * sent. Only a refusal that recorded nothing (4xx) releases the claim, so the same page can be
 * corrected and sent again. A failure (5xx) may come after part of the work was committed (a
 * refund requested and paid, then the database lost), and a post whose server died may have
 * done anything: their claims are kept, and a person reloads the order to see what happened
 * before sending a new form. Posts without `_once` (not from a page: scripts, the tests' form
 * client) are only CSRF-checked, as before. The field itself is written by
 * csrfField (render.ts), into every form.
 */
const ONCE = /^[A-Za-z0-9_-]{22}$/;
const WAIT_MS = 5000;
const POLL_MS = 25;

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
    const claimed = await claimForm(deps, scopeKey, requestHash);
    if (claimed) {
      req.adminFormClaim = scopeKey;
      return false;
    }
    const first = await readFormClaim(deps, scopeKey);
    if (!first) continue; // released (refused, nothing done) in between: this post may go ahead
    if (first.responseStatus !== null) {
      if (first.requestHash === requestHash && first.location.startsWith('/admin/')) {
        reply.code(303).header('location', first.location).send();
        return true;
      }
      await render(deps, req, reply, {
        title: 'Already sent',
        status: 409,
        body: html`<p data-testid="form-already-sent">
          This form was already sent once, and it was not sent again. Reload the order to see what the first one did
          before you send a new form. <a href="/admin/orders">Back to the orders</a>
        </p>`,
      });
      return true;
    }
    if (Date.now() > deadline) {
      await render(deps, req, reply, {
        title: 'Still being done',
        status: 409,
        body: html`<p data-testid="form-in-progress">
          This form was already sent and has not finished (or the server handling it stopped); it was not sent again.
          Reload the order in a moment to see what was done.
        </p>`,
      });
      return true;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Settles the claim with the answer: released only when the form was refused and recorded nothing. */
export async function settleFormOnce(deps: AppDeps, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const scopeKey = req.adminFormClaim;
  if (!scopeKey) return;
  req.adminFormClaim = undefined;
  if (reply.statusCode >= 400 && reply.statusCode < 500 && !req.adminFormRecorded) {
    await releaseFormClaim(deps, scopeKey);
    return;
  }
  // A redirect's target is kept (encrypted like the API's answers) to send a repeat there; a page
  // shown once (a new key, a link's URL) is never shown again, so nothing else is kept.
  const location = reply.statusCode >= 300 ? String(reply.getHeader('location') ?? '') : '';
  await completeFormClaim(deps, scopeKey, reply.statusCode, location);
}
