import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { AppDeps } from '../app/deps.js';
import { sessionUser } from '../app/users.js';
import { can, type Permission } from '../domain/roles.js';
import { isStorageDown } from '../web/storage-down.js';
import { html } from '../web/html.js';
import './context.js';
import { csrfOk, csrfTokenFor } from './csrf.js';
import { formOnce, settleFormOnce } from './form-once.js';
import { csrfRefused, render, sendPublic } from './render.js';
import { SESSION_COOKIE } from './session-cookie.js';
import { signInPages } from './pages/sign-in.js';
import { orderListPages } from './pages/orders.js';
import { orderPages } from './pages/order.js';
import { taskPages } from './pages/tasks.js';
import { reconciliationPages } from './pages/reconciliation.js';
import { diagnosticsPages } from './pages/diagnostics.js';
import { settingsPages } from './pages/settings.js';

/**
 * The admin pages, served under /admin by Settle itself over the same use cases as the API.
 * Every route names the permission it needs, and one guard checks, for every request: a live
 * session (else the sign-in page), the role's permission (else 403), and for every form post
 * the CSRF token (else 403) and its one-time id (a repeat does nothing again, form-once.ts).
 * Pages are HTML rendered on the server, escaped by default.
 */
export async function adminPlugin(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(cookie);

  app.addHook('onRoute', (route) => {
    const permission = route.config?.permission;
    if (!permission) throw new Error(`admin route ${String(route.method)} ${route.url} does not name its permission`);
    for (const method of [route.method].flat())
      ROUTES.set(`${method} ${route.url}`, { method, url: route.url, permission });
  });

  app.addHook('preHandler', async (req, reply) => {
    // The not-found handler runs these hooks too; it names no permission and shows nothing.
    if (req.is404) return;
    const permission = req.routeOptions.config.permission;
    const token = req.cookies[SESSION_COOKIE];
    const found = token ? await sessionUser(req.deps, token) : undefined;
    if (found) req.admin = { ...found, csrfToken: csrfTokenFor(found.session.csrfSecret, found.user.id) };
    if (permission === 'public') return;
    if (!req.admin) {
      if (req.method === 'GET' || req.method === 'HEAD')
        return reply
          .code(303)
          .header('location', `/admin/sign-in?next=${encodeURIComponent(req.url)}`)
          .send();
      return sendPublic(
        reply,
        401,
        'Signed out',
        html`<p>Your session has ended. <a href="/admin/sign-in">Sign in</a> again; nothing was changed.</p>`,
      );
    }
    if (permission !== 'signed_in' && (!permission || !can(req.admin.user.role, permission))) {
      return render(req.deps, req, reply, {
        title: 'Not allowed',
        status: 403,
        body: html`<p data-testid="forbidden">Your role (${req.admin.user.role}) cannot open this page or do this.</p>`,
      });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && !req.routeOptions.config.csrfInHandler) {
      if (!csrfOk(req)) return csrfRefused(req.deps, req, reply);
      // The same form sent twice does its work once.
      if (await formOnce(req.deps, req, reply)) return reply;
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    try {
      await settleFormOnce(req.deps, req, reply);
    } catch (err) {
      // The database went away after the work: the claim stays unanswered, so the same form is
      // never done again (a repeat is told to check the order).
      req.log.error(
        { err: { message: err instanceof Error ? err.message : String(err) } },
        'admin form claim not settled',
      );
    }
    return payload;
  });

  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    // The database being away is a 503 here as in the API: retry shortly, nothing was done.
    if (isStorageDown(err)) {
      req.log.error({ err: { code: err.code, message: err.message } }, 'storage unavailable');
      reply.header('retry-after', '1');
      // A form may have been cut off half-way (a refund requested and paid, its answer not
      // recorded): never say nothing was done for a post.
      const told =
        req.method === 'GET' || req.method === 'HEAD'
          ? html`<p class="error" role="alert">The database cannot be reached just now. Try again in a moment.</p>`
          : html`<p class="error" role="alert">
              The database could not be reached while this was being done, so part of it may have been recorded. Reload
              the order in a moment and check its timeline before you send anything again.
            </p>`;
      return sendPublic(reply, 503, 'Try again shortly', told);
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : undefined;
    if (status === undefined) req.log.error({ err }, 'admin page failed');
    const message =
      status === 413
        ? 'The form or file is larger than this page takes.'
        : status !== undefined
          ? 'The request could not be read as sent.'
          : 'Something went wrong on our side; it was logged.';
    const body = html`<p class="error" role="alert">${message}</p>
      <p><a href="/admin/orders">Back to the orders</a></p>`;
    return req.admin
      ? render(req.deps, req, reply, { title: 'Not done', status: status ?? 500, body })
      : sendPublic(reply, status ?? 500, 'Not done', body);
  });
  app.setNotFoundHandler(async (req, reply) => {
    const body = html`<p>There is no such page.</p>
      <p><a href="/admin/orders">Back to the orders</a></p>`;
    return sendPublic(reply, 404, 'Not found', body);
  });

  await signInPages(app);
  await orderListPages(app);
  await orderPages(app, deps);
  await taskPages(app);
  await reconciliationPages(app);
  await diagnosticsPages(app);
  await settingsPages(app);
}

const ROUTES = new Map<string, { method: string; url: string; permission: Permission | 'public' | 'signed_in' }>();

/** Every admin route with the permission it needs (the same for every server built): for the role tests. */
export const adminRouteTable = () => [...ROUTES.values()];
