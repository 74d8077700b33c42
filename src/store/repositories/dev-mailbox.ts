/** The development mailbox: mail kept for reading in the browser instead of sent. */
import type { Selectable } from 'kysely';
import type { DevMail } from '../../domain/notifications/records';
import type { DevMailboxRepo } from '../../domain/notifications/repository';
import type { DevMailboxTable } from '../schema';
import { date, ms, type Db } from '../rows';
import { mailOf } from './outbox';

export function devMailbox(db: Db): DevMailboxRepo {
  return {
    async deliver(m) {
      await db
        .insertInto('dev_mailbox')
        .values({ message_id: m.messageId, to_address: m.to, subject: m.subject, body: m.text, delivered_at: ms(m.deliveredAt) })
        .execute();
    },
    async list(limit) {
      const rows = await db.selectFrom('dev_mailbox').selectAll().orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toDevMail);
    },
  };
}

export function toDevMail(r: Selectable<DevMailboxTable>): DevMail {
  return {
    ...mailOf(r),
    deliveredAt: date(r.delivered_at),
  };
}
