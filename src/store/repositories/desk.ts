/** The support desk's operators, their passkeys, enrolments and sessions, and four-eyes requests. */
import { sql, type Selectable } from 'kysely';
import type { DeskRepo } from '../../domain/desk/repository';
import type { DeskAction, DeskRequest, DeskRequestState, IdentityMethod, Operator, OperatorApiKey, OperatorPasskey, OperatorRole } from '../../domain/desk/records';
import type { DeskRequestsTable, OperatorApiKeysTable, OperatorPasskeysTable, OperatorsTable } from '../schema';
import { date, dateOrNull, ms, msOrNull, type Db } from '../rows';

const toOperator = (r: Selectable<OperatorsTable>): Operator => ({
  id: Number(r.id),
  name: r.name,
  role: r.role as OperatorRole,
  disabledAt: dateOrNull(r.disabled_at),
  createdAt: date(r.created_at),
  createdBy: r.created_by,
});

const toPasskey = (r: Selectable<OperatorPasskeysTable>): OperatorPasskey => ({
  id: Number(r.id),
  operatorId: Number(r.operator_id),
  credentialId: r.credential_id,
  publicKey: r.public_key,
  counter: Number(r.counter),
  transports: JSON.parse(r.transports) as string[],
  createdAt: date(r.created_at),
  lastUsedAt: dateOrNull(r.last_used_at),
});

const toRequest = (r: Selectable<DeskRequestsTable>): DeskRequest => ({
  id: Number(r.id),
  accountId: Number(r.account_id),
  action: r.action as DeskAction,
  params: JSON.parse(r.params) as Record<string, string>,
  reason: r.reason,
  identityMethod: r.identity_method as IdentityMethod,
  identityNote: r.identity_note,
  requestedBy: Number(r.requested_by),
  requestedAt: date(r.requested_at),
  state: r.state as DeskRequestState,
  decidedBy: r.decided_by === null ? null : Number(r.decided_by),
  decidedAt: dateOrNull(r.decided_at),
  decisionReason: r.decision_reason,
  channel: r.channel === 'api' ? 'api' : 'console',
  apiKeyId: r.api_key_id === null ? null : Number(r.api_key_id),
});

const toApiKey = (r: Selectable<OperatorApiKeysTable>): OperatorApiKey => ({
  id: Number(r.id),
  publicId: r.public_id,
  operatorId: Number(r.operator_id),
  label: r.label,
  keyHash: r.key_hash,
  createdAt: date(r.created_at),
  createdBy: r.created_by,
  revokedAt: dateOrNull(r.revoked_at),
  lastUsedAt: dateOrNull(r.last_used_at),
});

