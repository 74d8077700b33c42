/**
 * Statements of the 09:00 path (a login's dozen statements) built once and run many times. Kysely
 * builds an immutable tree for every query and compiles it to SQL anew each time: on the login
 * path that was a fifth of the main thread's time, more than SQLite itself spent running them
 * (bench/profile.ts, docs/performance.md). A prepared statement is written with Kysely as any other
 * (typed, the same for both dialects), with named slots where the values go; the first run on a
 * dialect compiles it, later runs only put the values in the slots' places and execute.
 *
 * Only for statements whose SQL never depends on the values (no optional clauses, no lists of
 * varying length): the slots are placeholders, so their values cannot change the SQL's shape.
 */
import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import type { Db } from './rows';

/** A placeholder compiled into the statement's parameters, replaced by the run's value. */
class Slot {
  constructor(readonly name: string) {}
}

interface Compiled {
  sql: string;
  /** Each parameter: a slot's name, or a constant the builder put there itself. */
  params: readonly (Slot | unknown)[];
}

export interface Prepared<P, R> {
  execute(db: Db, values: P): Promise<R[]>;
  first(db: Db, values: P): Promise<R | undefined>;
  /** The result itself: rows, and for a write the affected row count. */
  run(db: Db, values: P): Promise<QueryResult<R>>;
}

/** `$` holds the slots, typed as the values they stand for, so that the builder type-checks them alike. */
export function prepared<P extends object, R>(build: (db: Db, $: P) => Compilable<R>): Prepared<P, R> {
  const slots = new Proxy({} as P, { get: (_, name) => new Slot(String(name)) });
  // Per dialect: the adapter is one object per store, shared by its transactions.
  const byAdapter = new WeakMap<object, Compiled>();
  const compiledFor = (db: Db): Compiled => {
    const adapter = db.getExecutor().adapter;
    let c = byAdapter.get(adapter);
    if (!c) {
      const q = build(db, slots).compile();
      c = { sql: q.sql, params: q.parameters };
      byAdapter.set(adapter, c);
    }
    return c;
  };
  const run = (db: Db, values: P): Promise<QueryResult<R>> => {
    const c = compiledFor(db);
    const params = c.params.map((p) => (p instanceof Slot ? bound(values, p.name) : p));
    return db.executeQuery(CompiledQuery.raw(c.sql, params) as CompiledQuery<R>);
  };
  return {
    run,
    execute: async (db, values) => (await run(db, values)).rows,
    first: async (db, values) => (await run(db, values)).rows[0],
  };
}

/**
 * One prepared statement per number that shapes the SQL, built by `make(n)` when first met: a
 * list of varying length (`IN (…)`, as slots `v0`, `v1`… from `listSlots(n, $)`), or a LIMIT,
 * which SQLite wants written into the SQL (sqlite-compiler.ts).
 */
export function perNumber<S>(make: (n: number) => S): (n: number) => S {
  const made = new Map<number, S>();
  return (n) => made.get(n) ?? made.set(n, make(n)).get(n)!;
}

export type ListSlots = Record<`v${number}`, string>;
export const listValues = (values: readonly string[]): ListSlots => Object.fromEntries(values.map((v, i) => [`v${i}`, v]));
export const listSlots = (n: number, $: ListSlots): string[] => Array.from({ length: n }, (_, i) => $[`v${i}`]!);

/** The named slots as one object: an insert's `values(...)` of slots, its columns listed once. */
export function slotsFor<P, K extends keyof P>($: P, names: readonly K[]): Pick<P, K> {
  return Object.fromEntries(names.map((n) => [n, $[n]])) as Pick<P, K>;
}

function bound(values: object, name: string): unknown {
  const v = (values as Record<string, unknown>)[name];
  // A missing value would reach the driver as undefined: better-sqlite3 refuses it, pg sends NULL.
  if (v === undefined) throw new Error(`prepared statement: no value for ${name}`);
  return v;
}
