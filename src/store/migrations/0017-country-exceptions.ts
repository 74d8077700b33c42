/**
 * The desk's exceptions to ALLOWED_COUNTRIES: one account may log in from one more country until
 * a date (a customer travelling abroad). Written to depend on nothing after 0001.
 */
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type Dialect } from './column-types';

export function countryExceptions(dialect: Dialect): Migration {
  const { time, idType } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('country_exceptions')
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('country', 'text', (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('operator', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('country_exceptions_pk', ['account_id', 'country'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('country_exceptions').execute();
    },
  };
}
