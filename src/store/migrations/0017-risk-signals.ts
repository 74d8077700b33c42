/**
 * The desk's exceptions to ALLOWED_COUNTRIES: one account may log in from one more country until
 * a date (a customer travelling abroad). The credential-stuffing counters: distinct login IDs per
 * source (address or network) and fixed window. The signals a login flow's notice must tell.
 * Written to depend on nothing after 0001 but login_flows.
 */
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type Dialect } from './column-types';

export function countryExceptionsAndRiskCounters(dialect: Dialect): Migration {
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
      await db.schema
        .createTable('risk_counter_members')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('window_number', 'bigint', (c) => c.notNull())
        .addColumn('member', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('risk_counter_members_pk', ['source', 'window_number', 'member'])
        .execute();
      await db.schema
        .createTable('risk_counters')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('window_number', 'bigint', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('risk_counters_pk', ['source', 'window_number'])
        .execute();
      await db.schema.alterTable('login_flows').addColumn('risk_notice', 'text').execute();
      // Old windows are deleted by their number.
      await db.schema.createIndex('risk_counter_members_window').on('risk_counter_members').column('window_number').execute();
      await db.schema.createIndex('risk_counters_window').on('risk_counters').column('window_number').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('login_flows').dropColumn('risk_notice').execute();
      await db.schema.dropTable('risk_counters').execute();
      await db.schema.dropTable('risk_counter_members').execute();
      await db.schema.dropTable('country_exceptions').execute();
    },
  };
}
