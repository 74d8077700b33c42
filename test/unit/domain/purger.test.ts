import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PURGE_RULES, PURGE_TABLES, Purger } from '../../../src/domain/maintenance/purger';
import type { PurgeTable } from '../../../src/domain/maintenance/repository';

const clock = { now: () => new Date('2026-06-01T12:00:00Z') };
const rules = { ...DEFAULT_PURGE_RULES, batchSize: 10, pauseMs: 1, throttleWindowMs: 15 * 60_000 };


/** A table of `rows` expired rows, deleted `limit` at a time, recording each statement. */
function fakeRows(rows: Partial<Record<PurgeTable, number>>) {
  const left = { ...rows };
  const calls: { table: PurgeTable; before: Date; limit: number }[] = [];
  return {
    calls,
    expiredRows: {
      async deleteBatch(table: PurgeTable, before: Date, _now: Date, limit: number) {
        calls.push({ table, before, limit });
        const n = Math.min(limit, left[table] ?? 0);
        left[table] = (left[table] ?? 0) - n;
        return n;
      },
    },
  };
}

describe('purger', () => {
  it('deletes in batches until a batch comes back short, table by table, and reports each batch', async () => {
    const store = fakeRows({ login_flows: 25, sessions: 10 });
    const reported: [PurgeTable, number][] = [];
    const pass = await new Purger({ store, clock, onPurged: (t, n) => reported.push([t, n]) }, rules).runOnce();
    assert.deepEqual(pass.rows, { login_flows: 25, sessions: 10 });
    assert.deepEqual(pass.batches.login_flows, 3);
    assert.deepEqual(pass.batches.sessions, 2, 'a full batch is followed by one more');
    assert.deepEqual(reported, [['login_flows', 10], ['login_flows', 10], ['login_flows', 5], ['sessions', 10]]);
    assert.deepEqual([...new Set(store.calls.map((c) => c.table))], [...PURGE_TABLES]);
    assert.ok(store.calls.every((c) => c.limit === 10));
  });

  it('keeps rows for the grace period, throttle rows for their window too, sent mail for a week', async () => {
    const store = fakeRows({});
    await new Purger({ store, clock }, rules).runOnce();
    const before = (t: PurgeTable) => clock.now().getTime() - store.calls.find((c) => c.table === t)!.before.getTime();
    assert.equal(before('login_flows'), 3600_000);
    assert.equal(before('sessions'), 3600_000);
    assert.equal(before('throttle'), 3600_000 + 15 * 60_000);
    assert.equal(before('outbox'), 7 * 24 * 3600_000);
  });

  it('runs on its timer and stops cleanly, waiting for the pass under way', async () => {
    let passes = 0;
    let release!: () => void;
    const store = {
      expiredRows: {
        async deleteBatch(table: PurgeTable) {
          if (table === 'login_flows') {
            passes += 1;
            if (passes === 2) await new Promise<void>((r) => (release = r));
          }
          return 0;
        },
      },
    };
    const purger = new Purger({ store, clock, jitter: () => 0 }, { ...rules, intervalMs: 20 });
    purger.start();
    while (passes < 2) await new Promise((r) => setTimeout(r, 5));
    let stopped = false;
    const stopping = purger.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(stopped, false, 'waits for the pass under way');
    release();
    await stopping;
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(passes, 2, 'no pass after stop');
  });
});
