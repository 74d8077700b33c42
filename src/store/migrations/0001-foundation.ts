/** Accounts, addresses, login flows, devices, sessions, audit log, outbox, throttling, dev mailbox. */
import { sql, type Kysely, type Migration } from 'kysely';
import { columnTypes, type Dialect } from './column-types';

export function foundation(dialect: Dialect): Migration {
  const { pg, time, id, idType } = columnTypes(dialect);
  return {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('accounts')
          .addColumn('id', idType, id)
          .addColumn('login_id', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('login_password_hash', 'text', (c) => c.notNull())
          .addColumn('trading_password_hash', 'text', (c) => c.notNull())
          .addColumn('totp_secret_sealed', 'text')
          .addColumn('totp_enabled_at', time)
          .addColumn('totp_last_step', time)
          .addColumn('trading_password_failures', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('trading_password_locked_at', time)
          .addColumn('password_changed_at', time, (c) => c.notNull())
          .addColumn('created_at', time, (c) => c.notNull())
          .addColumn('updated_at', time, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('email_addresses')
          .addColumn('id', idType, id)
          .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
          .addColumn('slot', 'integer', (c) => c.notNull())
          .addColumn('address', 'text', (c) => c.notNull())
          .addColumn('login_notification', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('verified_at', time)
          .addColumn('created_at', time, (c) => c.notNull())
          .addUniqueConstraint('email_addresses_account_slot', ['account_id', 'slot'])
          .execute();

        await db.schema
          .createTable('login_flows')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('recognized_device_id', idType)
          .addColumn('code_hash', 'text')
          .addColumn('code_expires_at', time)
          .addColumn('code_sent_at', time)
          .addColumn('code_attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('code_send_count', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('code_email_id', idType)
          .addColumn('method', 'text')
          .addColumn('ip', 'text', (c) => c.notNull())
          .addColumn('user_agent', 'text', (c) => c.notNull())
          .addColumn('created_at', time, (c) => c.notNull())
          .addColumn('expires_at', time, (c) => c.notNull())
          .addColumn('completed_at', time)
          .execute();
        await db.schema.createIndex('login_flows_expires').on('login_flows').column('expires_at').execute();

        await db.schema
          .createTable('recognized_devices')
          .addColumn('id', idType, id)
          .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('user_agent', 'text', (c) => c.notNull())
          .addColumn('ip', 'text', (c) => c.notNull())
          .addColumn('created_at', time, (c) => c.notNull())
          .addColumn('last_used_at', time, (c) => c.notNull())
          .addColumn('expires_at', time, (c) => c.notNull())
          .addColumn('revoked_at', time)
          .execute();
        await db.schema.createIndex('recognized_devices_account').on('recognized_devices').column('account_id').execute();

        await db.schema
          .createTable('sessions')
          .addColumn('id', idType, id)
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
          .addColumn('method', 'text', (c) => c.notNull())
          .addColumn('authenticated_at', time, (c) => c.notNull())
          .addColumn('last_seen_at', time, (c) => c.notNull())
          .addColumn('idle_expires_at', time, (c) => c.notNull())
          .addColumn('absolute_expires_at', time, (c) => c.notNull())
          .addColumn('ended_at', time)
          .addColumn('ip', 'text', (c) => c.notNull())
          .addColumn('user_agent', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute();

        await db.schema
          .createTable('audit_events')
          .addColumn('id', idType, id)
          .addColumn('at', time, (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('account_id', idType)
          .addColumn('login_id', 'text')
          .addColumn('ip', 'text')
          .addColumn('user_agent', 'text')
          .addColumn('operator', 'text')
          .addColumn('detail', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('audit_events_account').on('audit_events').columns(['account_id', 'id']).execute();

        await db.schema
          .createTable('outbox')
          .addColumn('id', idType, id)
          .addColumn('message_id', 'text', (c) => c.notNull().unique())
          .addColumn('to_address', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('created_at', time, (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', time, (c) => c.notNull())
          .addColumn('locked_until', time)
          .addColumn('sent_at', time)
          .addColumn('last_error', 'text')
          .execute();
        await db.schema.createIndex('outbox_due').on('outbox').columns(['sent_at', 'next_attempt_at']).execute();

        await db.schema
          .createTable('throttle')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('failures', 'integer', (c) => c.notNull())
          .addColumn('window_started_at', time, (c) => c.notNull())
          .addColumn('locked_until', time)
          .execute();

        await db.schema
          .createTable('dev_mailbox')
          .addColumn('id', idType, id)
          .addColumn('message_id', 'text', (c) => c.notNull())
          .addColumn('to_address', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('delivered_at', time, (c) => c.notNull())
          .execute();

        // The audit log is append-only (docs/requirements.md R-AUDIT-1): the database itself refuses UPDATE and DELETE.
        if (pg) {
          await sql`CREATE FUNCTION mamori_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$`.execute(db);
          await sql`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
            FOR EACH ROW EXECUTE FUNCTION mamori_audit_append_only()`.execute(db);
        } else {
          await sql`CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
            BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`.execute(db);
          await sql`CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
            BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`.execute(db);
        }
      },
  };
}
