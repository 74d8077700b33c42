/**
 * The support desk's console (issue 18): operators as accounts, their passkeys, one-time
 * enrolment tokens and sessions (each kept as a keyed hash), and the four-eyes requests a
 * supervisor approves before a high-risk action takes effect. Depends on nothing after 0001.
 */
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type Dialect } from './column-types';

export function deskConsole(dialect: Dialect): Migration {
  const { time, id, idType } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('operators')
        .addColumn('id', idType, id)
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('disabled_at', time)
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('operator_passkeys')
        .addColumn('id', idType, id)
        .addColumn('operator_id', idType, (c) => c.notNull().references('operators.id').onDelete('cascade'))
        .addColumn('credential_id', 'text', (c) => c.notNull().unique())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('counter', time, (c) => c.notNull())
        .addColumn('transports', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('last_used_at', time)
        .execute();
      await db.schema.createIndex('operator_passkeys_operator').on('operator_passkeys').column('operator_id').execute();
      await db.schema
        .createTable('operator_enrolments')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('operator_id', idType, (c) => c.notNull().references('operators.id').onDelete('cascade'))
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('used_at', time)
        .execute();
      await db.schema
        .createTable('operator_sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('operator_id', idType, (c) => c.notNull().references('operators.id').onDelete('cascade'))
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('last_seen_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('ended_at', time)
        .execute();
      await db.schema
        .createTable('desk_requests')
        .addColumn('id', idType, id)
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('identity_method', 'text', (c) => c.notNull())
        .addColumn('identity_note', 'text', (c) => c.notNull())
        .addColumn('requested_by', idType, (c) => c.notNull().references('operators.id'))
        .addColumn('requested_at', time, (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('decided_by', idType, (c) => c.references('operators.id'))
        .addColumn('decided_at', time)
        .addColumn('decision_reason', 'text')
        .execute();
      await db.schema.createIndex('desk_requests_state').on('desk_requests').columns(['state', 'requested_at']).execute();
      await db.schema.createIndex('desk_requests_requested_by').on('desk_requests').columns(['requested_by', 'requested_at']).execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['desk_requests', 'operator_sessions', 'operator_enrolments', 'operator_passkeys', 'operators']) await db.schema.dropTable(t).execute();
    },
  };
}
