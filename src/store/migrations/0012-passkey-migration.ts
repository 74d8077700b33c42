/**
 * The phishing-resistant migration (PASSKEY_REQUIRED_FROM): a session that must register a
 * passkey before it may do anything else (`sessions.passkey_pending`, read by the session check,
 * so no extra query on the hot path); the support desk's time-limited exemptions; and who was
 * sent the announcement mail, so a second run of the command sends nothing twice. Written to
 * depend on nothing after 0011.
 */
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type Dialect } from './column-types';

export function passkeyMigration(dialect: Dialect): Migration {
  const { time, idType, id } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('sessions').addColumn('passkey_pending', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema
        .createTable('passkey_exemptions')
        .addColumn('id', idType, id)
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('operator', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('revoked_at', time)
        .addColumn('revoked_by', 'text')
        .addColumn('revoke_reason', 'text')
        .execute();
      await db.schema.createIndex('passkey_exemptions_account').on('passkey_exemptions').columns(['account_id', 'expires_at']).execute();
      await db.schema
        .createTable('passkey_announcements')
        .addColumn('account_id', idType, (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
        .addColumn('sent_at', time, (c) => c.notNull())
        .addColumn('addresses', 'integer', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('passkey_announcements').execute();
      await db.schema.dropTable('passkey_exemptions').execute();
      await db.schema.alterTable('sessions').dropColumn('passkey_pending').execute();
    },
  };
}
