/**
 * Forgotten login passwords (issue 17): the reset flows a customer walks through, the reset codes
 * the support desk issues by post or mail, an optional birth date on the account (the second
 * identifier some brokerages ask for), and the desk's "must change at next login" flag. Written
 * to depend on nothing after 0011.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { columnTypes, type Dialect } from './column-types';

export function passwordRecovery(dialect: Dialect): Migration {
  const { time, idType } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('password_reset_flows')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // Null when the login ID or the second identifier matched nothing: the flow runs all the same.
        .addColumn('account_id', idType, (c) => c.references('accounts.id').onDelete('cascade'))
        .addColumn('login_id', 'text', (c) => c.notNull())
        .addColumn('via', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('code_hash', 'text')
        .addColumn('code_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('passkey_at', time)
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('password_reset_flows_expires').on('password_reset_flows').column('expires_at').execute();
      await db.schema
        .createTable('password_reset_codes')
        .addColumn('account_id', idType, (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('delivery', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('operator', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('password_reset_codes_expires').on('password_reset_codes').column('expires_at').execute();
      // YYYY-MM-DD as the brokerage supplies it; most imported accounts have none yet.
      await db.schema.alterTable('accounts').addColumn('birth_date', 'text').execute();
      await db.schema.alterTable('accounts').addColumn('password_change_required_at', time).execute();
      await db.schema.createIndex('email_addresses_lower_address').on('email_addresses').expression(sql`lower(address)`).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropIndex('email_addresses_lower_address').execute();
      await db.schema.alterTable('accounts').dropColumn('password_change_required_at').execute();
      await db.schema.alterTable('accounts').dropColumn('birth_date').execute();
      await db.schema.dropTable('password_reset_codes').execute();
      await db.schema.dropTable('password_reset_flows').execute();
    },
  };
}
