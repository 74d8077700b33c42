/** Passkeys (WebAuthn credentials) and the single-use challenges their ceremonies are bound to. */
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type Dialect } from './column-types';

export function passkeys(dialect: Dialect): Migration {
  const { time, id, idType } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('passkeys')
        .addColumn('id', idType, id)
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('credential_id', 'text', (c) => c.notNull().unique())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('counter', time, (c) => c.notNull())
        .addColumn('transports', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('backed_up', 'integer', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('last_used_at', time)
        .execute();
      await db.schema.createIndex('passkeys_account').on('passkeys').column('account_id').execute();

      await db.schema
        .createTable('webauthn_challenges')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('account_id', idType)
        .addColumn('flow_id', 'text')
        .addColumn('challenge', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('used_at', time)
        .execute();
      await db.schema.createIndex('webauthn_challenges_expires').on('webauthn_challenges').column('expires_at').execute();

      // When the session last proved possession of a passkey (step-up for critical operations).
      await db.schema.alterTable('sessions').addColumn('step_up_at', time).execute();
    },
  };
}