export function desk(db: Db): DeskRepo {
  return {
    async insertOperator(o) {
      const row = await db
        .insertInto('operators')
        .values({ name: o.name, role: o.role, disabled_at: msOrNull(o.disabledAt), created_at: ms(o.createdAt), created_by: o.createdBy })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toOperator(row);
    },
    async findOperator(by) {
      const q = db.selectFrom('operators').selectAll();
      const r = await ('id' in by ? q.where('id', '=', by.id) : q.where('name', '=', by.name)).executeTakeFirst();
      return r && toOperator(r);
    },
    async listOperators() {
      return (await db.selectFrom('operators').selectAll().orderBy('name').execute()).map(toOperator);
    },
    async disableOperator(id, at) {
      const r = await db
        .updateTable('operators')
        .set({ disabled_at: ms(at) })
        .where('id', '=', id)
        .where('disabled_at', 'is', null)
        .where((eb) =>
          eb.or([
            eb('role', '<>', 'supervisor'),
            eb(
              eb.selectFrom('operators as other').select(sql<number>`count(*)`.as('n')).where('other.role', '=', 'supervisor').where('other.disabled_at', 'is', null).where('other.id', '<>', id),
              '>',
              0,
            ),
          ]),
        )
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async countEnabledSupervisors() {
      const r = await db.selectFrom('operators').select(sql<number>`count(*)`.as('n')).where('role', '=', 'supervisor').where('disabled_at', 'is', null).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async insertApiKey(k) {
      const row = await db
        .insertInto('operator_api_keys')
        .values({ public_id: k.publicId, operator_id: k.operatorId, label: k.label, key_hash: k.keyHash, created_at: ms(k.createdAt), created_by: k.createdBy, revoked_at: msOrNull(k.revokedAt), last_used_at: msOrNull(k.lastUsedAt) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toApiKey(row);
    },
    async findApiKey(publicId) {
      const r = await db
        .selectFrom('operator_api_keys as k')
        .innerJoin('operators as o', 'o.id', 'k.operator_id')
        .selectAll('k')
        .select(['o.name', 'o.role', 'o.disabled_at', 'o.created_at as operator_created_at', 'o.created_by as operator_created_by'])
        .where('k.public_id', '=', publicId)
        .executeTakeFirst();
      if (!r) return undefined;
      const operator = toOperator({ id: r.operator_id, name: r.name, role: r.role, disabled_at: r.disabled_at, created_at: r.operator_created_at, created_by: r.operator_created_by });
      return { key: toApiKey(r), operator };
    },
    async listApiKeys(operatorId) {
      let q = db.selectFrom('operator_api_keys as k').innerJoin('operators as o', 'o.id', 'k.operator_id').selectAll('k').select('o.name');
      if (operatorId !== undefined) q = q.where('k.operator_id', '=', operatorId);
      return (await q.orderBy('k.id').execute()).map((r) => ({ ...toApiKey(r), operatorName: r.name }));
    },
    async revokeApiKey(id, at) {
      const r = await db.updateTable('operator_api_keys').set({ revoked_at: ms(at) }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async touchApiKey(id, at) {
      await db.updateTable('operator_api_keys').set({ last_used_at: ms(at) }).where('id', '=', id).execute();
    },

    async insertPasskey(p) {
      await db
        .insertInto('operator_passkeys')
        .values({
          operator_id: p.operatorId,
          credential_id: p.credentialId,
          public_key: p.publicKey,
          counter: p.counter,
          transports: JSON.stringify(p.transports),
          created_at: ms(p.createdAt),
          last_used_at: msOrNull(p.lastUsedAt),
        })
        .execute();
    },
    async listPasskeys(operatorId) {
      return (await db.selectFrom('operator_passkeys').selectAll().where('operator_id', '=', operatorId).orderBy('id').execute()).map(toPasskey);
    },
    async findPasskey(credentialId) {
      const r = await db.selectFrom('operator_passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
      return r && toPasskey(r);
    },
    async recordPasskeyUse(id, newCounter, at) {
      const r = await db
        .updateTable('operator_passkeys')
        .set({ counter: newCounter, last_used_at: ms(at) })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('counter', '<', newCounter), eb.and([eb('counter', '=', 0), eb(eb.val(newCounter), '=', 0)])]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async insertEnrolment(e) {
      await db
        .insertInto('operator_enrolments')
        .values({ token_hash: e.tokenHash, operator_id: e.operatorId, created_at: ms(e.createdAt), expires_at: ms(e.expiresAt), used_at: msOrNull(e.usedAt) })
        .execute();
    },
    async findEnrolment(tokenHash) {
      const r = await db.selectFrom('operator_enrolments').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return r && { tokenHash: r.token_hash, operatorId: Number(r.operator_id), createdAt: date(r.created_at), expiresAt: date(r.expires_at), usedAt: dateOrNull(r.used_at) };
    },
    async useEnrolment(tokenHash, at) {
      const r = await db
        .updateTable('operator_enrolments')
        .set({ used_at: ms(at) })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', ms(at))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async expireEnrolments(operatorId, at) {
      // Marked spent, not expired: a spent link is refused whatever clock reads it.
      await db.updateTable('operator_enrolments').set({ used_at: ms(at) }).where('operator_id', '=', operatorId).where('used_at', 'is', null).execute();
    },

    async insertSession(s) {
      await db
        .insertInto('operator_sessions')
        .values({ token_hash: s.tokenHash, operator_id: s.operatorId, created_at: ms(s.createdAt), last_seen_at: ms(s.lastSeenAt), expires_at: ms(s.expiresAt), ended_at: null })
        .execute();
    },
    async findLiveSession(tokenHash, now, idleSince) {
      const r = await db
        .selectFrom('operator_sessions')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('ended_at', 'is', null)
        .where('expires_at', '>', ms(now))
        .where('last_seen_at', '>', ms(idleSince))
        .executeTakeFirst();
      return r && { tokenHash: r.token_hash, operatorId: Number(r.operator_id), createdAt: date(r.created_at), lastSeenAt: date(r.last_seen_at), expiresAt: date(r.expires_at), endedAt: null };
    },
    async touchSession(tokenHash, at) {
      await db.updateTable('operator_sessions').set({ last_seen_at: ms(at) }).where('token_hash', '=', tokenHash).where('ended_at', 'is', null).execute();
    },
    async endSession(tokenHash, at) {
      await db.updateTable('operator_sessions').set({ ended_at: ms(at) }).where('token_hash', '=', tokenHash).where('ended_at', 'is', null).execute();
    },
    async endSessionsOf(operatorId, at) {
      await db.updateTable('operator_sessions').set({ ended_at: ms(at) }).where('operator_id', '=', operatorId).where('ended_at', 'is', null).execute();
    },

    async searchAccounts(q, limit) {
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = await db
        .selectFrom('accounts')
        .select('id')
        .where((eb) =>
          eb.or([
            eb('login_id', '=', q),
            sql<boolean>`name like ${like} escape '\\'`,
            eb('id', 'in', eb.selectFrom('email_addresses').select('account_id').where(sql`lower(address)`, '=', q.toLowerCase())),
          ]),
        )
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => Number(r.id));
    },
    async insertRequest(r) {
      const row = await db
        .insertInto('desk_requests')
        .values({
          account_id: r.accountId,
          action: r.action,
          params: JSON.stringify(r.params),
          reason: r.reason,
          identity_method: r.identityMethod,
          identity_note: r.identityNote,
          requested_by: r.requestedBy,
          requested_at: ms(r.requestedAt),
          state: r.state,
          decided_by: r.decidedBy,
          decided_at: msOrNull(r.decidedAt),
          decision_reason: r.decisionReason,
          channel: r.channel,
          api_key_id: r.apiKeyId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRequest(row);
    },
    async findRequest(id) {
      const r = await db.selectFrom('desk_requests').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toRequest(r);
    },
    async decideRequest(id, d) {
      const r = await db
        .updateTable('desk_requests')
        .set({ state: d.state, decided_by: d.by, decided_at: ms(d.at), decision_reason: d.reason })
        .where('id', '=', id)
        .where('state', '=', 'pending')
        // the requester never decides their own request, whatever the caller checked
        .where('requested_by', '<>', d.by)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async markFailed(id) {
      await db.updateTable('desk_requests').set({ state: 'failed' }).where('id', '=', id).execute();
    },
    async listRequests(f) {
      let q = db
        .selectFrom('desk_requests as r')
        .innerJoin('accounts as a', 'a.id', 'r.account_id')
        .innerJoin('operators as o', 'o.id', 'r.requested_by')
        .leftJoin('operators as d', 'd.id', 'r.decided_by')
        .selectAll('r')
        .select(['a.login_id as login_id', 'o.name as requested_by_name', 'd.name as decided_by_name']);
      if (f.state) q = q.where('r.state', '=', f.state);
      if (f.requestedBy !== undefined) q = q.where('r.requested_by', '=', f.requestedBy);
      if (f.decidedBy !== undefined) q = q.where('r.decided_by', '=', f.decidedBy);
      if (f.accountId !== undefined) q = q.where('r.account_id', '=', f.accountId);
      if (f.since) q = q.where('r.requested_at', '>=', ms(f.since));
      const rows = await q.orderBy('r.id', 'desc').limit(f.limit).execute();
      return rows.map((r) => ({ ...toRequest(r), loginId: r.login_id, requestedByName: r.requested_by_name, decidedByName: r.decided_by_name ?? null }));
    },
  };
}
