/**
 * The repositories behind ports.Store, written once over Kysely: the same SQL runs on SQLite and
 * PostgreSQL. Conditional updates (`WHERE state = 'awaiting_second_step'`) are how single use is
 * enforced under concurrency: the database, not the process, decides the one winner.
 */
import { sql, type CompiledQuery, type Kysely, type Selectable, type Transaction } from 'kysely';
import { DomainError } from '../domain/errors';
import type { Database, PasskeysTable } from './schema';
import type { Dialect } from './migrations/column-types';
import type {
  AccountRepo, AuditRepo, DevMailboxRepo, DeviceRepo, EmailRepo, LoginFlowRepo, OutboxRepo, RecoveryCodeRepo, SessionRepo,
  StoreTx, ThrottleRepo, TotpEnrollmentKind, TotpEnrollmentRepo, Passkey, PasskeyRepo, ChallengeRepo, ChallengePurpose,
  AddressChange, AddressChangeRepo, AuditEventInput, ReauthenticationCode, ReauthenticationCodeRepo, ReauthenticationKey, ReauthenticationPurpose,
  ExpiredRowsRepo, PasswordHashKindRepo, PurgeTable,
} from '../domain/store-types';
import {
  fromLoginFlow, ms, msOrNull, toAccount, toAudit, toDevMail, toDevice, toEmail, toLoginFlow, toOutbox, toSession,
} from './rows';

type Db = Kysely<Database> | Transaction<Database>;

function accounts(db: Db): AccountRepo {
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
      const row = await db.selectFrom('accounts').selectAll().where('login_id', '=', loginId).executeTakeFirst();
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
      const r = await db
        .updateTable('accounts')
        .set((eb) => ({ trading_password_failures: eb('trading_password_failures', '+', 1), updated_at: ms(at) }))
        .where('id', '=', id)
        .where('trading_password_locked_at', 'is', null)
        .where('trading_password_failures', '<', max)
        .returning('trading_password_failures')
        .executeTakeFirst();
      return r ? r.trading_password_failures : null;
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
    async listSealedTotpSecrets() {
      const rows = await db.selectFrom('accounts').select(['id', 'totp_secret_sealed']).where('totp_secret_sealed', 'is not', null).execute();
      return rows.map((r) => ({ id: Number(r.id), totpSecretSealed: r.totp_secret_sealed as string }));
    },
    async updateSealedTotpSecret(id, sealed) {
      await db.updateTable('accounts').set({ totp_secret_sealed: sealed }).where('id', '=', id).execute();
    },
  };
}

