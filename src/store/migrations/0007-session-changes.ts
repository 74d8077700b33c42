/**
 * Session changes (logout, password change, step-up) as rows, for processes that share one SQLite
 * file: SQLite has no LISTEN/NOTIFY, so each process polls this feed to drop revoked sessions from
 * its cache (store/sqlite.ts). Written in the transaction that makes the change; rows older than
 * an hour are pruned. PostgreSQL announces with NOTIFY and leaves the table empty.
 */
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type Dialect } from './column-types';

export function sessionChanges(dialect: Dialect): Migration {
  const { time, idType, id } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('session_changes')
        .addColumn('id', idType, id)
        .addColumn('account_id', idType, (c) => c.notNull())
        .addColumn('at', time, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('session_changes').execute();
    },
  };
}
