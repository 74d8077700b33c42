/** Address changes waiting for the code mailed to the new address (仮登録), one per slot. */
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type Dialect } from './column-types';

export function addresses(dialect: Dialect): Migration {
  const { time, idType } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('address_changes')
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('slot', 'integer', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('send_count', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('sent_at', time, (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('address_changes_pk', ['account_id', 'slot'])
        .execute();
      // ログイン履歴 reads one account's recent events of a few types.
      await db.schema.createIndex('audit_events_account_type').on('audit_events').columns(['account_id', 'type', 'id']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropIndex('audit_events_account_type').execute();
      await db.schema.dropTable('address_changes').execute();
    },
  };
}
