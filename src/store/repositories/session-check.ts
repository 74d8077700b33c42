/** The session hot path: every request of the trading service checks a session, and the batched touches that follow. */
import { sql, type CompiledQuery, type Selectable } from 'kysely';
import type { Session, SessionWithAccount } from '../../domain/sessions/records';
import type { SessionRepo } from '../../domain/sessions/repository';
import type { Dialect } from '../migrations/column-types';
import type { Database, SessionsTable } from '../schema';
import { date, dateOrNull, ms, type Db } from '../rows';
import type { RepositoryHooks } from './index';

export type ActiveSessionRow = Selectable<Database['sessions']>;

/**
 * The session check's SQL for the stores' own prepared statements. Columns are named, not `*`:
 * a PostgreSQL prepared statement whose result columns change (a migration adding one during a
 * rolling upgrade) fails with "cached plan must not change result type".
 */
export function activeSessionSql(placeholder: '?' | '$1', by: 'token_hash' | 'id' = 'token_hash'): string {
  const columns = 'id, token_hash, account_id, method, authenticated_at, last_seen_at, idle_expires_at, absolute_expires_at, ended_at, ip, user_agent, step_up_at, login_id, name, passkey_pending, password_change_pending, auth_methods';
  return `SELECT ${columns} FROM sessions WHERE ${by} = ${placeholder} AND ended_at IS NULL`;
}

/** The row with its own copy of the account's login ID and name; `undefined` for a session made before migration 0006, which has none (the caller reads the account). */
export function withAccountCopy(row: ActiveSessionRow | undefined): SessionWithAccount | undefined {
  if (row === undefined || row.login_id === null || row.name === null) return undefined;
  return { ...toSession(row), loginId: row.login_id, name: row.name };
}

export function toSession(r: Selectable<SessionsTable>): Session {
  return {
    id: Number(r.id),
    tokenHash: r.token_hash,
    accountId: Number(r.account_id),
    method: r.method,
    authenticatedAt: date(r.authenticated_at),
    lastSeenAt: date(r.last_seen_at),
    idleExpiresAt: date(r.idle_expires_at),
    absoluteExpiresAt: date(r.absolute_expires_at),
    ip: r.ip,
    userAgent: r.user_agent,
    stepUpAt: dateOrNull(r.step_up_at ?? null),
    recognizedDeviceId: r.recognized_device_id == null ? null : Number(r.recognized_device_id),
    passkeyPending: Number(r.passkey_pending ?? 0) === 1,
    passwordChangePending: Number(r.password_change_pending ?? 0) === 1,
    country: r.country ?? null,
    authMethods: r.auth_methods ? r.auth_methods.split(',') : null,
  };
}

/**
 * The two session queries on the hot path, with the dialect SQL of the batched touch: the check
 * through the store's own prepared statement (`direct`) where it has one, else compiled once.
 */
export function sessionCheck(db: Db, direct: RepositoryHooks['activeSessionRow'], dialect: Dialect): Pick<SessionRepo, 'findActiveByTokenHash' | 'touchMany'> {
  let activeByHash: CompiledQuery<ActiveSessionRow> | undefined;
  return {
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
      const withCopy = withAccountCopy(row);
      if (withCopy) return withCopy;
      // A session made before migration 0006 (a rolling upgrade): the account's own.
      const account = await db.selectFrom('accounts').select(['login_id', 'name']).where('id', '=', row.account_id).executeTakeFirst();
      return account && { ...toSession(row), loginId: account.login_id, name: account.name };
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
  };
}
