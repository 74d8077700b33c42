/**
 * Mamori as an OpenID Connect provider (issue 20): what oidc-provider stores (codes, tokens,
 * grants, its own sessions and interactions, one row per model instance), the relying parties
 * registered by `mamori oidc-clients add`, the signing keys (sealed), a stable subject per account,
 * and which Mamori session each provider session stands on (for back-channel logout). Written to
 * depend on nothing after 0016.
 */
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type Dialect } from './column-types';

export function oidc(dialect: Dialect): Migration {
  const { time, idType } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('oidc_models')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('grant_id', 'text')
        .addColumn('uid', 'text')
        .addColumn('user_code', 'text')
        .addColumn('expires_at', time)
        .addColumn('consumed_at', time)
        .addPrimaryKeyConstraint('oidc_models_pk', ['kind', 'id'])
        .execute();
      await db.schema.createIndex('oidc_models_grant').on('oidc_models').columns(['grant_id']).execute();
      await db.schema.createIndex('oidc_models_uid').on('oidc_models').columns(['kind', 'uid']).execute();
      await db.schema.createIndex('oidc_models_expires').on('oidc_models').column('expires_at').execute();
      await db.schema
        .createTable('oidc_clients')
        .addColumn('client_id', 'text', (c) => c.primaryKey())
        // Sealed, not hashed: client_secret_basic compares the presented secret with the stored one.
        .addColumn('secret_sealed', 'text')
        .addColumn('redirect_uris', 'text', (c) => c.notNull())
        .addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull())
        .addColumn('backchannel_logout_uri', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('oidc_signing_keys')
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('jwk_sealed', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('retired_at', time)
        .execute();
      await db.schema
        .createTable('oidc_subjects')
        .addColumn('account_id', idType, (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
        .addColumn('subject', 'text', (c) => c.notNull().unique())
        .execute();
      await db.schema
        .createTable('oidc_session_links')
        .addColumn('session_uid', 'text', (c) => c.primaryKey())
        .addColumn('mamori_session_id', idType, (c) => c.notNull())
        .addColumn('account_id', idType, (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('logged_out_at', time)
        .execute();
      await db.schema.createIndex('oidc_session_links_account').on('oidc_session_links').columns(['account_id', 'logged_out_at']).execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['oidc_session_links', 'oidc_subjects', 'oidc_signing_keys', 'oidc_clients', 'oidc_models']) await db.schema.dropTable(t).execute();
    },
  };
}
