/** The audit log: appended to, never changed. */
import type { Insertable, Selectable } from 'kysely';
import type { AuditEvent, AuditEventInput, AuditRepo } from '../../domain/audit';
import type { AuditEventsTable } from '../schema';
import { date, ms, type Db } from '../rows';
import { listSlots, listValues, perNumber, prepared, slotsFor, type ListSlots } from '../prepared';

const NEW_EVENT = ['at', 'type', 'account_id', 'login_id', 'ip', 'user_agent', 'operator', 'detail'] as const;
const appended = prepared((db, $: Required<Pick<Insertable<AuditEventsTable>, (typeof NEW_EVENT)[number]>>) => db.insertInto('audit_events').values(slotsFor($, NEW_EVENT)));

// Limits are numbers, not slots: see sqlite-compiler.ts.
const places = perNumber((limit) =>
  prepared((db, $: { accountId: number; type: string }) =>
    db.selectFrom('audit_events').select(['at', 'ip']).where('account_id', '=', $.accountId).where('type', '=', $.type).orderBy('id', 'desc').limit(limit),
  ),
);

const lastOfType = prepared((db, $: { accountId: number; type: string }) =>
  db.selectFrom('audit_events').select('id').where('account_id', '=', $.accountId).where('type', '=', $.type).orderBy('id', 'desc').limit(1),
);

/** Ids start at 1, so `after` 0 is "from the beginning". */
const since = perNumber((limit) =>
  perNumber((n) =>
    prepared((db, $: { accountId: number; after: number } & ListSlots) =>
      db.selectFrom('audit_events').selectAll().where('account_id', '=', $.accountId).where('type', 'in', listSlots(n, $)).where('id', '>', $.after).orderBy('id', 'desc').limit(limit),
    ),
  ),
);

export function audit(db: Db, onAppend?: (e: AuditEventInput) => void): AuditRepo {
  return {
    async append(e) {
      onAppend?.(e);
      await appended.run(db, {
        at: ms(e.at),
        type: e.type,
        account_id: e.accountId,
        login_id: e.loginId,
        ip: e.ip,
        user_agent: e.userAgent,
        operator: e.operator,
        detail: JSON.stringify(e.detail),
      });
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
      // success, not the last hundred events of a customer who logs in every day. (As one statement
      // with a subquery, SQLite walks the account's events by id instead: slower, measured.)
      const last = await lastOfType.first(db, { accountId, type: marker });
      const rows = await since(limit)(types.length).execute(db, { accountId, after: last ? Number(last.id) : 0, ...listValues(types) });
      return { markerFound: last !== undefined, events: rows.map(toAudit) };
    },
    async listPlaces(accountId, type, limit) {
      const rows = await places(limit).execute(db, { accountId, type });
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
