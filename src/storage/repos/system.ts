import type { IdempotencyRecord } from '../../domain/idempotency.js';
import type { SystemReads, SystemWrites } from '../../ports/storage/system.js';
import type { RepoContext, Row } from './context.js';
import { readCompiled } from './compiled-reads.js';

export function idempotencyFromRow(r: Row<'idempotency_keys'>): IdempotencyRecord {
  return {
    scopeKey: r.scope_key,
    requestHash: r.request_hash,
    responseStatus: r.response_status === null ? null : Number(r.response_status),
    responseBody: r.response_body,
    createdAt: r.created_at,
  };
}

/** A setting's stored text as the value it was put as. */
export function settingValue(text: string | undefined): unknown {
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}

export function systemRepo(ctx: RepoContext): SystemReads & SystemWrites {
  return {
    async getSetting(key) {
      const [r] = await readCompiled(
        ctx,
        'getSetting',
        (db, s) => db.selectFrom('settings').select('value').where('key', '=', s(0)),
        [key],
      );
      return settingValue(r?.value);
    },

    async getIdempotency(scopeKey) {
      const r = await ctx.db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('scope_key', '=', scopeKey)
        .executeTakeFirst();
      return r && idempotencyFromRow(r);
    },

    async putSetting(key, value, at) {
      const text = JSON.stringify(value);
      await ctx.db
        .insertInto('settings')
        .values({ key, value: text, updated_at: at })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: text, updated_at: at }))
        .execute();
    },

    async takeLease(name, holder, now, ttlMs) {
      const current = await ctx.db.selectFrom('job_leases').selectAll().where('name', '=', name).executeTakeFirst();
      if (current && current.holder !== holder && current.expires_at > now.toISOString()) return false;
      const expires = new Date(now.getTime() + ttlMs).toISOString();
      await ctx.db
        .insertInto('job_leases')
        .values({ name, holder, expires_at: expires })
        .onConflict((oc) => oc.column('name').doUpdateSet({ holder, expires_at: expires }))
        .execute();
      return true;
    },

    async releaseLease(name, holder) {
      await ctx.db.deleteFrom('job_leases').where('name', '=', name).where('holder', '=', holder).execute();
    },

    async claimIdempotency(rec) {
      const rows = await ctx.db
        .insertInto('idempotency_keys')
        .values({
          scope_key: rec.scopeKey,
          request_hash: rec.requestHash,
          response_status: rec.responseStatus,
          response_body: rec.responseBody,
          created_at: rec.createdAt,
        })
        .onConflict((oc) => oc.column('scope_key').doNothing())
        .returning('scope_key')
        .execute();
      return rows.length === 1;
    },

    async completeIdempotency(scopeKey, status, body) {
      await ctx.db
        .updateTable('idempotency_keys')
        .set({ response_status: status, response_body: body })
        .where('scope_key', '=', scopeKey)
        .execute();
    },

    async releaseIdempotency(scopeKey) {
      await ctx.db
        .deleteFrom('idempotency_keys')
        .where('scope_key', '=', scopeKey)
        .where('response_status', 'is', null)
        .execute();
    },

    async pruneSignIns(before) {
      await ctx.db.deleteFrom('sign_in_attempts').where('at', '<', before).execute();
      await ctx.db.deleteFrom('admin_sessions').where('expires_at', '<', before).execute();
      // Admin forms' one-time ids (src/admin/form-once.ts): a repeat comes within seconds.
      await ctx.db
        .deleteFrom('idempotency_keys')
        .where('scope_key', 'like', 'admin:%')
        .where('created_at', '<', before)
        .execute();
    },

    async pruneIdempotencyKeys(before, limit) {
      // Through idempotency_keys_created_idx, a bounded batch (no DELETE … LIMIT on PostgreSQL).
      const r = await ctx.db
        .deleteFrom('idempotency_keys')
        .where('scope_key', 'in', (eb) =>
          eb
            .selectFrom('idempotency_keys')
            .select('scope_key')
            .where('created_at', '<', before)
            .orderBy('created_at')
            .limit(limit),
        )
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
