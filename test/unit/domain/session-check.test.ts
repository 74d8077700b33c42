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
