import Tokens from '@fastify/csrf';
import type { FastifyRequest } from 'fastify';
import './context.js';

// Synchroniser tokens from @fastify/csrf: the secret lives in the session row (server side), the
// token in each form, and the token is bound to the user, so a token from one person's page is
// refused on another's session. Before sign-in, the secret is a short-lived cookie instead.
// (Its declared return type is the overload without userInfo, hence the cast.)
const tokens = Tokens({ userInfo: true }) as unknown as Tokens.TokensUserinfo;

export const newCsrfSecret = (): string => tokens.secretSync();
export const csrfTokenFor = (secret: string, who: string): string => tokens.create(secret, who);

export function csrfValid(secret: string, who: string, token: unknown): boolean {
  return typeof token === 'string' && token.length > 0 && token.length < 200 && tokens.verify(secret, token, who);
}

/** The form's token must match this session's secret and this user. */
export function csrfOk(req: FastifyRequest, token?: unknown): boolean {
  const ctx = req.admin;
  const given =
    token ??
    (req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>)._csrf : undefined) ??
    req.headers['x-csrf-token'];
  return ctx !== undefined && csrfValid(ctx.session.csrfSecret, ctx.user.id, given);
}
