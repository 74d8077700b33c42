/**
 * Locks a transaction holds until it ends, for rules over several rows that no single conditional
 * statement can keep under PostgreSQL's READ COMMITTED ("at least one enabled supervisor": two
 * disables of different rows each saw the other still enabled). PostgreSQL: a transaction-scoped
 * advisory lock on the topic. SQLite: nothing to add, every transaction already begins IMMEDIATE
 * and so holds the database's write lock from its start (store/sqlite.ts).
 */
import { sql } from 'kysely';
import type { LockRepo } from '../../domain/store';
import type { Dialect } from '../migrations/column-types';
import type { Db } from '../rows';

export function locks(db: Db, dialect: Dialect): LockRepo {
  return {
    async hold(topic) {
      if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${topic}))`.execute(db);
    },
  };
}
