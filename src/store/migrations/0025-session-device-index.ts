/**
 * `sessions_recognized_device` goes. Its one reader, ending a forgotten browser's sessions
 * (`endAllForDevice`), also names the account, and the account index finds its few sessions; every
 * login, though, wrote an entry into it (one more page per login's commit, docs/performance.md).
 */
import type { Kysely, Migration } from 'kysely';

export function sessionDeviceIndex(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.dropIndex('sessions_recognized_device').ifExists().execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.createIndex('sessions_recognized_device').ifNotExists().on('sessions').column('recognized_device_id').execute();
    },
  };
}
