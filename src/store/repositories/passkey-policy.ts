/** The phishing-resistant migration's rows: exemptions, and who was sent the announcement (migration 0012). */
import type { Selectable } from 'kysely';
import type { PasskeyExemption } from '../../domain/passkey-policy/records';
import type { PasskeyAnnouncementRepo, PasskeyExemptionRepo } from '../../domain/passkey-policy/repository';
import type { PasskeyExemptionsTable } from '../schema';
import { date, dateOrNull, ms, type Db } from '../rows';

function toExemption(r: Selectable<PasskeyExemptionsTable>): PasskeyExemption {
  return {
    id: Number(r.id),
    accountId: Number(r.account_id),
    reason: r.reason,
    operator: r.operator,
    createdAt: date(r.created_at),
    expiresAt: date(r.expires_at),
    revokedAt: dateOrNull(r.revoked_at),
    revokedBy: r.revoked_by,
    revokeReason: r.revoke_reason,
  };
}

export function passkeyExemptions(db: Db): PasskeyExemptionRepo {
  return {
    async insert(e) {
      const row = await db
        .insertInto('passkey_exemptions')
        .values({ account_id: e.accountId, reason: e.reason, operator: e.operator, created_at: ms(e.createdAt), expires_at: ms(e.expiresAt), revoked_at: null, revoked_by: null, revoke_reason: null })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toExemption(row);
    },
    async findActive(accountId, now) {
      const row = await db
        .selectFrom('passkey_exemptions')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', ms(now))
        .orderBy('expires_at', 'desc')
        .executeTakeFirst();
      return row && toExemption(row);
    },
    async revokeActive(accountId, now, by, reason) {
      const r = await db
        .updateTable('passkey_exemptions')
        .set({ revoked_at: ms(now), revoked_by: by, revoke_reason: reason })
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', ms(now))
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async list(o) {
      let q = db.selectFrom('passkey_exemptions as x').innerJoin('accounts as a', 'a.id', 'x.account_id').selectAll('x').select('a.login_id');
      if (o.accountId !== undefined) q = q.where('x.account_id', '=', o.accountId);
      if (o.activeAt) q = q.where('x.revoked_at', 'is', null).where('x.expires_at', '>', ms(o.activeAt));
      const rows = await q.orderBy('x.id', 'desc').limit(o.limit).execute();
      return rows.map((r) => ({ ...toExemption(r), loginId: r.login_id }));
    },
  };
}

export function passkeyAnnouncements(db: Db): PasskeyAnnouncementRepo {
  return {
    async pendingBatch(afterId, limit) {
      const rows = await db
        .selectFrom('accounts as a')
        .select(['a.id', 'a.login_id', 'a.name'])
        .where('a.id', '>', afterId)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('passkeys as p').select('p.id').whereRef('p.account_id', '=', 'a.id'))))
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('passkey_announcements as s').select('s.account_id').whereRef('s.account_id', '=', 'a.id'))))
        .orderBy('a.id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ accountId: Number(r.id), loginId: r.login_id, name: r.name }));
    },
    async record(accountId, at, addresses) {
      const r = await db
        .insertInto('passkey_announcements')
        .values({ account_id: accountId, sent_at: ms(at), addresses })
        .onConflict((oc) => oc.column('account_id').doNothing())
        .returning('account_id')
        .executeTakeFirst();
      return r !== undefined;
    },
  };
}
