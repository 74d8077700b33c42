/** The serving processes' heartbeats (domain/operations/serving-processes.ts). */
import type { ProcessHeartbeatRepo } from '../../domain/operations/serving-processes';
import { ms, type Db } from '../rows';

export function processHeartbeats(db: Db): ProcessHeartbeatRepo {
  return {
    async beat(p) {
      const values = { pid: p.pid, host: p.host, started_at: ms(p.startedAt), seen_at: ms(p.seenAt), key_ids: p.keyIds.join(',') };
      await db.insertInto('process_heartbeats').values({ id: p.id, ...values }).onConflict((oc) => oc.column('id').doUpdateSet(values)).execute();
    },
    async remove(id) {
      await db.deleteFrom('process_heartbeats').where('id', '=', id).execute();
    },
    async removeSeenBefore(before) {
      await db.deleteFrom('process_heartbeats').where('seen_at', '<', ms(before)).execute();
    },
    async listSeenSince(since) {
      const rows = await db.selectFrom('process_heartbeats').selectAll().where('seen_at', '>=', ms(since)).orderBy('started_at').execute();
      return rows.map((r) => ({ id: r.id, pid: Number(r.pid), host: r.host, startedAt: new Date(Number(r.started_at)), seenAt: new Date(Number(r.seen_at)), keyIds: r.key_ids.split(',').filter(Boolean) }));
    },
  };
}
