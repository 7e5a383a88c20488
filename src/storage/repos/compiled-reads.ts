import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { RepoContext } from './context.js';
import { Slot, template } from './compiled-writes.js';

/**
 * A hot read, compiled once per store and filled with this call's values. Kysely builds and
 * compiles each query anew, about 14 µs a query on this machine: a callback reads ten times on
 * SQLite, so the reads on its path come through here, built by Kysely as before (the same
 * SQL, tested equal) with `slot(n)` standing for the call's n-th value. `name` names the read
 * and must be unique to its call site: the SQL is kept under it.
 */
export async function readCompiled<O>(
  ctx: RepoContext,
  name: string,
  // The slots stand in for values of any column's type, hence `any` at this one place.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  build: (db: Kysely<Database>, slot: (n: number) => any) => Compilable<O>,
  values: readonly unknown[],
): Promise<O[]> {
  return (await ctx.run(compiledRead(ctx, name, build, values))).rows;
}

/** readCompiled's statement, filled with `values`, not run. */
export function compiledRead<O>(
  ctx: RepoContext,
  name: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  build: (db: Kysely<Database>, slot: (n: number) => any) => Compilable<O>,
  values: readonly unknown[],
): CompiledQuery<O> {
  const t = template(`${ctx.dialect}\tread\t${name}`, () => build(ctx.db, (n) => new Slot(n)).compile());
  return CompiledQuery.raw(
    t.sql,
    t.take.map((n) => values[n]),
  ) as CompiledQuery<O>;
}
