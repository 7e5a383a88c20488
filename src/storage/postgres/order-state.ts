import { sql, type CompiledQuery } from 'kysely';
import type { StorageTx } from '../../ports/storage.js';
import { attemptFromRow } from '../repos/attempts.js';
import type { RepoContext, Row } from '../repos/context.js';
import { rowsOf } from '../repos/compiled-reads.js';
import { adjustmentFromRow, chargebackFromRow, refundFromRow } from '../repos/money-records.js';
import { operationFromRow } from '../repos/provider-operations.js';
import { lockOrderQuery, orderFromRow } from '../repos/orders.js';
import { pipelineOf } from './pipeline.js';
import { webhookEndpointFromRow } from '../repos/outbox.js';
import { settingValue } from '../repos/system.js';

type StateRow = { k: 'a' | 'r' | 'c' | 'd' | 'o' | 's' | 'w' | 'g'; n: number; r: Record<string, unknown> };

/** Statements run one after another: together through the transaction's pipeline, else one by one. */
async function inOrder(ctx: RepoContext, queries: CompiledQuery[]): Promise<{ rows: unknown[] }[]> {
  const pipeline = pipelineOf(ctx.db);
  if (pipeline) return pipeline.together(queries);
  const out: { rows: unknown[] }[] = [];
  for (const q of queries) out.push(await ctx.db.executeQuery(q));
  return out;
}

/** The calls this module answers in place of the plain repositories'. */
type Answered =
  | 'lockOrderState'
  | 'getSetting'
  | 'listWebhookEndpoints'
  | 'putSetting'
  | 'insertWebhookEndpoint'
  | 'updateWebhookEndpoint'
  | 'listOperations'
  | 'insertOperation'
  | 'updateOperation';

/**
 * PostgreSQL's lockOrderState: the order locked (FOR UPDATE), then its four lists, the timeline's
 * end, its provider operations still waiting for an answer, and the configuration the rest of the
 * transaction consults in one statement, as a callback's round trips are what bound its rate.
 * The settings, webhook endpoints and waiting operations read there answer the transaction's
 * later getSetting, listWebhookEndpoints and listOperations (of that order, status requested:
 * a new payment's check for a pending cancel) instead of a statement each; a write to any of
 * them drops it, so what the transaction writes is read again. They belong to
 * that one transaction: the repository slot calls `reset` whenever it is bound to the next, which
 * reads them afresh (a slot serves many transactions, and another may have changed them).
 */
export function postgresOrderState(
  ctx: RepoContext,
  plain: Pick<StorageTx, Exclude<Answered, 'lockOrderState'>>,
): { methods: Pick<StorageTx, Answered>; reset(): void } {
  let config: { settings: Map<string, string>; endpoints: Row<'webhook_endpoints'>[] } | null = null;
  let waiting: { orderId: string; rows: Row<'provider_operations'>[] } | null = null;
  const methods: Pick<StorageTx, Answered> = {
    async lockOrderState(id) {
      // The lock and the read go out together, in this order (pipeline.ts): PostgreSQL runs the
      // read only once the lock is held, with a snapshot taken then, so it sees what the lock's
      // last holder committed. Each row as to_jsonb (the columns are text, integer and bigint, so
      // the rows read back as pg returns them), each list numbered in its own order so the order
      // is the database's, as in the separate reads.
      const lock = lockOrderQuery(ctx, id);
      const state = sql<StateRow>`
      select 'a' as k, row_number() over (order by x.number) as n, to_jsonb(x) as r from payment_attempts x where x.order_id = ${id}
      union all select 'r', row_number() over (order by x.created_at, x.id), to_jsonb(x) from refunds x where x.order_id = ${id}
      union all select 'c', row_number() over (order by x.created_at, x.id), to_jsonb(x) from chargebacks x where x.order_id = ${id}
      union all select 'd', row_number() over (order by x.created_at, x.id), to_jsonb(x) from adjustments x where x.order_id = ${id}
      union all select 'o', row_number() over (order by x.updated_at, x.id), to_jsonb(x) from provider_operations x where x.order_id = ${id} and x.status = 'requested'
      union all select 's', 0, jsonb_build_object('last', max(x.seq)) from order_events x where x.order_id = ${id}
      union all select 'w', row_number() over (order by x.created_at, x.id), to_jsonb(x) from webhook_endpoints x
      union all select 'g', 0, jsonb_build_object('key', x.key, 'value', x.value) from settings x`.compile(ctx.db);
      const [locked, read] = await inOrder(ctx, [lock, state]);
      const [r] = rowsOf(lock, locked!.rows);
      const rows = read!.rows as StateRow[];
      if (!r) return undefined;
      const order = orderFromRow(r);
      const of = <T>(k: string, map: (row: never) => T): T[] =>
        rows
          .filter((x) => x.k === k)
          .sort((a, b) => Number(a.n) - Number(b.n))
          .map((x) => map(x.r as never));
      ctx.lastSeq.set(id, Number(rows.find((x) => x.k === 's')?.r.last ?? 0));
      waiting = { orderId: id, rows: of('o', (r: Row<'provider_operations'>) => r) };
      config = {
        settings: new Map(rows.filter((x) => x.k === 'g').map((x) => [String(x.r.key), String(x.r.value)])),
        endpoints: of('w', (r: Row<'webhook_endpoints'>) => r),
      };
      return {
        order,
        attempts: of('a', attemptFromRow),
        refunds: of('r', refundFromRow),
        chargebacks: of('c', chargebackFromRow),
        adjustments: of('d', adjustmentFromRow),
      };
    },

    async getSetting(key) {
      return config ? settingValue(config.settings.get(key)) : plain.getSetting(key);
    },

    async listWebhookEndpoints() {
      return config ? config.endpoints.map(webhookEndpointFromRow) : plain.listWebhookEndpoints();
    },

    async listOperations(q) {
      if (!waiting || q.orderId !== waiting.orderId || q.status !== 'requested' || q.updatedBefore)
        return plain.listOperations(q);
      return waiting.rows
        .filter((r) => !q.kind || r.kind === q.kind)
        .slice(0, q.limit)
        .map(operationFromRow);
    },

    async insertOperation(op) {
      waiting = null;
      await plain.insertOperation(op);
    },

    async updateOperation(id, patch) {
      waiting = null;
      await plain.updateOperation(id, patch);
    },

    async putSetting(key, value, at) {
      config = null;
      await plain.putSetting(key, value, at);
    },

    async insertWebhookEndpoint(e) {
      config = null;
      await plain.insertWebhookEndpoint(e);
    },

    async updateWebhookEndpoint(id, patch) {
      config = null;
      await plain.updateWebhookEndpoint(id, patch);
    },
  };
  return {
    methods,
    reset() {
      config = null;
      waiting = null;
    },
  };
}
