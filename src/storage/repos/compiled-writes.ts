import { CompiledQuery, type Expression, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { RepoContext } from './context.js';

/** A write compiled once for its shape and filled with this call's values: what ctx.write takes. */
export interface PreparedWrite {
  compile(): CompiledQuery;
  execute(): Promise<unknown>;
}

type Values = Record<string, unknown>;

/** The schema as the templates see it: slots stand for values of every column's type, so Kysely only places them. */
type Untyped = Kysely<Record<string, Record<string, unknown>>>;
const untyped = (ctx: RepoContext) => ctx.db as unknown as Untyped;

/** A placeholder value: Kysely compiles it as a parameter like any other, so its place shows. */
export class Slot {
  constructor(readonly n: number) {}
}

export interface Template {
  sql: string;
  /** For each parameter of the compiled SQL, the index of the call's value it takes. */
  take: number[];
}

/** Compiled shapes, per store, table, columns and row count; a shape is a few hundred bytes. */
const templates = new Map<string, Template>();
const MAX_TEMPLATES = 2000;

/** The SQL of `key`'s shape, compiled by `build` (with a Slot for each value) the first time it is asked for. */
export function template(key: string, build: () => CompiledQuery): Template {
  let t = templates.get(key);
  if (!t) {
    const compiled = build();
    const take = compiled.parameters.map((p) => {
      if (!(p instanceof Slot)) throw new Error(`a compiled query has a constant parameter: ${key}`);
      return p.n;
    });
    t = { sql: compiled.sql, take };
    if (templates.size >= MAX_TEMPLATES) templates.clear();
    templates.set(key, t);
  }
  return t;
}

function prepared(ctx: RepoContext, t: Template, values: unknown[]): PreparedWrite {
  const compile = () =>
    CompiledQuery.raw(
      t.sql,
      t.take.map((n) => values[n]),
    );
  return { compile, execute: () => ctx.run(compile()) };
}

/** The columns a row writes: Kysely leaves out an undefined value (the column's default), so do we. */
const columnsOf = (row: Values) => Object.keys(row).filter((k) => row[k] !== undefined);

/**
 * `insert into table (columns) values (…), (…)`, compiled once per shape. Kysely builds and
 * compiles each query anew, and building an insert of fifteen columns was the largest part of its
 * share of a callback's CPU; the hot inserts and updates come through here instead, as the same
 * SQL with their values in place. Every row must write the same columns (the callers' rows do).
 */
export function insertRows<T extends keyof Database & string>(
  ctx: RepoContext,
  table: T,
  rows: Values[],
): PreparedWrite {
  const columns = columnsOf(rows[0]!);
  const values: unknown[] = [];
  for (const row of rows) {
    const own = columnsOf(row);
    if (own.length !== columns.length || own.some((c, i) => c !== columns[i]))
      throw new Error(`insertRows: rows of ${table} differ in columns`);
    for (const c of columns) values.push(row[c]);
  }
  const key = `${ctx.dialect}\tinsert\t${table}\t${columns.join(',')}\t${rows.length}`;
  const t = template(key, () => {
    let n = 0;
    const slots = rows.map(() => Object.fromEntries(columns.map((c) => [c, new Slot(n++)])));
    return untyped(ctx)
      .insertInto(table as string)
      .values(slots)
      .compile();
  });
  return prepared(ctx, t, values);
}

/** `update table set (columns) where id = ?`, compiled once per shape (see insertRows). */
export function updateById<T extends keyof Database & string>(
  ctx: RepoContext,
  table: T,
  set: Values,
  id: string,
): PreparedWrite {
  const columns = columnsOf(set);
  const values = [...columns.map((c) => set[c]), id];
  const key = `${ctx.dialect}\tupdate\t${table}\t${columns.join(',')}`;
  const t = template(key, () => {
    let n = 0;
    const slots = Object.fromEntries(columns.map((c) => [c, new Slot(n++)]));
    return untyped(ctx)
      .updateTable(table as string)
      .set(slots)
      .where('id', '=', new Slot(n))
      .compile();
  });
  return prepared(ctx, t, values);
}

/**
 * A column whose value the statement computes, built from the slots of the row's own columns. The
 * shape is kept under the column's name, not its SQL: one table's computed column must be built
 * the same way wherever it is written (the attempt's number is, in one place).
 */
export type Computed = (slot: (column: string) => Slot) => Expression<unknown>;

/**
 * `insert into table (columns) values (…) on conflict (conflict) do nothing returning id`,
 * compiled once per shape (see insertRows): whether the row went in. A new order and a new
 * attempt come through here, once per store API request each. A `computed` column takes its value
 * from SQL in the same statement (an attempt's number from a count, so the count costs no round trip).
 */
export async function insertUnlessConflict<T extends keyof Database & string>(
  ctx: RepoContext,
  table: T,
  row: Values,
  conflict: readonly string[],
  computed: Readonly<Record<string, Computed>> = {},
): Promise<boolean> {
  const columns = columnsOf(row);
  const extra = Object.keys(computed);
  const key = `${ctx.dialect}\tinsert-unless\t${table}\t${columns.join(',')}\t${extra.join(',')}\t${conflict.join(',')}`;
  const t = template(key, () => {
    const slot = (column: string) => {
      const n = columns.indexOf(column);
      if (n < 0) throw new Error(`insertUnlessConflict: ${table} has no value for ${column}`);
      return new Slot(n);
    };
    const values: Record<string, unknown> = Object.fromEntries(columns.map((c, i) => [c, new Slot(i)]));
    for (const c of extra) values[c] = computed[c]!(slot);
    return untyped(ctx)
      .insertInto(table as string)
      .values(values)
      .onConflict((oc) => oc.columns([...conflict]).doNothing())
      .returning('id')
      .compile();
  });
  const { rows } = await ctx.run(
    CompiledQuery.raw(
      t.sql,
      t.take.map((n) => row[columns[n]!]),
    ),
  );
  return rows.length === 1;
}
