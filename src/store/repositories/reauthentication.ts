/** Confirmation codes for changes to how the customer logs in. */
import { reserveUnderLimit } from '../reserve-under-limit';
import type { Selectable } from 'kysely';
import type { ReauthenticationCode, ReauthenticationKey, ReauthenticationPurpose } from '../../domain/reauthentication/records';
import type { ReauthenticationCodeRepo } from '../../domain/reauthentication/repository';
import type { Database } from '../schema';
import { ms, msOrNull, type Db } from '../rows';

export function toReauthenticationCode(r: Selectable<Database['reauthentication_codes']>): ReauthenticationCode {
  return {
    accountId: Number(r.account_id),
    sessionId: Number(r.session_id),
    purpose: r.purpose as ReauthenticationPurpose,
    codeHash: r.code_hash,
    attempts: r.attempts,
    sendCount: r.send_count,
    sentAt: r.sent_at === null ? null : new Date(Number(r.sent_at)),
    createdAt: new Date(Number(r.created_at)),
    expiresAt: new Date(Number(r.expires_at)),
  };
}

export function reauthenticationCodes(db: Db): ReauthenticationCodeRepo {
  const table = 'reauthentication_codes' as const;
  const byKey = <Q extends { where: (...a: any[]) => Q }>(q: Q, k: ReauthenticationKey): Q =>
    q.where('account_id', '=', k.accountId).where('session_id', '=', k.sessionId).where('purpose', '=', k.purpose);
  return {
    async find(k) {
      const r = await byKey(db.selectFrom(table).selectAll(), k).executeTakeFirst();
      return r && toReauthenticationCode(r);
    },
    async start(c, now) {
      await byKey(db.deleteFrom(table), c).where('expires_at', '<=', ms(now)).execute();
      const r = await db
        .insertInto(table)
        .values({
          account_id: c.accountId,
          session_id: c.sessionId,
          purpose: c.purpose,
          code_hash: c.codeHash,
          attempts: c.attempts,
          send_count: c.sendCount,
          sent_at: msOrNull(c.sentAt),
          created_at: ms(c.createdAt),
          expires_at: ms(c.expiresAt),
        })
        .onConflict((oc) => oc.columns(['account_id', 'session_id', 'purpose']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async replaceCode(k, p) {
      const r = await byKey(db.updateTable(table).set((eb) => ({ code_hash: p.codeHash, sent_at: ms(p.now), expires_at: ms(p.expiresAt), send_count: eb('send_count', '+', 1) })), k)
        .where('expires_at', '>', ms(p.now))
        .where('attempts', '<', p.maxAttempts)
        .where('send_count', '<', p.maxSends)
        .where((eb) => eb.or([eb('sent_at', 'is', null), eb('sent_at', '<=', ms(p.sentBefore))]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async reserveAttempt(k, maxAttempts, now) {
      const r = await reserveUnderLimit<{ code_hash: string | null }>(byKey(db.updateTable(table), k).where('expires_at', '>', ms(now)), 'attempts', maxAttempts, { returning: ['code_hash'] });
      return r ? { codeHash: r.code_hash, attempts: r.count } : undefined;
    },
    async take(k, codeHash) {
      const r = await byKey(db.deleteFrom(table), k).where('code_hash', '=', codeHash).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
    async delete(k) {
      await byKey(db.deleteFrom(table), k).execute();
    },
  };
}
