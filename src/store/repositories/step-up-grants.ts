/** Step-up grants for the trading service: recorded by a step-up, spent once by a conditional update. */
import type { StepUpGrantRepo } from '../../domain/step-up/repository';
import type { StepUpMethod } from '../../domain/step-up/records';
import { ms, type Db } from '../rows';

export function stepUpGrants(db: Db): StepUpGrantRepo {
  return {
    async put(g) {
      const values = {
        account_id: g.accountId,
        intent_hash: g.intentHash,
        token_hash: g.tokenHash,
        method: g.method,
        granted_at: ms(g.grantedAt),
        expires_at: ms(g.expiresAt),
        consumed_at: null,
      };
      await db
        .insertInto('step_up_grants')
        .values({ session_id: g.sessionId, purpose: g.purpose, ...values })
        .onConflict((oc) => oc.columns(['session_id', 'purpose']).doUpdateSet(values))
        .execute();
    },
    async latest(sessionId) {
      const r = await db.selectFrom('step_up_grants').select(['method', 'granted_at']).where('session_id', '=', sessionId).orderBy('granted_at', 'desc').limit(1).executeTakeFirst();
      return r && { method: r.method as StepUpMethod, grantedAt: new Date(Number(r.granted_at)) };
    },
    async consume(k, now) {
      const r = await db
        .updateTable('step_up_grants')
        .set({ consumed_at: ms(now) })
        .where('session_id', '=', k.sessionId)
        .where('purpose', '=', k.purpose)
        .where('account_id', '=', k.accountId)
        .where('intent_hash', '=', k.intentHash)
        .where('token_hash', '=', k.tokenHash)
        .where('consumed_at', 'is', null)
        .where('expires_at', '>', ms(now))
        .returning(['method', 'granted_at'])
        .executeTakeFirst();
      return r && { method: r.method as StepUpMethod, grantedAt: new Date(Number(r.granted_at)) };
    },
  };
}
