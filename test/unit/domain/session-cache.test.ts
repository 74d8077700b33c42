import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SessionCache } from '../../../src/domain/sessions/session-cache';
import type { ActiveSession } from '../../../src/domain/sessions/records';

const T0 = Date.parse('2026-06-01T00:00:00Z');
function session(accountId: number, expiresInMs = 3_600_000): ActiveSession {
  const at = new Date(T0);
  const end = new Date(T0 + expiresInMs);
  return { id: accountId * 10, accountId, loginId: `u${accountId}`, name: 'n', method: 'password', authenticatedAt: at, lastSeenAt: at, idleExpiresAt: end, absoluteExpiresAt: end, stepUpAt: null };
}

it('answers within the TTL and not after it', () => {
  const c = new SessionCache(1000);
  const s = session(1);
  c.put('a', s, T0);
  assert.equal(c.get('a', T0 + 999), s);
  assert.equal(c.get('a', T0 + 1000), undefined);
  assert.equal(c.size, 0);
});

it('never answers past the session’s own expiry, and keeps nothing when off', () => {
  const c = new SessionCache(1000);
  c.put('a', session(1, 300), T0);
  assert.ok(c.get('a', T0 + 299));
  assert.equal(c.get('a', T0 + 300), undefined);
  c.put('b', session(2, 0), T0);
  assert.equal(c.size, 0);
  const off = new SessionCache(0);
  off.put('a', session(1), T0);
  assert.equal(off.get('a', T0), undefined);
});

it('forgets every session of an account at once, and only that account', () => {
  const c = new SessionCache(1000);
  c.put('a1', session(1), T0);
  c.put('a2', session(1), T0);
  c.put('b1', session(2), T0);
  c.forgetAccount(1);
  assert.equal(c.get('a1', T0), undefined);
  assert.equal(c.get('a2', T0), undefined);
  assert.ok(c.get('b1', T0));
});

it('keeps track of an account with one session, then several, as entries come and go', () => {
  const c = new SessionCache(1000);
  c.put('a1', session(1), T0);
  c.put('a1', session(1), T0 + 10); // the same token again
  c.put('a2', session(1), T0 + 500);
  c.put('a3', session(1), T0 + 600);
  assert.equal(c.get('a1', T0 + 1200), undefined, 'a1 expired and is dropped');
  c.forgetAccount(1);
  assert.deepEqual([c.get('a2', T0 + 700), c.get('a3', T0 + 700)], [undefined, undefined], 'the others still forgotten together');
  c.put('a4', session(1), T0 + 800);
  assert.ok(c.get('a4', T0 + 800));
  c.forgetAccount(1);
  assert.equal(c.get('a4', T0 + 800), undefined);
  assert.equal(c.size, 0);
});

it('drops expired entries as new ones arrive, so memory follows one TTL of traffic', () => {
  const c = new SessionCache(1000);
  for (let i = 0; i < 5000; i++) c.put(`t${i}`, session(i), T0 + i);
  // At T0+4999 only the entries put in the last second are live; the others were dropped on the way.
  assert.ok(c.size <= 1001, `size ${c.size}`);
  assert.ok(c.get('t4999', T0 + 4999));
  assert.equal(c.get('t3000', T0 + 4999), undefined);
  c.forgetAccount(4999);
  assert.equal(c.get('t4999', T0 + 4999), undefined);
});

it('holds at most maxEntries, dropping the oldest; a refreshed entry moves to the back', () => {
  const c = new SessionCache(60_000, 3);
  c.put('a', session(1), T0);
  c.put('b', session(2), T0);
  c.put('a', session(1), T0 + 1);
  c.put('c', session(3), T0 + 2);
  c.put('d', session(4), T0 + 3);
  assert.equal(c.size, 3);
  assert.equal(c.get('b', T0 + 3), undefined);
  assert.ok(c.get('a', T0 + 3));
  assert.ok(c.get('d', T0 + 3));
});

it('a read that began before a session changed is not cached', () => {
  const c = new SessionCache(1000);
  const started = c.epoch;
  c.forgetAccount(1); // a logout committed while the read was under way
  c.put('a', session(1), T0, started);
  assert.equal(c.get('a', T0), undefined);
  c.put('a', session(1), T0, c.epoch);
  assert.ok(c.get('a', T0));
});

it('with keptMs, an entry past its time stays that much longer for a re-read, never answered by get', () => {
  const c = new SessionCache(1000, 10_000, 1000);
  const s = session(1);
  c.put('a', s, T0, c.epoch, 'hash-a');
  c.put('b', session(2), T0 + 1500);
  assert.equal(c.entry('a')?.tokenHash, 'hash-a', 'past its time, still there for a re-read');
  assert.equal(c.entry('a')?.session, s);
  c.put('c', session(3), T0 + 2000);
  assert.equal(c.entry('a'), undefined, 'gone once its kept time is up too');
  assert.ok(c.entry('b'));
  assert.equal(c.get('b', T0 + 2600), undefined, 'get answers only within the TTL');
  assert.equal(c.entry('b'), undefined, 'and drops what it found past its time');
  for (let i = 0; i < 5000; i++) c.put(`t${i}`, session(i), T0 + 3000 + i);
  assert.ok(c.size <= 2001, `memory follows TTL + keptMs of traffic: size ${c.size}`);
});
