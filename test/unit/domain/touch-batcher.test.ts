import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TouchBatcher, type Touch } from '../../../src/domain/sessions/touch-batcher';

const touch = (ms: number): Touch => ({ lastSeenAt: new Date(ms), idleExpiresAt: new Date(ms + 1800_000) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('writes queued touches together after the interval, newest per session, readable meanwhile', async () => {
  const writes: Map<number, Touch>[] = [];
  const b = new TouchBatcher(async (batch) => void writes.push(new Map(batch)), 30);
  b.add(1, touch(1));
  b.add(2, touch(2));
  b.add(1, touch(3));
  assert.deepEqual(b.pending(1), touch(3), 'this process reads its own pending touch');
  assert.equal(writes.length, 0);
  await sleep(80);
  assert.equal(writes.length, 1, 'one write for the batch');
  assert.deepEqual([...writes[0]!.keys()].sort(), [1, 2]);
  assert.deepEqual(writes[0]!.get(1), touch(3));
  assert.equal(b.pending(1), undefined);
});

it('a full batch is written at once', async () => {
  const sizes: number[] = [];
  const b = new TouchBatcher(async (batch) => void sizes.push(batch.size), 60_000, 10);
  for (let i = 0; i < 25; i++) b.add(i, touch(i));
  await b.flush();
  await b.close();
  assert.deepEqual(sizes, [10, 10, 5]);
});

it('a failed write keeps the touches (newer ones win) and tries again; close writes the rest', async () => {
  let fail = true;
  const written: Map<number, Touch>[] = [];
  const b = new TouchBatcher(async (batch) => {
    if (fail) throw new Error('database unreachable');
    written.push(new Map(batch));
  }, 20);
  b.add(1, touch(1));
  b.add(2, touch(2));
  await b.flush();
  assert.deepEqual(b.pending(1), touch(1), 'kept after the failure');
  b.add(1, touch(5));
  fail = false;
  await sleep(60);
  assert.equal(written.length, 1);
  assert.deepEqual(written[0]!.get(1), touch(5));
  assert.deepEqual(written[0]!.get(2), touch(2));
  b.add(3, touch(7));
  await b.close();
  assert.deepEqual(written[1]!.get(3), touch(7));
});

it('a batch waiting behind a slow write is still read as pending', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const b = new TouchBatcher(async () => gate, 60_000, 2);
  b.add(1, touch(1));
  b.add(2, touch(2)); // full: the first batch is being written, and waits
  b.add(3, touch(3));
  b.add(4, touch(4)); // full again: queued behind it
  assert.deepEqual(b.pending(1), touch(1));
  assert.deepEqual(b.pending(4), touch(4));
  release();
  await b.close();
  assert.equal(b.pending(1), undefined);
  assert.equal(b.pending(4), undefined);
});
