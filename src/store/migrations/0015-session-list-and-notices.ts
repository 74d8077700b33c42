/**
 * Sessions the customer controls and the mandatory login notices (issue 17):
 * - `login_flows.failure_notified_at`: when the customer was told that a second step failed after
 *   a right password. Claimed by a conditional update, so one flow mails once, however many wrong
 *   codes a guesser sends and on however many processes.
 * - `sessions.country`: where the session's address is, for the list of sessions; null until the
 *   behaviour signals fill it. Nullable, no default: nothing reads it on the hot path.
 * Written to depend on nothing after 0011.
 */
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type Dialect } from './column-types';

export function sessionListAndNotices(dialect: Dialect): Migration {
  const { time } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('login_flows').addColumn('failure_notified_at', time).execute();
      await db.schema.alterTable('sessions').addColumn('country', 'text').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('sessions').dropColumn('country').execute();
      await db.schema.alterTable('login_flows').dropColumn('failure_notified_at').execute();
    },
  };
}
