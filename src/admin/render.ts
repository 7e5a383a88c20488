import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app/deps.js';
import { openTaskCount } from '../app/queries/admin-tasks.js';
import { formatDecimal } from '../domain/money.js';
import type { Failure } from '../domain/result.js';
import type { Actor } from '../domain/timeline.js';
import { ERROR_STATUS } from '../web/error-codes.js';
import { html, type Html } from '../web/html.js';
import type { AdminContext } from './context.js';
import { adminPage, publicPage } from './layout.js';
import { toneOf } from './status-tone.js';

/** The signed-in person; the plugin's guard has run, so a page handler always has one. */
export function who(req: FastifyRequest): AdminContext {
  if (!req.admin) throw new Error('admin page reached without a session (guard missing)');
  return req.admin;
}

/** How the timeline names what a signed-in person did. */
export const userActor = (req: FastifyRequest): Actor => `user:${who(req).user.email}`;

/** Sends a page in the admin layout. */
export async function render(
  deps: AppDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  page: { title: string; body: Html; notice?: string; error?: string; status?: number },
): Promise<FastifyReply> {
  const ctx = who(req);
  const tasks = await openTaskCount(deps, ctx.user);
  return sendHtml(reply, page.status ?? 200, adminPage(ctx, { ...page, tasks }));
}

export function sendHtml(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'same-origin')
    .header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    )
    .send(body);
}

/**
 * A refused action: the use case's own message, with the status the API would give, and a way
 * back. Use cases refuse before they write, so nothing was changed — except where the provider
 * refused after the intent was recorded (`recorded`): then the timeline says what happened.
 */
export async function refusal(
  deps: AppDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  failure: Failure,
  back: { href: string; label: string },
  opts: { recorded?: boolean } = {},
): Promise<FastifyReply> {
  const status = ERROR_STATUS[failure.code] ?? 400;
  // Its form is spent: sending it again would repeat what was recorded (form-once.ts).
  if (opts.recorded) req.adminFormRecorded = true;
  return render(deps, req, reply, {
    title: 'Not done',
    status: status >= 500 ? 409 : status,
    error: failure.message,
    body: html`<p data-testid="refusal" data-code="${failure.code}">
        ${opts.recorded ? 'The attempt and its outcome are on the order’s timeline.' : 'Nothing was changed.'}
      </p>
      <p><a href="${back.href}">${back.label}</a></p>`,
  });
}

/** A form whose CSRF token is missing or wrong: refused before anything is done. */
export function csrfRefused(deps: AppDeps, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  return render(deps, req, reply, {
    title: 'Form refused',
    status: 403,
    body: html`<p data-testid="csrf-refused">
      This form did not come from a page of this session (its security token is missing or wrong), so nothing was done.
      Go back, reload the page and try again.
    </p>`,
  });
}

/** A page before sign-in or outside the layout (an error with no session). */
export function sendPublic(reply: FastifyReply, status: number, title: string, body: Html): FastifyReply {
  return sendHtml(reply, status, publicPage(title, body));
}

/**
 * The hidden fields every form carries: the session's CSRF token, and a one-time id of this form
 * (16 random bytes) so that sending it twice does its work once (form-once.ts).
 */
export const csrfField = (ctx: AdminContext): Html =>
  html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}" /><input
      type="hidden"
      name="_once"
      value="${randomBytes(16).toString('base64url')}"
    />`;

/** A form field as one string: absent, repeated or non-text values read as undefined. */
export function field(body: unknown, name: string): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const v = (body as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}

/** A form field as a list (checkboxes, multi-selects). */
export function fields(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object') return [];
  const v = (body as Record<string, unknown>)[name];
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export const money = (amount: number, currency: string): string => `${formatDecimal(amount, currency)} ${currency}`;

/** An instant as "2026-11-23 14:05 UTC", the one way the pages show time (a narrow column breaks it after the day only). */
export const when = (iso: string | null | undefined): Html =>
  iso
    ? html`<time datetime="${iso}"><span>${iso.slice(0, 10)}</span> <span>${iso.slice(11, 16)} UTC</span></time>`
    : html``;

/** A link to an order's page, named by its reference (from orderReferences) where known. */
export const orderLink = (id: string | null, refs: Map<string, string>): Html =>
  id ? html`<a href="/admin/orders/${encodeURIComponent(id)}">${refs.get(id) ?? id}</a>` : html`<small>none</small>`;

/** A status as a small pill, coloured by what it means (status-tone.ts). */
export const badge = (status: string): Html =>
  html`<span class="badge tone-${toneOf(status)}" data-status="${status}">${status.replaceAll('_', ' ')}</span>`;

/** A redirect after a form post (Post/Redirect/Get), so a reload does not post again. */
export const seeOther = (reply: FastifyReply, to: string): FastifyReply =>
  reply.code(303).header('location', to).send();