function emails(db: Db): EmailRepo {
  return {
    async insert(e) {
      const row = await db
        .insertInto('email_addresses')
        .values({
          account_id: e.accountId,
          slot: e.slot,
          address: e.address,
          login_notification: e.loginNotification ? 1 : 0,
          verified_at: msOrNull(e.verifiedAt),
          created_at: ms(e.createdAt),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toEmail(row);
    },
    async listForAccount(accountId) {
      const rows = await db.selectFrom('email_addresses').selectAll().where('account_id', '=', accountId).orderBy('slot').execute();
      return rows.map(toEmail);
    },
    async deleteForAccount(accountId) {
      await db.deleteFrom('email_addresses').where('account_id', '=', accountId).execute();
    },
    async putVerified(accountId, slot, address, at) {
      await db
        .insertInto('email_addresses')
        .values({ account_id: accountId, slot, address, login_notification: 0, verified_at: ms(at), created_at: ms(at) })
        .onConflict((oc) => oc.columns(['account_id', 'slot']).doUpdateSet({ address, verified_at: ms(at) }))
        .execute();
    },
    async setLoginNotification(accountId, slot, on) {
      const r = await db.updateTable('email_addresses').set({ login_notification: on ? 1 : 0 }).where('account_id', '=', accountId).where('slot', '=', slot).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async deleteSlot(accountId, slot) {
      const r = await db.deleteFrom('email_addresses').where('account_id', '=', accountId).where('slot', '=', slot).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
  };
}

function toAddressChange(r: Selectable<Database['address_changes']>): AddressChange {
  return {
    accountId: Number(r.account_id),
    slot: r.slot,
    address: r.address,
    codeHash: r.code_hash,
    attempts: r.attempts,
    sendCount: r.send_count,
    sentAt: new Date(Number(r.sent_at)),
    createdAt: new Date(Number(r.created_at)),
    expiresAt: new Date(Number(r.expires_at)),
  };
}

function addressChanges(db: Db): AddressChangeRepo {
  const one = (accountId: number, slot: number) => db.selectFrom('address_changes').selectAll().where('account_id', '=', accountId).where('slot', '=', slot);
  return {
    async put(c) {
      const row = {
        account_id: c.accountId,
        slot: c.slot,
        address: c.address,
        code_hash: c.codeHash,
        attempts: 0,
        send_count: c.sendCount,
        sent_at: ms(c.sentAt),
        created_at: ms(c.createdAt),
        expires_at: ms(c.expiresAt),
      };
      const { account_id: _a, slot: _s, ...rest } = row;
      await db.insertInto('address_changes').values(row).onConflict((oc) => oc.columns(['account_id', 'slot']).doUpdateSet(rest)).execute();
    },
    async find(accountId, slot) {
      const r = await one(accountId, slot).executeTakeFirst();
      return r && toAddressChange(r);
    },
    async listForAccount(accountId) {
      const rows = await db.selectFrom('address_changes').selectAll().where('account_id', '=', accountId).orderBy('slot').execute();
      return rows.map(toAddressChange);
    },
    async reserveAttempt(accountId, slot, maxAttempts) {
      const r = await db
        .updateTable('address_changes')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('account_id', '=', accountId)
        .where('slot', '=', slot)
        .where('attempts', '<', maxAttempts)
        .returning('attempts')
        .executeTakeFirst();
      return r ? r.attempts : null;
    },
    async replaceCode(accountId, slot, codeHash, sentAt) {
      await db
        .updateTable('address_changes')
        .set((eb) => ({ code_hash: codeHash, sent_at: ms(sentAt), send_count: eb('send_count', '+', 1) }))
        .where('account_id', '=', accountId)
        .where('slot', '=', slot)
        .execute();
    },
    async take(accountId, slot, codeHash) {
      const r = await db.deleteFrom('address_changes').where('account_id', '=', accountId).where('slot', '=', slot).where('code_hash', '=', codeHash).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
    async delete(accountId, slot) {
      await db.deleteFrom('address_changes').where('account_id', '=', accountId).where('slot', '=', slot).execute();
    },
  };
}

function loginFlows(db: Db): LoginFlowRepo {
  return {
    async insert(flow) {
      await db.insertInto('login_flows').values(fromLoginFlow(flow)).execute();
    },
    async find(id) {
      const row = await db.selectFrom('login_flows').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toLoginFlow(row);
    },
    async transition(id, from, patch) {
      let q = db
        .updateTable('login_flows')
        .set({
          ...(patch.state !== undefined ? { state: patch.state } : {}),
          ...(patch.methodShown !== undefined ? { method_shown: patch.methodShown } : {}),
          ...(patch.methodsOpen !== undefined ? { methods_open: patch.methodsOpen.join(',') } : {}),
          ...(patch.method !== undefined ? { method: patch.method } : {}),
          ...(patch.completedAt !== undefined ? { completed_at: msOrNull(patch.completedAt) } : {}),
        })
        .where('id', '=', id)
        .where('state', '=', from.state);
      q = from.methodShown === null ? q.where('method_shown', 'is', null) : q.where('method_shown', '=', from.methodShown);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async reserveCodeAttempt(id, methodShown, maxAttempts) {
      const r = await db
        .updateTable('login_flows')
        .set((eb) => ({ code_attempts: eb('code_attempts', '+', 1) }))
        .where('id', '=', id)
        .where('state', '=', 'awaiting_second_step')
        .where('method_shown', '=', methodShown)
        .where('code_attempts', '<', maxAttempts)
        .returning('code_attempts')
        .executeTakeFirst();
      return r ? r.code_attempts : null;
    },
    async replaceCode(id, p) {
      await db
        .updateTable('login_flows')
        .set((eb) => ({
          code_hash: p.codeHash,
          code_expires_at: ms(p.codeExpiresAt),
          code_sent_at: ms(p.codeSentAt),
          code_email_id: p.codeEmailId,
          code_send_count: eb('code_send_count', '+', 1),
        }))
        .where('id', '=', id)
        .execute();
    },
    async deleteExpired(before) {
      const r = await db.deleteFrom('login_flows').where('expires_at', '<', ms(before)).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

function devices(db: Db): DeviceRepo {
  return {
    async insert(d) {
      const row = await db
        .insertInto('recognized_devices')
        .values({
          account_id: d.accountId,
          token_hash: d.tokenHash,
          user_agent: d.userAgent,
          ip: d.ip,
          created_at: ms(d.createdAt),
          last_used_at: ms(d.lastUsedAt),
          expires_at: ms(d.expiresAt),
          revoked_at: msOrNull(d.revokedAt),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDevice(row);
    },
    async findByTokenHash(tokenHash) {
      const row = await db.selectFrom('recognized_devices').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return row && toDevice(row);
    },
    async touch(id, lastUsedAt, expiresAt) {
      await db
        .updateTable('recognized_devices')
        .set({ last_used_at: ms(lastUsedAt), expires_at: ms(expiresAt) })
        .where('id', '=', id)
        .execute();
    },
    async revokeForAccount(accountId, id, at) {
      const r = await db
        .updateTable('recognized_devices')
        .set({ revoked_at: ms(at) })
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async revoke(id, at) {
      await db.updateTable('recognized_devices').set({ revoked_at: ms(at) }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    },
    async revokeAllForAccount(accountId, at, exceptId) {
      await db
        .updateTable('recognized_devices')
        .set({ revoked_at: ms(at) })
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null)
        .$if(exceptId !== undefined, (q) => q.where('id', '!=', exceptId!))
        .execute();
    },
    async listForAccount(accountId) {
      const rows = await db
        .selectFrom('recognized_devices')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('last_used_at', 'desc')
        .execute();
      return rows.map(toDevice);
    },
  };
}

export type ActiveSessionRow = Selectable<Database['sessions']>;

/**
 * The session check's SQL for the stores' own prepared statements. Columns are named, not `*`:
 * a PostgreSQL prepared statement whose result columns change (a migration adding one during a
 * rolling upgrade) fails with "cached plan must not change result type".
 */
export function activeSessionSql(placeholder: '?' | '$1'): string {
  const columns = 'id, token_hash, account_id, method, authenticated_at, last_seen_at, idle_expires_at, absolute_expires_at, ended_at, ip, user_agent, step_up_at, login_id, name';
  return `SELECT ${columns} FROM sessions WHERE token_hash = ${placeholder} AND ended_at IS NULL`;
}

function sessions(db: Db, announce: RepositoryHooks['announceSessions'], direct: RepositoryHooks['activeSessionRow'], dialect: Dialect): SessionRepo {
  let activeByHash: CompiledQuery<ActiveSessionRow> | undefined;
  return {
    async insert(s) {
      const row = await db
        .insertInto('sessions')
        .values({
          token_hash: s.tokenHash,
          account_id: s.accountId,
          method: s.method,
          authenticated_at: ms(s.authenticatedAt),
          last_seen_at: ms(s.lastSeenAt),
          idle_expires_at: ms(s.idleExpiresAt),
          absolute_expires_at: ms(s.absoluteExpiresAt),
          ended_at: msOrNull(s.endedAt),
          ip: s.ip,
          user_agent: s.userAgent,
          login_id: s.loginId,
          name: s.name,
          recognized_device_id: s.recognizedDeviceId ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSession(row);
    },
    async findActiveByTokenHash(tokenHash) {
      let row: ActiveSessionRow | undefined;
      if (direct) row = await direct(tokenHash);
      else {
        // The session check runs on every request of the trading service: its query is built and
        // compiled once, then only the parameter changes (see docs/performance.md).
        activeByHash ??= db.selectFrom('sessions').selectAll().where('token_hash', '=', '').where('ended_at', 'is', null).compile();
        row = (await db.executeQuery<ActiveSessionRow>({ ...activeByHash, parameters: [tokenHash] })).rows[0];
      }
      if (!row) return undefined;
      if (row.login_id !== null && row.name !== null) return { ...toSession(row), loginId: row.login_id, name: row.name };
      // A session made before migration 0006 (a rolling upgrade): the account's own.
      const account = await db.selectFrom('accounts').select(['login_id', 'name']).where('id', '=', row.account_id).executeTakeFirst();
      return account && { ...toSession(row), loginId: account.login_id, name: account.name };
    },
    async announceChange(accountId) {
      if (announce === 'notify') await sql`select pg_notify(${SESSIONS_CHANNEL}, ${String(accountId)})`.execute(db);
      else if (announce === 'feed') await db.insertInto('session_changes').values({ account_id: accountId, at: Date.now() }).execute();
    },
    async setStepUp(id, at) {
      await db.updateTable('sessions').set({ step_up_at: ms(at) }).where('id', '=', id).execute();
    },
    async touchMany(touches) {
      if (touches.length === 0) return;
      // One statement for the whole batch (domain/sessions/touch-batcher.ts), its rows passed as
      // one JSON parameter: the SQL text never changes, so it is parsed and planned once.
      const rows = JSON.stringify(touches.map((t) => [t.id, ms(t.lastSeenAt), ms(t.idleExpiresAt)]));
      if (dialect === 'postgres') {
        await sql`UPDATE sessions AS s SET last_seen_at = v.l, idle_expires_at = v.i
          FROM (SELECT (e->>0)::bigint AS id, (e->>1)::bigint AS l, (e->>2)::bigint AS i FROM json_array_elements(${rows}::json) AS e) AS v
          WHERE s.id = v.id`.execute(db);
      } else {
        await sql`UPDATE sessions SET last_seen_at = v.l, idle_expires_at = v.i
          FROM (SELECT e.value->>0 AS id, e.value->>1 AS l, e.value->>2 AS i FROM json_each(${rows}) AS e) AS v
          WHERE sessions.id = v.id`.execute(db);
      }
    },
    async end(id, at) {
      await db.updateTable('sessions').set({ ended_at: ms(at) }).where('id', '=', id).where('ended_at', 'is', null).execute();
    },
    async endAllForDevice(accountId, deviceId, at) {
      const r = await db
        .updateTable('sessions')
        .set({ ended_at: ms(at) })
        .where('account_id', '=', accountId)
        .where('recognized_device_id', '=', deviceId)
        .where('ended_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async endAllForAccount(accountId, at, exceptId) {
      let q = db.updateTable('sessions').set({ ended_at: ms(at) }).where('account_id', '=', accountId).where('ended_at', 'is', null);
      if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
      await q.execute();
    },
  };
}

function audit(db: Db, onAppend?: (e: AuditEventInput) => void): AuditRepo {
  return {
    async append(e) {
      onAppend?.(e);
      await db
        .insertInto('audit_events')
        .values({
          at: ms(e.at),
          type: e.type,
          account_id: e.accountId,
          login_id: e.loginId,
          ip: e.ip,
          user_agent: e.userAgent,
          operator: e.operator,
          detail: JSON.stringify(e.detail),
        })
        .execute();
    },
    async listForAccount(accountId, limit, types) {
      const rows = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('account_id', '=', accountId)
        .$if(Boolean(types?.length), (q) => q.where('type', 'in', types!))
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toAudit);
    },
    async listRecent(limit) {
      const rows = await db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toAudit);
    },
  };
}

function outbox(db: Db, queued?: () => void): OutboxRepo {
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
    async findByMessageId(messageId) {
      const row = await db.selectFrom('outbox').selectAll().where('message_id', '=', messageId).executeTakeFirst();
      return row && toOutbox(row);
    },
  };
}

function throttle(db: Db): ThrottleRepo {
  return {
    async get(key) {
      const r = await db.selectFrom('throttle').selectAll().where('key', '=', key).executeTakeFirst();
      if (!r) return undefined;
      return {
        key: r.key,
        failures: r.failures,
        windowStartedAt: new Date(Number(r.window_started_at)),
        lockedUntil: r.locked_until === null ? null : new Date(Number(r.locked_until)),
      };
    },
    async recordFailure(key, now, windowStart) {
      const n = ms(now);
      const w = ms(windowStart);
      // One statement, so concurrent failures on several processes all count.
      const r = await db
        .insertInto('throttle')
        .values({ key, failures: 1, window_started_at: n, locked_until: null })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            failures: sql<number>`CASE WHEN throttle.window_started_at < ${w} THEN 1 ELSE throttle.failures + 1 END`,
            window_started_at: sql<number>`CASE WHEN throttle.window_started_at < ${w} THEN ${n} ELSE throttle.window_started_at END`,
          }),
        )
        .returning('failures')
        .executeTakeFirstOrThrow();
      return r.failures;
    },
    async reserve(key, now, windowStart, limit) {
      const n = ms(now);
      const w = ms(windowStart);
      // The row starts afresh when its window is over or its lock has run out; otherwise a slot is
      // taken only while none is locked and fewer than `limit` are taken. One statement, so two
      // processes can never both take the last slot.
      const fresh = sql<boolean>`(throttle.window_started_at < ${w} OR (throttle.locked_until IS NOT NULL AND throttle.locked_until <= ${n}))`;
      const r = await db
        .insertInto('throttle')
        .values({ key, failures: 1, window_started_at: n, locked_until: null })
        .onConflict((oc) =>
          oc
            .column('key')
            .doUpdateSet({
              failures: sql<number>`CASE WHEN ${fresh} THEN 1 ELSE throttle.failures + 1 END`,
              window_started_at: sql<number>`CASE WHEN ${fresh} THEN ${n} ELSE throttle.window_started_at END`,
              locked_until: sql<number | null>`CASE WHEN ${fresh} THEN NULL ELSE throttle.locked_until END`,
            })
            .where(sql<boolean>`${fresh} OR (throttle.locked_until IS NULL AND throttle.failures < ${limit})`),
        )
        .returning('failures')
        .executeTakeFirst();
      return r ? r.failures : null;
    },
    async release(key) {
      await db
        .updateTable('throttle')
        .set((eb) => ({ failures: eb('failures', '-', 1) }))
        .where('key', '=', key)
        .where('failures', '>', 0)
        .execute();
    },
    async lock(key, until, now) {
      const r = await db
        .updateTable('throttle')
        .set({ locked_until: ms(until) })
        .where('key', '=', key)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', ms(now))]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async reset(key) {
      await db.deleteFrom('throttle').where('key', '=', key).execute();
    },
    async resetMany(keys) {
      if (keys.length) await db.deleteFrom('throttle').where('key', 'in', keys).execute();
    },
  };
}

function devMailbox(db: Db): DevMailboxRepo {
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

function totpEnrollments(db: Db): TotpEnrollmentRepo {
  return {
    async put(e) {
      const row = {
        account_id: e.accountId,
        kind: e.kind,
        secret_sealed: e.secretSealed,
        attempts: e.attempts,
        created_at: ms(e.createdAt),
        expires_at: ms(e.expiresAt),
        session_id: e.sessionId ?? null,
      };
      await db
        .insertInto('totp_enrollments')
        .values(row)
        .onConflict((oc) =>
          oc.column('account_id').doUpdateSet({ kind: row.kind, secret_sealed: row.secret_sealed, attempts: 0, created_at: row.created_at, expires_at: row.expires_at, session_id: row.session_id }),
        )
        .execute();
    },
    async find(accountId) {
      const r = await db.selectFrom('totp_enrollments').selectAll().where('account_id', '=', accountId).executeTakeFirst();
      if (!r) return undefined;
      return {
        accountId: Number(r.account_id),
        kind: r.kind as TotpEnrollmentKind,
        secretSealed: r.secret_sealed,
        attempts: r.attempts,
        createdAt: new Date(Number(r.created_at)),
        expiresAt: new Date(Number(r.expires_at)),
        sessionId: r.session_id === null ? null : Number(r.session_id),
      };
    },
    async reserveAttempt(accountId, maxAttempts) {
      const r = await db
        .updateTable('totp_enrollments')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('account_id', '=', accountId)
        .where('attempts', '<', maxAttempts)
        .returning('attempts')
        .executeTakeFirst();
      return r ? r.attempts : null;
    },
    async delete(accountId) {
      await db.deleteFrom('totp_enrollments').where('account_id', '=', accountId).execute();
    },
    async listSealed() {
      const rows = await db.selectFrom('totp_enrollments').select(['account_id', 'secret_sealed']).execute();
      return rows.map((r) => ({ accountId: Number(r.account_id), secretSealed: r.secret_sealed }));
    },
    async updateSealed(accountId, sealed) {
      await db.updateTable('totp_enrollments').set({ secret_sealed: sealed }).where('account_id', '=', accountId).execute();
    },
  };
}

function toReauthenticationCode(r: Selectable<Database['reauthentication_codes']>): ReauthenticationCode {
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

function reauthenticationCodes(db: Db): ReauthenticationCodeRepo {
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
      const r = await byKey(db.updateTable(table).set((eb) => ({ attempts: eb('attempts', '+', 1) })), k)
        .where('attempts', '<', maxAttempts)
        .where('expires_at', '>', ms(now))
        .returning(['code_hash', 'attempts'])
        .executeTakeFirst();
      return r && { codeHash: r.code_hash, attempts: r.attempts };
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

function recoveryCodes(db: Db): RecoveryCodeRepo {
  return {
    async replaceAll(accountId, hashes, at) {
      await db.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
      if (hashes.length) {
        await db
          .insertInto('recovery_codes')
          .values(hashes.map((h) => ({ account_id: accountId, code_hash: h, created_at: ms(at), used_at: null })))
          .execute();
      }
    },
    async consume(accountId, codeHash, at) {
      const r = await db
        .updateTable('recovery_codes')
        .set({ used_at: ms(at) })
        .where('account_id', '=', accountId)
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async countUnused(accountId) {
      const r = await db
        .selectFrom('recovery_codes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', accountId)
        .where('used_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async deleteAll(accountId) {
      await db.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
    },
  };
}

function passkeys(db: Db): PasskeyRepo {
  const toPasskey = (r: Selectable<PasskeysTable>): Passkey => ({
    id: Number(r.id),
    accountId: Number(r.account_id),
    credentialId: r.credential_id,
    publicKey: r.public_key,
    counter: Number(r.counter),
    transports: JSON.parse(r.transports) as string[],
    name: r.name,
    backedUp: Number(r.backed_up) === 1,
    createdAt: new Date(Number(r.created_at)),
    lastUsedAt: r.last_used_at === null ? null : new Date(Number(r.last_used_at)),
  });
  return {
    async insert(p) {
      const row = await db
        .insertInto('passkeys')
        .values({
          account_id: p.accountId,
          credential_id: p.credentialId,
          public_key: p.publicKey,
          counter: p.counter,
          transports: JSON.stringify(p.transports),
          name: p.name,
          backed_up: p.backedUp ? 1 : 0,
          created_at: ms(p.createdAt),
          last_used_at: msOrNull(p.lastUsedAt),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPasskey(row);
    },
    async listForAccount(accountId) {
      const rows = await db.selectFrom('passkeys').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
      return rows.map(toPasskey);
    },
    async findByCredentialId(credentialId) {
      const r = await db.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
      return r && toPasskey(r);
    },
    async recordUse(id, newCounter, at) {
      const r = await db
        .updateTable('passkeys')
        .set({ counter: newCounter, last_used_at: ms(at) })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('counter', '<', newCounter), eb.and([eb('counter', '=', 0), eb(eb.val(newCounter), '=', 0)])]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async rename(accountId, id, name) {
      const r = await db.updateTable('passkeys').set({ name }).where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async delete(accountId, id) {
      const r = await db.deleteFrom('passkeys').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
  };
}

function challenges(db: Db): ChallengeRepo {
  return {
    async insert(c) {
      await db
        .insertInto('webauthn_challenges')
        .values({
          id: c.id,
          purpose: c.purpose,
          account_id: c.accountId,
          flow_id: c.flowId,
          challenge: c.challenge,
          created_at: ms(c.createdAt),
          expires_at: ms(c.expiresAt),
          used_at: msOrNull(c.usedAt),
        })
        .execute();
    },
    async find(id) {
      const r = await db.selectFrom('webauthn_challenges').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) return undefined;
      return {
        id: r.id,
        purpose: r.purpose as ChallengePurpose,
        accountId: r.account_id === null ? null : Number(r.account_id),
        flowId: r.flow_id,
        challenge: r.challenge,
        createdAt: new Date(Number(r.created_at)),
        expiresAt: new Date(Number(r.expires_at)),
        usedAt: r.used_at === null ? null : new Date(Number(r.used_at)),
      };
    },
    async consume(id, at) {
      const r = await db.updateTable('webauthn_challenges').set({ used_at: ms(at) }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

/**
 * What each table's expired rows are, as SQL over `before` and `now` (epoch ms), and the column
 * that names a row. The condition is applied twice: to pick a batch, and again on the rows being
 * deleted, so a row renewed in between (a throttle row that failed again, a TOTP key applied for
 * anew) is kept.
 */
const EXPIRED: Record<PurgeTable, { key: string; expired: (before: number, now: number, keep: readonly string[]) => ReturnType<typeof sql> }> = {
  login_flows: { key: 'id', expired: (b) => sql`expires_at < ${b}` },
  webauthn_challenges: { key: 'id', expired: (b) => sql`expires_at < ${b}` },
  totp_enrollments: { key: 'account_id', expired: (b) => sql`expires_at < ${b}` },
  // One row per (account, slot): a batch names accounts, the condition picks their expired slots.
  address_changes: { key: 'account_id', expired: (b) => sql`expires_at < ${b}` },
  // One row per (account, session, purpose): likewise by account.
  reauthentication_codes: { key: 'account_id', expired: (b) => sql`expires_at < ${b}` },
  throttle: {
    key: 'key',
    expired: (b, n, keep) =>
      sql`window_started_at < ${b} AND (locked_until IS NULL OR locked_until < ${n})${sql.join(
        keep.map((p) => sql` AND key NOT LIKE ${`${p.replace(/[%_\\]/g, '')}%`}`),
        sql``,
      )}`,
  },
  // By the absolute expiry only: the idle expiry is earlier, but unindexed (migration 0009).
  sessions: { key: 'id', expired: (b) => sql`absolute_expires_at < ${b}` },
  recognized_devices: { key: 'id', expired: (b) => sql`(expires_at < ${b} OR revoked_at < ${b})` },
  outbox: { key: 'id', expired: (b) => sql`sent_at < ${b}` },
};

function expiredRows(db: Db, dialect: Dialect): ExpiredRowsRepo {
  // PostgreSQL: skip rows another purger (or a request) has locked rather than wait for them.
  const skipLocked = dialect === 'postgres' ? sql` FOR UPDATE SKIP LOCKED` : sql``;
  return {
    async deleteBatch(table, before, now, limit, keepKeyPrefixes = []) {
      const { key, expired } = EXPIRED[table];
      const cond = expired(ms(before), ms(now), keepKeyPrefixes);
      const r = await sql`DELETE FROM ${sql.table(table)} WHERE ${sql.ref(key)} IN (
          SELECT ${sql.ref(key)} FROM ${sql.table(table)} WHERE ${cond} LIMIT ${limit}${skipLocked}
        ) AND ${cond}`.execute(db);
      return Number(r.numAffectedRows ?? 0);
    },
  };
}

function passwordHashKinds(db: Db): PasswordHashKindRepo {
  return {
    async record(kind, example, at) {
      await db.insertInto('password_hash_kinds').values({ kind, example, recorded_at: ms(at) }).onConflict((oc) => oc.column('kind').doNothing()).execute();
    },
    async list() {
      return db.selectFrom('password_hash_kinds').select(['kind', 'example']).orderBy('kind').execute();
    },
  };
}

export interface RepositoryHooks {
  /** Sees every security event as it is written (metrics). */
  onAudit?: (e: AuditEventInput) => void;
  /**
   * How session changes reach the other processes' caches: NOTIFY (PostgreSQL, delivered at
   * commit) or a row in `session_changes` that they poll (SQLite).
   */
  announceSessions?: 'notify' | 'feed';
  /** The session check's row straight from a prepared statement, outside Kysely (hot path). */
  activeSessionRow?: (tokenHash: string) => ActiveSessionRow | undefined | Promise<ActiveSessionRow | undefined>;
  /** Where the SQL of the two dialects differs (a batched update's JSON input). */
  dialect?: Dialect;
  /** A mail went into the outbox (the store decides when that counts: at once, or at commit). */
  mailQueued?: () => void;
}

export const SESSIONS_CHANNEL = 'mamori_sessions';

export function repositories(db: Db, hooks: RepositoryHooks = {}): StoreTx {
  return {
    reauthenticationCodes: reauthenticationCodes(db),
    passkeys: passkeys(db),
    challenges: challenges(db),
    totpEnrollments: totpEnrollments(db),
    recoveryCodes: recoveryCodes(db),
    accounts: accounts(db),
    emails: emails(db),
    addressChanges: addressChanges(db),
    loginFlows: loginFlows(db),
    devices: devices(db),
    sessions: sessions(db, hooks.announceSessions, hooks.activeSessionRow, hooks.dialect ?? 'sqlite'),
    audit: audit(db, hooks.onAudit),
    outbox: outbox(db, hooks.mailQueued),
    throttle: throttle(db),
    devMailbox: devMailbox(db),
    expiredRows: expiredRows(db, hooks.dialect ?? 'sqlite'),
    passwordHashKinds: passwordHashKinds(db),
  };
}
