/**
 * Step-up the trading service can enforce (issue 16): a single-use grant per session and purpose,
 * bound to a keyed hash of the operation's intent; and how each session was authenticated
 * (`sessions.auth_methods`, comma-separated), so the session check answers `authMethods` and
 * `phishingResistant` from the row it already reads. Written to depend on nothing after 0011.
 */
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type Dialect } from './column-types';

export function stepUpGrants(dialect: Dialect): Migration {
  const { time, idType } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      // Null on sessions made before this migration: the answer derives it from `method`.
      await db.schema.alterTable('sessions').addColumn('auth_methods', 'text').execute();
      await db.schema
        .createTable('step_up_grants')
        .addColumn('session_id', idType, (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('intent_hash', 'text', (c) => c.notNull())
        // The renewed token's hash: the token from before the step-up cannot spend the grant, even
        // where another process's session cache still knows it for a moment.
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('granted_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('consumed_at', time)
        .addPrimaryKeyConstraint('step_up_grants_pk', ['session_id', 'purpose'])
        .execute();
      await db.schema.createIndex('step_up_grants_expires').on('step_up_grants').column('expires_at').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('step_up_grants').execute();
      await db.schema.alterTable('sessions').dropColumn('auth_methods').execute();
    },
  };
}
