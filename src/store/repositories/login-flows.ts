/** Logins in progress; a conditional update on `state` and `method_shown` decides the one winner of concurrent submissions. */
import { reserveUnderLimit } from '../reserve-under-limit';
import type { Insertable, Selectable } from 'kysely';
import type { LoginFlow, LoginFlowState, LoginRiskNotice } from '../../domain/login/records';
import type { LoginFlowRepo } from '../../domain/login/repository';
import type { LoginFlowsTable } from '../schema';
import { date, dateOrNull, ms, msOrNull, type Db } from '../rows';

export function loginFlows(db: Db): LoginFlowRepo {
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
      const scoped = db.updateTable('login_flows').where('id', '=', id).where('state', '=', 'awaiting_second_step').where('method_shown', '=', methodShown);
      return (await reserveUnderLimit(scoped, 'code_attempts', maxAttempts))?.count ?? null;
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
    async claimFailureNotice(id, at) {
      const r = await db.updateTable('login_flows').set({ failure_notified_at: ms(at) }).where('id', '=', id).where('failure_notified_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

export function toLoginFlow(r: Selectable<LoginFlowsTable>): LoginFlow {
  return {
    id: r.id,
    accountId: Number(r.account_id),
    state: r.state as LoginFlowState,
    methodsOpen: r.methods_open ? r.methods_open.split(',') : [],
    methodShown: r.method_shown,
    recognizedDeviceId: r.recognized_device_id === null ? null : Number(r.recognized_device_id),
    codeHash: r.code_hash,
    codeExpiresAt: dateOrNull(r.code_expires_at),
    codeSentAt: dateOrNull(r.code_sent_at),
    codeAttempts: r.code_attempts,
    codeSendCount: r.code_send_count,
    codeEmailId: r.code_email_id === null ? null : Number(r.code_email_id),
    method: r.method,
    ip: r.ip,
    userAgent: r.user_agent,
    createdAt: date(r.created_at),
    expiresAt: date(r.expires_at),
    completedAt: dateOrNull(r.completed_at),
    riskNotice: r.risk_notice ? (JSON.parse(r.risk_notice) as LoginRiskNotice) : null,
  };
}

export function fromLoginFlow(f: LoginFlow): Insertable<LoginFlowsTable> {
  return {
    id: f.id,
    account_id: f.accountId,
    state: f.state,
    methods_open: f.methodsOpen.join(','),
    method_shown: f.methodShown,
    recognized_device_id: f.recognizedDeviceId,
    code_hash: f.codeHash,
    code_expires_at: msOrNull(f.codeExpiresAt),
    code_sent_at: msOrNull(f.codeSentAt),
    code_attempts: f.codeAttempts,
    code_send_count: f.codeSendCount,
    code_email_id: f.codeEmailId,
    method: f.method,
    ip: f.ip,
    user_agent: f.userAgent,
    created_at: ms(f.createdAt),
    expires_at: ms(f.expiresAt),
    completed_at: msOrNull(f.completedAt),
    risk_notice: f.riskNotice ? JSON.stringify(f.riskNotice) : null,
  };
}
