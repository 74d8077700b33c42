/** Sessions: made, stepped up, ended, and their changes announced to every process. */
import { sql, type Insertable } from 'kysely';
import type { SessionRepo } from '../../domain/sessions/repository';
import type { Dialect } from '../migrations/column-types';
import { ms, type Db } from '../rows';
import { prepared, slotsFor } from '../prepared';
import type { SessionsTable } from '../schema';
import type { RepositoryHooks } from './index';
import { sessionCheck, toSession } from './session-check';

export const SESSIONS_CHANNEL = 'mamori_sessions';

const NEW_SESSION = ['token_hash', 'account_id', 'method', 'authenticated_at', 'last_seen_at', 'idle_expires_at', 'absolute_expires_at', 'ip', 'user_agent', 'login_id', 'name', 'recognized_device_id', 'auth_methods', 'passkey_pending', 'password_change_pending'] as const;
type NewSession = Required<Pick<Insertable<SessionsTable>, (typeof NEW_SESSION)[number]>>;
/** A login's session: the 09:00 path's one insert. A new session has not ended: ended_at is null, in the SQL. */
const inserted = prepared((db, $: NewSession) => db.insertInto('sessions').values({ ...slotsFor($, NEW_SESSION), ended_at: null }).returningAll());

export function sessions(db: Db, announce: RepositoryHooks['announceSessions'], direct: RepositoryHooks['activeSessionRow'], dialect: Dialect): SessionRepo {
  return {
    ...sessionCheck(db, direct, dialect),
    async insert(s) {
      const row = await inserted.first(db, {
        token_hash: s.tokenHash,
        account_id: s.accountId,
        method: s.method,
        authenticated_at: ms(s.authenticatedAt),
        last_seen_at: ms(s.lastSeenAt),
        idle_expires_at: ms(s.idleExpiresAt),
        absolute_expires_at: ms(s.absoluteExpiresAt),
        ip: s.ip,
        user_agent: s.userAgent,
        login_id: s.loginId,
        name: s.name,
        recognized_device_id: s.recognizedDeviceId ?? null,
        auth_methods: s.authMethods?.length ? s.authMethods.join(',') : null,
        passkey_pending: s.passkeyPending ? 1 : 0,
        password_change_pending: s.passwordChangePending ? 1 : 0,
      });
      return toSession(row!);
    },
    async announceChange(accountId) {
      if (announce === 'notify') await sql`select pg_notify(${SESSIONS_CHANNEL}, ${String(accountId)})`.execute(db);
      else if (announce === 'feed') await db.insertInto('session_changes').values({ account_id: accountId, at: Date.now() }).execute();
    },
    async clearPasskeyPending(accountId) {
      await db.updateTable('sessions').set({ passkey_pending: 0 }).where('account_id', '=', accountId).where('passkey_pending', '=', 1).where('ended_at', 'is', null).execute();
    },
    async setPasswordChangePending(accountId, pending) {
      const to = pending ? 1 : 0;
      await db.updateTable('sessions').set({ password_change_pending: to }).where('account_id', '=', accountId).where('password_change_pending', '!=', to).where('ended_at', 'is', null).execute();
    },
    async setStepUp(id, at) {
      await db.updateTable('sessions').set({ step_up_at: ms(at) }).where('id', '=', id).execute();
    },
    async renewToken(id, tokenHash) {
      const r = await db.updateTable('sessions').set({ token_hash: tokenHash }).where('id', '=', id).where('ended_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
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
    async endForAccount(accountId, id, at) {
      const r = await db.updateTable('sessions').set({ ended_at: ms(at) }).where('id', '=', id).where('account_id', '=', accountId).where('ended_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async endAllForAccount(accountId, at, exceptId) {
      let q = db.updateTable('sessions').set({ ended_at: ms(at) }).where('account_id', '=', accountId).where('ended_at', 'is', null);
      if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async listLiveForAccount(accountId, now) {
      // By the account index; a customer has a handful of sessions, ended ones until the purger takes them.
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('ended_at', 'is', null)
        .where('absolute_expires_at', '>', ms(now))
        .where('idle_expires_at', '>', ms(now))
        .orderBy('authenticated_at', 'desc')
        .orderBy('id', 'desc')
        .limit(100)
        .execute();
      return rows.map(toSession);
    },
  };
}
