import type { ApiKeyRecord, SessionRecord, UserRecord } from '../../domain/access.js';
import type { AccessReads, AccessWrites } from '../../ports/storage/access.js';
import { readCompiled } from './compiled-reads.js';
import type { RepoContext, Row } from './context.js';

export function apiKeyFromRow(r: Row<'api_keys'>): ApiKeyRecord {
  return {
    id: r.id,
    name: r.name,
    keyHash: r.key_hash,
    prefix: r.prefix,
    scopes: r.scopes.split(',').filter(Boolean) as ApiKeyRecord['scopes'],
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

export function userFromRow(r: Row<'users'>): UserRecord {
  return {
    id: r.id,
    email: r.email,
    emailNorm: r.email_norm,
    role: r.role as UserRecord['role'],
    passwordHash: r.password_hash,
    createdAt: r.created_at,
    disabledAt: r.disabled_at,
  };
}

export function sessionFromRow(r: Row<'admin_sessions'>): SessionRecord {
  return {
    tokenHash: r.token_hash,
    userId: r.user_id,
    csrfSecret: r.csrf_secret,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
  };
}

export function accessRepo(ctx: RepoContext): AccessReads & AccessWrites {
  return {
    async findApiKeyByHash(keyHash) {
      // Every store API request reads its key: compiled once (compiled-reads.ts).
      const [r] = await readCompiled(
        ctx,
        'findApiKeyByHash',
        (db, s) => db.selectFrom('api_keys').selectAll().where('key_hash', '=', s(0)),
        [keyHash],
      );
      return r && apiKeyFromRow(r);
    },

    async listApiKeys() {
      const rows = await ctx.db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(apiKeyFromRow);
    },

    async getUser(id) {
      const r = await ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return r && userFromRow(r);
    },

    async findUserByEmail(emailNorm) {
      const r = await ctx.db.selectFrom('users').selectAll().where('email_norm', '=', emailNorm).executeTakeFirst();
      return r && userFromRow(r);
    },

    async listUsers() {
      const rows = await ctx.db.selectFrom('users').selectAll().orderBy('email_norm').execute();
      return rows.map(userFromRow);
    },

    async findSession(tokenHash) {
      const r = await ctx.db
        .selectFrom('admin_sessions')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return r && sessionFromRow(r);
    },

    async countSignInFailures(q) {
      const count = async (column: 'email_norm' | 'ip', value: string) => {
        const { n } = await ctx.db
          .selectFrom('sign_in_attempts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where(column, '=', value)
          .where('at', '>=', q.since)
          .where('succeeded', '=', 0)
          .executeTakeFirstOrThrow();
        return Number(n);
      };
      return { byEmail: await count('email_norm', q.emailNorm), byIp: await count('ip', q.ip) };
    },

    async insertApiKey(k) {
      await ctx.db
        .insertInto('api_keys')
        .values({
          id: k.id,
          name: k.name,
          key_hash: k.keyHash,
          prefix: k.prefix,
          scopes: k.scopes.join(','),
          created_at: k.createdAt,
          revoked_at: k.revokedAt,
        })
        .execute();
    },

    async revokeApiKey(id, at) {
      await ctx.db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
    },

    async insertUser(u) {
      const r = await ctx.db
        .insertInto('users')
        .values({
          id: u.id,
          email: u.email,
          email_norm: u.emailNorm,
          role: u.role,
          password_hash: u.passwordHash,
          created_at: u.createdAt,
          disabled_at: u.disabledAt,
        })
        .onConflict((oc) => oc.column('email_norm').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async updateUser(id, p) {
      await ctx.db
        .updateTable('users')
        .set({
          ...(p.role !== undefined && { role: p.role }),
          ...(p.passwordHash !== undefined && { password_hash: p.passwordHash }),
          ...(p.disabledAt !== undefined && { disabled_at: p.disabledAt }),
        })
        .where('id', '=', id)
        .execute();
    },

    async insertSession(x) {
      await ctx.db
        .insertInto('admin_sessions')
        .values({
          token_hash: x.tokenHash,
          user_id: x.userId,
          csrf_secret: x.csrfSecret,
          created_at: x.createdAt,
          last_seen_at: x.lastSeenAt,
          expires_at: x.expiresAt,
        })
        .execute();
    },

    async touchSession(tokenHash, lastSeenAt) {
      await ctx.db
        .updateTable('admin_sessions')
        .set({ last_seen_at: lastSeenAt })
        .where('token_hash', '=', tokenHash)
        .execute();
    },

    async deleteSession(tokenHash) {
      await ctx.db.deleteFrom('admin_sessions').where('token_hash', '=', tokenHash).execute();
    },

    async deleteUserSessions(userId) {
      await ctx.db.deleteFrom('admin_sessions').where('user_id', '=', userId).execute();
    },

    async insertSignInAttempt(a) {
      await ctx.db
        .insertInto('sign_in_attempts')
        .values({ id: a.id, email_norm: a.emailNorm, ip: a.ip, succeeded: a.succeeded ? 1 : 0, at: a.at })
        .execute();
    },
  };
}
