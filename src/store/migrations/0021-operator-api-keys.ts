/**
 * Support-API keys that belong to an operator (issue 18): a short public id (one indexed read
 * finds the key) and the keyed hash of the whole key, never the key. A desk request remembers
 * whether it came from the console or the API, and through which key. Depends on 0018.
 */
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type Dialect } from './column-types';

export function operatorApiKeys(dialect: Dialect): Migration {
  const { time, id, idType } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('operator_api_keys')
        .addColumn('id', idType, id)
        .addColumn('public_id', 'text', (c) => c.notNull().unique())
        .addColumn('operator_id', idType, (c) => c.notNull().references('operators.id').onDelete('cascade'))
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('revoked_at', time)
        .addColumn('last_used_at', time)
        .execute();
      await db.schema.createIndex('operator_api_keys_operator').on('operator_api_keys').column('operator_id').execute();
      await db.schema.alterTable('desk_requests').addColumn('channel', 'text', (c) => c.notNull().defaultTo('console')).execute();
      await db.schema.alterTable('desk_requests').addColumn('api_key_id', idType).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('desk_requests').dropColumn('api_key_id').execute();
      await db.schema.alterTable('desk_requests').dropColumn('channel').execute();
      await db.schema.dropTable('operator_api_keys').execute();
    },
  };
}
