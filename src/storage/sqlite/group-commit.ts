import { AsyncResource } from 'node:async_hooks';
import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, type Kysely, type SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import type { StorageTx } from '../../ports/storage.js';
import { repositorySlot } from '../repository.js';
import type { Database } from '../schema.js';
import { directRun } from './direct-run.js';
import { cachingStatements } from './statement-cache.js';

/** The most transactions one commit carries: bounds the first member's wait and a lost group's size. */
export const MAX_GROUP = 64;

/** A member whose own work succeeded but whose group's transaction did not commit. */
export class GroupLost extends Error {
  /** A retry may cure it, so the shells answer 503 (web/storage-down.ts). */
  readonly code = 'GROUP_COMMIT_LOST';
  constructor(cause: unknown) {
    super('the shared SQLite commit failed; nothing of this transaction was kept', { cause });
    this.name = 'GroupLost';
  }
}

interface Member {
  fn: (tx: StorageTx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface GroupCommitStats {
  /** Commits made (each one fsync of the WAL under synchronous=FULL). */
  groups: number;
  /** Transactions carried by them, rolled-back members included. */
  members: number;
}

export interface GroupCommitOptions {
  /** The connection's prepared statements (open.ts shares the dialect's cache); a cache of its own by default. */
  statements?: KyselySqliteDatabase;
  /** Called after the group's statements, just before its COMMIT: the crash test stops the process here. */
  beforeCommit?: (size: number) => void;
}

/**
 * Group commit over SQLite's one connection. One SQLite file has one writer, and each commit
 * waits for an fsync; so transactions asked for while a group runs wait for the next turn, and
 * one turn runs them all in one BEGIN IMMEDIATE … COMMIT, each member in its own SAVEPOINT. A
 * member that throws is rolled back to its savepoint alone and rejected at once (nothing of it
 * is kept); the others resolve only after the COMMIT that holds them has returned, so nothing is
 * acknowledged before it is durable. If SQLite itself ends the transaction (a full disk, an I/O
 * error) or the COMMIT fails, every member that had succeeded rejects with GroupLost.
 *
 * Members run one after another in arrival order, each seeing the ones before it, as they
 * would have one transaction at a time: the write lock is held from BEGIN IMMEDIATE to COMMIT,
 * so the order lock (which on SQLite is the write lock) means what it meant. No library does
 * this for better-sqlite3 with Kysely, hence a module of our own.
 */
export function groupCommit(db: Kysely<Database>, conn: SqliteDatabase.Database, opts: GroupCommitOptions = {}) {
  const queue: Member[] = [];
  // The turn holds Kysely's one connection throughout, so its statements, and the members'
  // compiled ones, run straight on it (direct-run.ts).
  const run = directRun(opts.statements ?? cachingStatements(conn));
  const exec = (text: string) => run(CompiledQuery.raw(text, []));
  // Members run one at a time, so one repository serves them all, bound anew for each.
  const slot = repositorySlot('sqlite', (query) => run(query));
  const stats: GroupCommitStats = { groups: 0, members: 0 };
  let scheduled = false;
  let running = false;

  const schedule = () => {
    if (scheduled || running || queue.length === 0) return;
    scheduled = true;
    // setImmediate, not a microtask: requests whose bytes arrived with this one get parsed and
    // join the turn.
    setImmediate(() => {
      scheduled = false;
      void turn();
    });
  };

  const turn = async () => {
    running = true;
    const group = queue.splice(0, MAX_GROUP);
    try {
      await db.connection().execute(async (c) => {
        try {
          await runGroup(c, group);
        } catch (e) {
          // BEGIN failed (another process held the file past busy_timeout), or a savepoint
          // statement did: nothing of the group is kept. Settled members stay as they were.
          if (conn.inTransaction) await exec('rollback').catch(() => undefined);
          for (const m of group) m.reject(new GroupLost(e));
        }
      });
    } catch (e) {
      for (const m of group) m.reject(new GroupLost(e));
    } finally {
      running = false;
      schedule();
    }
  };

  const runGroup = async (c: Kysely<Database>, group: Member[]) => {
    await exec('begin immediate');
    stats.groups += 1;
    stats.members += group.length;
    const done: { member: Member; result: unknown }[] = [];
    // A member alone in its turn needs no savepoint: if it fails, the whole transaction is its
    // own to roll back. That spares it the savepoint's journal, a copy of every page it changes.
    const alone = group.length === 1;
    for (let i = 0; i < group.length; i++) {
      const member = group[i]!;
      if (!alone) await exec('savepoint member');
      try {
        const result = await member.fn(slot.bind(c, null));
        if (!alone) await exec('release member');
        done.push({ member, result });
      } catch (e) {
        if (alone) {
          if (conn.inTransaction) await exec('rollback');
          member.reject(e);
          return;
        }
        if (!conn.inTransaction) {
          // SQLite rolled the whole transaction back: the ones before are lost, the ones after
          // go back to the front of the queue for the next turn.
          member.reject(e);
          for (const d of done) d.member.reject(new GroupLost(e));
          queue.unshift(...group.slice(i + 1));
          return;
        }
        await exec('rollback to member');
        await exec('release member');
        member.reject(e);
      }
    }
    try {
      opts.beforeCommit?.(group.length);
      await exec('commit');
    } catch (e) {
      if (conn.inTransaction) await exec('rollback').catch(() => undefined);
      for (const d of done) d.member.reject(new GroupLost(e));
      return;
    }
    for (const d of done) d.member.resolve(d.result);
  };

  const transaction = <T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      // A member runs inside the turn, which began in whichever caller scheduled it: bound here,
      // it runs in its own caller's async context (what a tracer that follows it, OpenTelemetry's
      // for one, attributes the member's work by). Not AsyncResource.bind: on Node 20 that also
      // defines a deprecated getter and setter on every bound function, 3% of a callback's JS.
      const scope = new AsyncResource('settle.transaction');
      const inScope = (tx: StorageTx) => scope.runInAsyncScope(fn, undefined, tx);
      queue.push({ fn: inScope, resolve: resolve as (v: unknown) => void, reject });
      schedule();
    });

  return { transaction, stats };
}
