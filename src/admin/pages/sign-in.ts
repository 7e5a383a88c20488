import type { FastifyInstance } from 'fastify';
import { signIn, signOut } from '../../app/users.js';
import { ERROR_STATUS } from '../../web/error-codes.js';
import { html } from '../../web/html.js';
import { csrfTokenFor, csrfValid, newCsrfSecret } from '../csrf.js';
import { field, seeOther, sendPublic } from '../render.js';
import { clearCookie, PRE_SESSION_COOKIE, SESSION_COOKIE, setCookie, setSessionCookie } from '../session-cookie.js';

const SIGN_IN_FORM_MS = 60 * 60 * 1000;

/** Only a path inside the admin pages: a "next" pointing elsewhere would be an open redirect. */
function safeNext(next: string | undefined): string {
  return next && /^\/admin\/[A-Za-z0-9/_?=&%.:-]*$/.test(next) && !next.startsWith('//') ? next : '/admin/orders';
}

export async function signInPages(app: FastifyInstance) {
  app.get('/', { config: { permission: 'public' } }, async (_req, reply) => seeOther(reply, '/admin/orders'));

  app.get<{ Querystring: { next?: string } }>('/sign-in', { config: { permission: 'public' } }, async (req, reply) => {
    if (req.admin) return seeOther(reply, safeNext(req.query.next));
    const secret = newCsrfSecret();
    setCookie(req.deps, req, reply, PRE_SESSION_COOKIE, secret, SIGN_IN_FORM_MS);
    return sendPublic(reply, 200, 'Sign in', form(csrfTokenFor(secret, 'sign-in'), safeNext(req.query.next)));
  });

  app.post('/sign-in', { config: { permission: 'public' } }, async (req, reply) => {
    const secret = req.cookies[PRE_SESSION_COOKIE];
    const next = safeNext(field(req.body, 'next'));
    if (!secret || !csrfValid(secret, 'sign-in', field(req.body, '_csrf'))) {
      return sendPublic(
        reply,
        403,
        'Form refused',
        html`<p class="error" role="alert" data-testid="csrf-refused">
          This form has expired or did not come from Settle. <a href="/admin/sign-in">Open the sign-in page again</a>.
        </p>`,
      );
    }
    const email = field(req.body, 'email') ?? '';
    const r = await signIn(req.deps, { email, password: field(req.body, 'password') ?? '', ip: req.ip });
    if (!r.ok) {
      const fresh = newCsrfSecret();
      setCookie(req.deps, req, reply, PRE_SESSION_COOKIE, fresh, SIGN_IN_FORM_MS);
      return sendPublic(
        reply,
        ERROR_STATUS[r.error.code] ?? 401,
        'Sign in',
        html`<p class="error" role="alert" data-testid="sign-in-error">${r.error.message}</p>
          ${form(csrfTokenFor(fresh, 'sign-in'), next, email)}`,
      );
    }
    clearCookie(req.deps, req, reply, PRE_SESSION_COOKIE);
    setSessionCookie(req.deps, req, reply, r.value.token);
    req.log.info({ userId: r.value.user.id, role: r.value.user.role }, 'admin signed in');
    return seeOther(reply, next);
  });

  // Signing out is a form post like any other: it needs the session and its CSRF token, so a
  // foreign page cannot sign anyone out.
  app.post('/sign-out', { config: { permission: 'signed_in' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await signOut(req.deps, token);
    clearCookie(req.deps, req, reply, SESSION_COOKIE);
    return seeOther(reply, '/admin/sign-in');
  });
}

function form(csrf: string, next: string, email = '') {
  return html`<form method="post" action="/admin/sign-in">
    <input type="hidden" name="_csrf" value="${csrf}" /><input type="hidden" name="next" value="${next}" />
    <label
      >E-mail <input type="email" name="email" value="${email}" autocomplete="username" required autofocus
    /></label>
    <label>Password <input type="password" name="password" autocomplete="current-password" required /></label>
    <button type="submit">Sign in</button>
  </form>`;
}
