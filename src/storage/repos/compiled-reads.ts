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
  const query = compiledRead(ctx, name, build, values);
  return rowsOf(query, (await ctx.run(query)).rows);
}

// On PostgreSQL a whole-row read (`select * from "table" …`) is sent as `select to_jsonb("table")
// as "r" from "table" …`: pg reads each answer's RowDescription and every field of its rows
// in JavaScript, and of a 23-column row that cost the server about 50–60 µs of CPU, against
// 40–50 µs for one jsonb column that V8's JSON.parse reads (5,000 prepared reads each way on
// this machine; the profile of a callback had pg's RowDescription handling alone at 6.7% of the
// server's CPU). The row has the same keys and values, except that a bigint column comes as a
// number, not a string: the row mappers take either (the state read's rows were jsonb already).
const WHOLE_ROWS = /^select \* from ("[a-z_]+")( where | order by |$)/;

function asJsonRows(sql: string): string {
  const m = WHOLE_ROWS.exec(sql);
  return m ? `select to_jsonb(${m[1]}) as "r" from ${sql.slice('select * from '.length)}` : sql;
}

/** The rows of the answer to `query` (from compiledRead), as readCompiled returns them. */
export function rowsOf<O>(query: CompiledQuery<O>, rows: unknown[]): O[] {
  return query.sql.startsWith('select to_jsonb(') ? rows.map((x) => (x as { r: O }).r) : (rows as O[]);
}

/** readCompiled's statement, filled with `values`, not run: read its answer's rows with rowsOf. */
export function compiledRead<O>(
  ctx: RepoContext,
  name: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  build: (db: Kysely<Database>, slot: (n: number) => any) => Compilable<O>,
  values: readonly unknown[],
): CompiledQuery<O> {
  const t = template(`${ctx.dialect}\tread\t${name}`, () => {
    const compiled = build(ctx.db, (n) => new Slot(n)).compile();
    return ctx.dialect === 'postgres' ? { ...compiled, sql: asJsonRows(compiled.sql) } : compiled;
  });
  return CompiledQuery.raw(
    t.sql,
    t.take.map((n) => values[n]),
  ) as CompiledQuery<O>;
}
