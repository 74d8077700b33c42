/** Forgotten-password reset flows and the support desk's reset codes (migration 0016). */
import type { Selectable } from 'kysely';
import type { DeskCodeDelivery, PasswordResetFlow, ResetState, ResetVia } from '../../domain/recovery/records';
import type { DeskResetCodeRepo, PasswordResetRepo } from '../../domain/recovery/repository';
import type { Database } from '../schema';
import { date, dateOrNull, ms, msOrNull, type Db } from '../rows';

function toFlow(r: Selectable<Database['password_reset_flows']>): PasswordResetFlow {
  return {
    id: r.id,
    accountId: r.account_id === null ? null : Number(r.account_id),
    loginId: r.login_id,
    via: r.via as ResetVia,
    state: r.state as ResetState,
    codeHash: r.code_hash,
    codeAttempts: r.code_attempts,
    passkeyAt: dateOrNull(r.passkey_at),
    createdAt: date(r.created_at),
    expiresAt: date(r.expires_at),
  };
}

export function passwordResets(db: Db): PasswordResetRepo {
  return {
    async insert(f) {
      await db
        .insertInto('password_reset_flows')
        .values({
          id: f.id,
          account_id: f.accountId,
          login_id: f.loginId,
          via: f.via,
          state: f.state,
          code_hash: f.codeHash,
          code_attempts: f.codeAttempts,
          passkey_at: msOrNull(f.passkeyAt),
          created_at: ms(f.createdAt),
          expires_at: ms(f.expiresAt),
        })
        .execute();
    },
    async find(id) {
      const r = await db.selectFrom('password_reset_flows').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toFlow(r);
    },
    async reserveCodeTry(id, max, now) {
      const r = await db
        .updateTable('password_reset_flows')
        .set((eb) => ({ code_attempts: eb('code_attempts', '+', 1) }))
        .where('id', '=', id)
        .where('state', '=', 'awaiting_code')
        .where('code_attempts', '<', max)
        .where('expires_at', '>', ms(now))
        .returning('code_attempts')
        .executeTakeFirst();
      return r ? r.code_attempts : null;
    },
    async advance(id, from, to, now, passkeyAt) {
      const r = await db
        .updateTable('password_reset_flows')
        .set({ state: to, ...(passkeyAt ? { passkey_at: ms(passkeyAt) } : {}) })
        .where('id', '=', id)
        .where('state', '=', from)
        .where('expires_at', '>', ms(now))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

export function deskResetCodes(db: Db): DeskResetCodeRepo {
  const table = 'password_reset_codes' as const;
  return {
    async put(c) {
      const row = {
        code_hash: c.codeHash,
        delivery: c.delivery,
        attempts: 0,
        operator: c.operator,
        created_at: ms(c.createdAt),
        expires_at: ms(c.expiresAt),
      };
      await db
        .insertInto(table)
        .values({ account_id: c.accountId, ...row })
        .onConflict((oc) => oc.column('account_id').doUpdateSet(row))
        .execute();
    },
    async find(accountId) {
      const r = await db.selectFrom(table).selectAll().where('account_id', '=', accountId).executeTakeFirst();
      return (
        r && {
          accountId: Number(r.account_id),
          codeHash: r.code_hash,
          delivery: r.delivery as DeskCodeDelivery,
          attempts: r.attempts,
          operator: r.operator,
          createdAt: date(r.created_at),
          expiresAt: date(r.expires_at),
        }
      );
    },
    async reserveTry(accountId, max, now) {
      const r = await db
        .updateTable(table)
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('account_id', '=', accountId)
        .where('attempts', '<', max)
        .where('expires_at', '>', ms(now))
        .returning('attempts')
        .executeTakeFirst();
      return r ? r.attempts : null;
    },
    async take(accountId, codeHash) {
      const r = await db.deleteFrom(table).where('account_id', '=', accountId).where('code_hash', '=', codeHash).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
    async delete(accountId) {
      await db.deleteFrom(table).where('account_id', '=', accountId).execute();
    },
  };
}
