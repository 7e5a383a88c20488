import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app/deps.js';
import { SESSION_LIFETIME_MS } from '../domain/sign-in.js';

export const SESSION_COOKIE = 'settle_session';
/** Holds the CSRF secret of the sign-in form, before there is a session to hold it. */
export const PRE_SESSION_COOKIE = 'settle_signin';

/** Secure whenever Settle is reached over HTTPS (its public URL says so, or the request came in on TLS). */
function secure(deps: AppDeps, req: FastifyRequest): boolean {
  return deps.publicUrl.startsWith('https:') || req.protocol === 'https';
}

export function setCookie(
  deps: AppDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  name: string,
  value: string,
  maxAgeMs: number,
): void {
  reply.setCookie(name, value, {
    path: '/admin',
    httpOnly: true,
    sameSite: 'lax',
    secure: secure(deps, req),
    maxAge: Math.floor(maxAgeMs / 1000),
  });
}

export const setSessionCookie = (deps: AppDeps, req: FastifyRequest, reply: FastifyReply, token: string) =>
  setCookie(deps, req, reply, SESSION_COOKIE, token, SESSION_LIFETIME_MS);

export function clearCookie(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, name: string): void {
  reply.clearCookie(name, { path: '/admin', httpOnly: true, sameSite: 'lax', secure: secure(deps, req) });
}
