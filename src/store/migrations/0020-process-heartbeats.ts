/**
 * The serving processes' heartbeats (issue 18): which process on this database holds which keys,
 * so that `mamori keys rotate` can name the processes to restart. Depends on nothing earlier.
 */
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type Dialect } from './column-types';

export function processHeartbeats(dialect: Dialect): Migration {
  const { time } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('process_heartbeats')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('started_at', time, (c) => c.notNull())
        .addColumn('seen_at', time, (c) => c.notNull())
        // Comma-separated key ids (a hash prefix, as in every sealed secret), the current key first.
        .addColumn('key_ids', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('process_heartbeats').execute();
    },
  };
}
