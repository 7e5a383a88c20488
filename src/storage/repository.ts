import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { StorageTx } from '../ports/storage.js';
import { postgresOrderState } from './postgres/order-state.js';
import { batched, type WriteBatch } from './postgres/write-batch.js';
import { accessRepo } from './repos/access.js';
import { attemptRepo } from './repos/attempts.js';
import { callbackRepo } from './repos/callbacks.js';
import type { Dialect, RepoContext } from './repos/context.js';
import { deliveryRepo } from './repos/delivery.js';
import { moneyRecordRepo } from './repos/money-records.js';
import { orderStateRepo } from './repos/order-state.js';
import { orderRepo } from './repos/orders.js';
import { outboxRepo } from './repos/outbox.js';
import { paymentLinkRepo } from './repos/payment-links.js';
import { paymentMethodRepo } from './repos/payment-methods.js';
import { providerOperationRepo } from './repos/provider-operations.js';
import { receiptRepo } from './repos/receipts.js';
import { reconciliationRecordRepo } from './repos/reconciliation-records.js';
import { reconciliationRepo } from './repos/reconciliation.js';
import { systemRepo } from './repos/system.js';
import { taskRepo } from './repos/tasks.js';
import { timelineRepo } from './repos/timeline.js';
import type { Database } from './schema.js';

export type { Dialect } from './repos/context.js';

/**
 * Every query Settle makes, over one Kysely executor: the pool for plain reads, or one
 * transaction's connection. The per-aggregate repositories share one context (the executor,
 * the timeline ends this transaction knows, where held writes go); on PostgreSQL lockOrderState
 * and what it answers afterwards are postgres/order-state.ts's, and a transaction's writes may
 * be held in `batch` (postgres/write-batch.ts).
 */
export function repository(db: Kysely<Database>, dialect: Dialect, batch: WriteBatch | null = null): StorageTx {
  return repositorySlot(dialect).bind(db, batch);
}

/** A repository built once and bound to one transaction at a time (see repositorySlot). */
export interface RepositorySlot {
  /** The repository, now over `db` (and, on PostgreSQL, holding writes in `batch`), with no timeline end known. */
  bind(db: Kysely<Database>, batch: WriteBatch | null): StorageTx;
}

/**
 * The repository of a hundred methods is built once per slot, not once per transaction: that
 * was a twentieth of a callback's CPU. A slot serves one transaction at a time; the stores keep
 * one for SQLite's single connection (sqlite/group-commit.ts) and a free list for PostgreSQL's
 * pool (postgres/open.ts). Binding resets everything a transaction may have left in the context.
 */
export function repositorySlot(
  dialect: Dialect,
  /** How compiled statements run (RepoContext.run), given the bound executor; by default through it. */
  run?: <R>(query: CompiledQuery<R>, db: Kysely<Database>) => Promise<QueryResult<R>>,
): RepositorySlot {
  let batch: WriteBatch | null = null;
  const ctx: RepoContext = {
    db: null as unknown as Kysely<Database>,
    dialect,
    run: run ? (query) => run(query, ctx.db) : (query) => ctx.db.executeQuery(query),
    lastSeq: new Map(),
    write: async (table, kind, query) => {
      if (batch) await batch.add(table, kind, query);
      else await query.execute();
    },
    flush: async () => {
      await batch?.flush();
    },
  };
  const plain = merge(
    orderRepo(ctx),
    attemptRepo(ctx),
    timelineRepo(ctx),
    moneyRecordRepo(ctx),
    receiptRepo(ctx),
    deliveryRepo(ctx),
    paymentLinkRepo(ctx),
    taskRepo(ctx),
    callbackRepo(ctx),
    providerOperationRepo(ctx),
    paymentMethodRepo(ctx),
    outboxRepo(ctx),
    reconciliationRepo(ctx),
    reconciliationRecordRepo(ctx),
    accessRepo(ctx),
    systemRepo(ctx),
  );
  const pgState = dialect === 'postgres' ? postgresOrderState(ctx, plain) : null;
  const tx: StorageTx = pgState
    ? batched(merge(plain, pgState.methods), () => batch)
    : merge(plain, orderStateRepo(ctx, plain));
  return {
    bind(db, held) {
      ctx.db = db;
      ctx.lastSeq.clear();
      pgState?.reset();
      batch = held;
      return tx;
    },
  };
}

type Merged<T extends readonly object[]> = T extends readonly [infer H, ...infer R extends readonly object[]]
  ? H & Merged<R>
  : unknown;

/**
 * The parts' methods in one object, later parts winning. Object.assign, not an object spread:
 * a spread of a hundred methods cost V8 about ten times as much, once per transaction.
 */
function merge<T extends readonly object[]>(...parts: T): Merged<T> {
  const target = {};
  for (const part of parts) Object.assign(target, part);
  return target as Merged<T>;
}
