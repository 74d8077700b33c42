/**
 * Codes that confirm a change to how a customer logs in (TOTP, passkeys, recovery codes), one row
 * per account, session and purpose; and the session a pending TOTP key belongs to. Written to
 * depend on nothing after 0007.
 */
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type Dialect } from './column-types';

export function reauthentication(dialect: Dialect): Migration {
  const { time, idType } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('reauthentication_codes')
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('session_id', idType, (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        // Null while the row only counts the wrong one-time passwords of a TOTP customer.
        .addColumn('code_hash', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('send_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sent_at', time)
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('reauthentication_codes_pk', ['account_id', 'session_id', 'purpose'])
        .execute();
      await db.schema.createIndex('reauthentication_codes_expires').on('reauthentication_codes').column('expires_at').execute();
      await db.schema.alterTable('totp_enrollments').addColumn('session_id', idType).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('totp_enrollments').dropColumn('session_id').execute();
      await db.schema.dropTable('reauthentication_codes').execute();
    },
  };
}
