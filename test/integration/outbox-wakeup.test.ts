/**
 * The store wakes the mail sender itself once mail is committed to the outbox, so that no service
 * has to remember to: after the commit of a transaction that queued mail (once, however many it
 * queued), never for a transaction rolled back, never for one that queued none. SQLite and
 * PostgreSQL alike.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OutboxMailInput } from '../../src/domain/notifications/records';
import { createTestStore, storeKind, type TestStore } from '../support/test-store';

describe(`outbox wake-up after commit (${storeKind})`, () => {
  let t: TestStore;
  let wakes = 0;
  let depthAtWake: Promise<number>[] = [];
  let n = 0;
  const mail = (): OutboxMailInput => ({ messageId: `<wake-${(n += 1)}@test>`, to: 'wake@example.com', subject: 's', text: 'b', createdAt: new Date() });

  before(async () => {
    t = await createTestStore();
    t.store.onMailQueued(() => {
      wakes += 1;
      // What the woken sender would find.
      depthAtWake.push(t.store.outbox.pendingStats().then((s) => s.depth));
    });
  });
  after(() => t.drop());

  it('wakes once after a transaction that queued two mails commits, with the mails visible', async () => {
    wakes = 0;
    depthAtWake = [];
    await t.store.transaction(async (tx) => {
      await tx.outbox.enqueue(mail());
      await tx.outbox.enqueue(mail());
      assert.equal(wakes, 0, 'not before the commit');
    });
    assert.equal(wakes, 1);
    assert.equal(await depthAtWake[0], 2, 'the woken sender finds both mails');
  });

  it('does not wake for a transaction rolled back, nor for one that queued nothing', async () => {
    wakes = 0;
    const before = (await t.store.outbox.pendingStats()).depth;
    await assert.rejects(
      t.store.transaction(async (tx) => {
        await tx.outbox.enqueue(mail());
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    await t.store.transaction(async (tx) => {
      await tx.audit.append({ at: new Date(), type: 'test.nothing', accountId: null, loginId: null, ip: null, userAgent: null, operator: null, detail: {} });
    });
    assert.equal(wakes, 0);
    assert.equal((await t.store.outbox.pendingStats()).depth, before, 'the rolled-back mail is not there');
  });

  it('wakes after a mail queued outside a transaction', async () => {
    wakes = 0;
    await t.store.outbox.enqueue(mail());
    assert.equal(wakes, 1);
  });

  it('a failing listener does not turn a committed transaction into an error', async () => {
    t.store.onMailQueued(() => {
      throw new Error('listener broke');
    });
    wakes = 0;
    const id = await t.store.transaction(async (tx) => {
      await tx.outbox.enqueue(mail());
      return 'committed';
    });
    assert.equal(id, 'committed');
    assert.equal(wakes, 1, 'the other listeners still ran');
  });
});
