/**
 * Kysely's SQLite dialect, with one change: a LIMIT that is a whole number is written into the
 * SQL (`limit 100`) instead of being bound (`limit ?`).
 *
 * SQLite's planner (3.53, as bundled by better-sqlite3) looks at a bound LIMIT's value when it
 * plans an ORDER BY … LIMIT, and marks the statement as depending on it; every later bind of that
 * parameter, even with the same value, then makes the next step compile the statement again.
 * The login's reads of its past places and failures (`order by id desc limit ?`) were compiled
 * anew on every login: 5 % of the main thread, under gdb on `sqlite3Reprepare`
 * (docs/performance.md). With the number in the SQL the cached statement is reused. Limits are
 * few distinct numbers (constants of the code, a page size), so the statement cache stays small;
 * only safe integers are written, so no value a client sent can reach the SQL text as anything
 * else.
 */
import { SqliteDialect, SqliteQueryCompiler, ValueNode, type LimitNode, type QueryCompiler } from 'kysely';

class LiteralLimitCompiler extends SqliteQueryCompiler {
  protected override visitLimit(node: LimitNode): void {
    const value = ValueNode.is(node.limit) ? node.limit.value : undefined;
    if (typeof value === 'number' && Number.isSafeInteger(value)) this.append(`limit ${value}`);
    else super.visitLimit(node);
  }
}

export class LiteralLimitSqliteDialect extends SqliteDialect {
  override createQueryCompiler(): QueryCompiler {
    return new LiteralLimitCompiler();
  }
}
