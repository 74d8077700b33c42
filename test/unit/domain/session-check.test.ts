/** SessionService.check: simultaneous checks of one session share one database read. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SessionService } from '../../../src/domain/sessions/session-service';
import type { Store } from '../../../src/domain/store';

it('four simultaneous checks of one session make one read; the next moment is answered from the cache', async () => {
  const now = new Date('2026-06-01T00:00:00Z');
  let reads = 0;
  const row = { id: 7, accountId: 3, loginId: 'u3', name: 'n', method: 'password', authenticatedAt: now, lastSeenAt: now, idleExpiresAt: new Date(now.getTime() + 1800_000), absoluteExpiresAt: new Date(now.getTime() + 43200_000), stepUpAt: null, endedAt: null };
  const store = {
    sessions: {
      async findActiveByTokenHash(hash: string) {
        reads += 1;
        await new Promise((r) => setTimeout(r, 5));
        return hash === 'h:tok' ? row : undefined;
      },
      async touchMany() {},
    },
  } as unknown as Store;
  const service = new SessionService(
    { store, clock: { now: () => now }, random: { bytes: (n: number) => Buffer.alloc(n) } as never, keyed: { hash: (_p: string, v: string) => `h:${v}`, equals: () => false } },
    { idleMinutes: 30, absoluteHours: 12, cacheMs: 1000 },
  );
  const answers = await Promise.all([1, 2, 3, 4].map(() => service.check('tok')));
  assert.equal(reads, 1);
  for (const a of answers) assert.equal(a?.loginId, 'u3');
  assert.equal((await service.check('tok'))?.loginId, 'u3');
  assert.equal(reads, 1, 'cached');
  const [x, y] = await Promise.all([service.check('other'), service.check('other')]);
  assert.equal(x, null);
  assert.equal(y, null);
  assert.equal(reads, 2);
  await service.close();
});

it('a cached session whose time is up is read again by id: the same answer while the row says the same, the full read when it is another token’s or gone', async () => {
  let nowMs = Date.parse('2026-06-01T00:00:00Z');
  const at = new Date(nowMs);
  const row = { id: 7, tokenHash: 'h:tok', accountId: 3, loginId: 'u3', name: 'n', method: 'password', authenticatedAt: at, lastSeenAt: at, idleExpiresAt: new Date(nowMs + 1800_000), absoluteExpiresAt: new Date(nowMs + 43200_000), stepUpAt: null as Date | null };
  let stored: typeof row | undefined = row;
  const reads = { byHash: 0, byId: 0 };
  const store = {
    sessions: {
      async findActiveByTokenHash(hash: string) {
        reads.byHash += 1;
        return hash === stored?.tokenHash ? { ...stored } : undefined;
      },
      async touchMany() {},
    },
    sessionByIdAtOnce(id: number) {
      reads.byId += 1;
      // A fresh record on every read, as the store makes one from the row.
      return stored && id === stored.id ? { ...stored, authenticatedAt: new Date(stored.authenticatedAt) } : undefined;
    },
  } as unknown as Store;
  const service = new SessionService(
    { store, clock: { now: () => new Date(nowMs) }, random: { bytes: (n: number) => Buffer.alloc(n) } as never, keyed: { hash: (_p: string, v: string) => `h:${v}`, equals: () => false } },
    { idleMinutes: 30, absoluteHours: 12, cacheMs: 1000 },
  );
  const first = await service.check('tok');
  assert.ok(first);
  nowMs += 1001;
  assert.equal(service.checkAtOnce('tok'), first, 'unchanged: the very same answer, at once');
  assert.deepEqual(reads, { byHash: 1, byId: 1 });
  assert.equal(service.answered.reread, 1);
  nowMs += 1001;
  stored = { ...row, stepUpAt: new Date(nowMs) };
  const changed = service.checkAtOnce('tok');
  assert.notEqual(changed, first);
  assert.equal(changed?.stepUpAt?.getTime(), nowMs, 'a changed row: the new answer');
  nowMs += 1001;
  stored = { ...row, tokenHash: 'h:other' }; // the token was renewed
  assert.equal(service.checkAtOnce('tok'), undefined, 'another token’s row: only the full read can tell');
  assert.equal(await service.check('tok'), null);
  stored = row;
  const again = await service.check('tok');
  nowMs += 1001;
  stored = undefined; // ended
  assert.equal(service.checkAtOnce('tok'), undefined);
  assert.equal(await service.check('tok'), null);
  assert.ok(again);
  assert.equal(reads.byHash, 4);
  await service.close();
});
