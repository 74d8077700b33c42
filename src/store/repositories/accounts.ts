/** Accounts, and the kinds of password hash found among them. */
import { reserveUnderLimit } from '../reserve-under-limit';
import type { Selectable } from 'kysely';
import { DomainError } from '../../domain/errors';
import type { Account } from '../../domain/accounts/records';
import type { AccountRepo, PasswordHashKindRepo } from '../../domain/accounts/repository';
import type { AccountsTable } from '../schema';
import { date, dateOrNull, ms, msOrNull, type Db } from '../rows';
import { prepared } from '../prepared';

const byLoginId = prepared((db, $: { loginId: string }) => db.selectFrom('accounts').selectAll().where('login_id', '=', $.loginId));

export function accounts(db: Db): AccountRepo {
  return {
    async insert(a) {
      const row = await db
        .insertInto('accounts')
        .values({
          login_id: a.loginId,
          name: a.name,
          login_password_hash: a.loginPasswordHash,
          trading_password_hash: a.tradingPasswordHash,
          totp_secret_sealed: a.totpSecretSealed,
          totp_enabled_at: msOrNull(a.totpEnabledAt),
          totp_last_step: null,
          trading_password_failures: 0,
          trading_password_locked_at: null,
          password_changed_at: ms(a.passwordChangedAt),
          created_at: ms(a.createdAt),
          updated_at: ms(a.createdAt),
          birth_date: a.birthDate ?? null,
        })
        // Two creations of one login ID at once (two processes seeding an empty database, two
        // imports): the loser is told `conflict`, not a raw constraint error.
        .onConflict((oc) => oc.column('login_id').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new DomainError('conflict', { field: 'loginId' });
      return toAccount(row);
    },
    async findByLoginId(loginId) {
      const row = await byLoginId.first(db, { loginId });
      return row && toAccount(row);
    },
    async findById(id) {
      const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toAccount(row);
    },
    async updateLoginPasswordHash(id, hash, changedAt) {
      await db
        .updateTable('accounts')
        .set({ login_password_hash: hash, password_changed_at: ms(changedAt), updated_at: ms(changedAt) })
        .where('id', '=', id)
        .execute();
    },
    async setPasswordChangeRequired(id, at) {
      await db.updateTable('accounts').set({ password_change_required_at: msOrNull(at) }).where('id', '=', id).execute();
    },
    async updateTradingPasswordHash(id, hash, at) {
      await db.updateTable('accounts').set({ trading_password_hash: hash, updated_at: ms(at) }).where('id', '=', id).execute();
    },
    async updateProfile(id, patch, at) {
      await db.updateTable('accounts').set({ name: patch.name, updated_at: ms(at) }).where('id', '=', id).execute();
      // The sessions' copy, which the session check answers with (migration 0006).
      await db.updateTable('sessions').set({ name: patch.name }).where('account_id', '=', id).where('ended_at', 'is', null).execute();
    },
    async setTotp(id, sealed, enabledAt, at) {
      await db
        .updateTable('accounts')
        .set({ totp_secret_sealed: sealed, totp_enabled_at: msOrNull(enabledAt), totp_last_step: null, updated_at: ms(at) })
        .where('id', '=', id)
        .execute();
    },
    async claimTotpStep(id, step) {
      const r = await db
        .updateTable('accounts')
        .set({ totp_last_step: step })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async count() {
      const r = await db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async reserveTradingPasswordAttempt(id, max, at) {
      const scoped = db.updateTable('accounts').where('id', '=', id).where('trading_password_locked_at', 'is', null);
      return (await reserveUnderLimit(scoped, 'trading_password_failures', max, { also: { updated_at: ms(at) } }))?.count ?? null;
    },
    async releaseTradingPasswordAttempt(id, succeededAs) {
      if (succeededAs !== null) {
        const r = await db
          .updateTable('accounts')
          .set({ trading_password_failures: 0 })
          .where('id', '=', id)
          .where('trading_password_locked_at', 'is', null)
          .where('trading_password_failures', '=', succeededAs)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 1) return;
      }
      await db
        .updateTable('accounts')
        .set((eb) => ({ trading_password_failures: eb('trading_password_failures', '-', 1) }))
        .where('id', '=', id)
        .where('trading_password_locked_at', 'is', null)
        .where('trading_password_failures', '>', 0)
        .execute();
    },
    async lockTradingPassword(id, at) {
      const r = await db.updateTable('accounts').set({ trading_password_locked_at: ms(at) }).where('id', '=', id).where('trading_password_locked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async unlockTradingPassword(id) {
      await db.updateTable('accounts').set({ trading_password_locked_at: null, trading_password_failures: 0 }).where('id', '=', id).execute();
    },
  };
}

export function toAccount(r: Selectable<AccountsTable>): Account {
  return {
    id: Number(r.id),
    loginId: r.login_id,
    name: r.name,
    loginPasswordHash: r.login_password_hash,
    tradingPasswordHash: r.trading_password_hash,
    totpSecretSealed: r.totp_secret_sealed,
    totpEnabledAt: dateOrNull(r.totp_enabled_at),
    tradingPasswordLockedAt: dateOrNull(r.trading_password_locked_at),
    passwordChangedAt: date(r.password_changed_at),
    createdAt: date(r.created_at),
    birthDate: r.birth_date ?? null,
    passwordChangeRequiredAt: dateOrNull(r.password_change_required_at ?? null),
  };
}

export function passwordHashKinds(db: Db): PasswordHashKindRepo {
  return {
    async record(kind, example, at) {
      await db.insertInto('password_hash_kinds').values({ kind, example, recorded_at: ms(at) }).onConflict((oc) => oc.column('kind').doNothing()).execute();
    },
    async list() {
      return db.selectFrom('password_hash_kinds').select(['kind', 'example']).orderBy('kind').execute();
    },
  };
}
