/** The audit log: appended to, never changed. */
import type { Selectable } from 'kysely';
import type { AuditEvent, AuditEventInput, AuditRepo } from '../../domain/audit';
import type { AuditEventsTable } from '../schema';
import { date, ms, type Db } from '../rows';

export function audit(db: Db, onAppend?: (e: AuditEventInput) => void): AuditRepo {
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
    async listSinceLast(accountId, marker, types, limit) {
      // Two index reads (account_id, type, id): a login reads only the failures since the last
      // success, not the last hundred events of a customer who logs in every day.
      const last = await db.selectFrom('audit_events').select('id').where('account_id', '=', accountId).where('type', '=', marker).orderBy('id', 'desc').limit(1).executeTakeFirst();
      const rows = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('type', 'in', types)
        .$if(last !== undefined, (q) => q.where('id', '>', last!.id))
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return { markerFound: last !== undefined, events: rows.map(toAudit) };
    },
    async listPlaces(accountId, type, limit) {
      const rows = await db.selectFrom('audit_events').select(['at', 'ip']).where('account_id', '=', accountId).where('type', '=', type).orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({ at: date(r.at), ip: r.ip }));
    },
  };
}

export function toAudit(r: Selectable<AuditEventsTable>): AuditEvent {
  return {
    id: Number(r.id),
    at: date(r.at),
    type: r.type,
    accountId: r.account_id === null ? null : Number(r.account_id),
    loginId: r.login_id,
    ip: r.ip,
    userAgent: r.user_agent,
    operator: r.operator,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  };
}
