/** Mail waiting to be sent, leased to one worker at a time. */
import type { Selectable } from 'kysely';
import type { OutboxMail } from '../../domain/notifications/records';
import type { OutboxRepo } from '../../domain/notifications/repository';
import type { OutboxTable } from '../schema';
import { date, dateOrNull, ms, type Db } from '../rows';

export function outbox(db: Db, queued?: () => void): OutboxRepo {
  return {
    async enqueue(m) {
      await db
        .insertInto('outbox')
        .values({
          message_id: m.messageId,
          to_address: m.to,
          subject: m.subject,
          body: m.text,
          created_at: ms(m.createdAt),
          attempts: 0,
          next_attempt_at: ms(m.createdAt),
          locked_until: null,
          sent_at: null,
          last_error: null,
        })
        .execute();
      queued?.();
    },
    async claimDue(now, leaseUntil, limit) {
      const n = ms(now);
      // The outer WHERE repeats the conditions so PostgreSQL re-checks them on the locked row:
      // two workers that pick the same id in the subquery cannot both lease it.
      const rows = await db
        .updateTable('outbox')
        .set({ locked_until: ms(leaseUntil) })
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('outbox')
            .select('id')
            .where('sent_at', 'is', null)
            .where('next_attempt_at', '<=', n)
            .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<', n)]))
            .orderBy('id')
            .limit(limit),
        )
        .where('sent_at', 'is', null)
        .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<', n)]))
        .returningAll()
        .execute();
      return rows.map(toOutbox).sort((a, b) => a.id - b.id);
    },
    async markSent(id, at) {
      await db.updateTable('outbox').set({ sent_at: ms(at), locked_until: null, last_error: null }).where('id', '=', id).execute();
    },
    async markFailed(id, error, nextAttemptAt) {
      await db
        .updateTable('outbox')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_error: error.slice(0, 500),
          next_attempt_at: ms(nextAttemptAt),
          locked_until: null,
        }))
        .where('id', '=', id)
        .execute();
    },
    async pendingStats() {
      const r = await db
        .selectFrom('outbox')
        .select((eb) => [eb.fn.countAll<number>().as('depth'), eb.fn.min('created_at').as('oldest')])
        .where('sent_at', 'is', null)
        .executeTakeFirstOrThrow();
      return { depth: Number(r.depth), oldestCreatedAt: r.oldest === null ? null : new Date(Number(r.oldest)) };
    },
    async isDelayed(queuedBefore) {
      const r = await db
        .selectFrom('outbox')
        .select('id')
        .where('sent_at', 'is', null)
        .where((eb) => eb.or([eb('attempts', '>', 0), eb('created_at', '<', ms(queuedBefore))]))
        .limit(1)
        .executeTakeFirst();
      return Boolean(r);
    },
  };
}

export function toOutbox(r: Selectable<OutboxTable>): OutboxMail {
  return {
    ...mailOf(r),
    createdAt: date(r.created_at),
    attempts: r.attempts,
    sentAt: dateOrNull(r.sent_at),
  };
}

/** The columns a queued mail and a dev-mailbox mail share. */
export function mailOf(r: { id: number | string; message_id: string; to_address: string; subject: string; body: string }) {
  return { id: Number(r.id), messageId: r.message_id, to: r.to_address, subject: r.subject, text: r.body };
}
