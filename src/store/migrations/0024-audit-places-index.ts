/**
 * Every login reads when and from where the account's last hundred logins came (the behaviour
 * signals, src/domain/risk/login-risk.ts). With time and address in the (account_id, type, id)
 * index that read is index-only: a hundred entries side by side instead of a hundred rows fetched
 * from all over the audit table (measured: the login's costliest read, docs/performance.md). The
 * index replaces the narrower one, so each audit record still updates two indexes.
 *
 * On a large audit table the new index takes a while to build, and writes to the table wait for
 * it (docs/operations.md, "Upgrading": on PostgreSQL it can be built beforehand, CONCURRENTLY).
 */
import type { Kysely, Migration } from 'kysely';

export function auditPlacesIndex(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.createIndex('audit_events_account_type_place').ifNotExists().on('audit_events').columns(['account_id', 'type', 'id', 'at', 'ip']).execute();
      await db.schema.dropIndex('audit_events_account_type').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.createIndex('audit_events_account_type').on('audit_events').columns(['account_id', 'type', 'id']).execute();
      await db.schema.dropIndex('audit_events_account_type_place').execute();
    },
  };
}
