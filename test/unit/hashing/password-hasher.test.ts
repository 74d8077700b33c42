import assert from 'node:assert/strict';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { performance } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { BoundedQueue } from '../../../src/hashing/bounded-queue';
import { checkLoginPassword, checkTradingPassword } from '../../../src/domain/accounts/password-policy';
import { createPasswordHasher } from '../../../src/hashing/password-hasher';
import { Overloaded } from '../../../src/domain/errors';

const fast = { memoryCost: 1024, timeCost: 1, parallelism: 1, threads: 2, maxQueued: 10, retryAfterSeconds: 2 };

describe('password hashing', () => {
  it('hashes with argon2id and verifies', async () => {
    const h = createPasswordHasher(fast);
    const stored = await h.hash('correct horse battery');
    assert.match(stored, /^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    assert.deepEqual(await h.verify(stored, 'correct horse battery'), { ok: true, needsRehash: false });
    assert.equal((await h.verify(stored, 'wrong')).ok, false);
  });

  it('asks to rehash weaker argon2 parameters', async () => {
    const weak = await createPasswordHasher(fast).hash('pw pw pw pw');
    const strong = createPasswordHasher({ ...fast, memoryCost: 2048 });
    assert.deepEqual(await strong.verify(weak, 'pw pw pw pw'), { ok: true, needsRehash: true });
  });

  it('verifies imported bcrypt and PBKDF2 (passlib and PHC) hashes and asks to upgrade them', async () => {
    const h = createPasswordHasher(fast);
    const salt = randomBytes(16);
    const dk = pbkdf2Sync('old password', salt, 1000, 32, 'sha256');
    const ab64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');
    const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
    const hashes = [
      bcrypt.hashSync('old password', 6),
      `$pbkdf2-sha256$1000$${ab64(salt)}$${ab64(dk)}`,
      `$pbkdf2-sha256$i=1000,l=32$${b64(salt)}$${b64(dk)}`,
      `$pbkdf2-sha512$1000$${ab64(salt)}$${ab64(pbkdf2Sync('old password', salt, 1000, 64, 'sha512'))}`,
    ];
    for (const stored of hashes) {
      assert.equal(h.isSupportedHash(stored), true, stored);
      assert.deepEqual(await h.verify(stored, 'old password'), { ok: true, needsRehash: true }, stored);
      assert.equal((await h.verify(stored, 'other password')).ok, false, stored);
    }
  });

  it('holds every failed verification until the slowest kind learnt has had time, on a timer; successes are not held', async () => {
    const waits: number[] = [];
    // The real clock while kinds are timed (as at start-up), then a frozen one: each later
    // verification seems to take no time, so a held failure waits exactly the floor.
    let frozen: number | null = null;
    const h = createPasswordHasher(fast, { now: () => frozen ?? performance.now(), wait: async (ms) => void waits.push(ms) });
    const legacy = bcrypt.hashSync('old password', 6);
    assert.equal(h.kindOf(legacy), 'bcrypt 2b cost=06');
    const stored = await h.hash('correct horse battery');
    assert.equal(h.kindOf(stored), null, 'our own argon2id is no extra kind');
    assert.equal(h.floorMs(), 0, 'nothing learnt yet');
    await h.learn(legacy);
    const floor = h.floorMs();
    assert.ok(floor > 0);
    frozen = 0;
    await h.verify(stored, 'correct horse battery');
    assert.deepEqual(waits, [], 'a success is not held');
    await h.verify(stored, 'wrong');
    await h.verifyDummy('wrong');
    await h.verify(legacy, 'wrong');
    assert.equal(waits.length, 3, 'a wrong argon2id, an unknown ID and a wrong legacy password are each held');
    assert.ok(waits.every((w) => w > 0 && w <= floor), `held up to the floor (${floor} ms): ${waits}`);
    await h.close();
  });

  it('refuses unknown hash formats without throwing', async () => {
    const h = createPasswordHasher(fast);
    for (const junk of ['5f4dcc3b5aa765d61d8327deb882cf99', '', '$1$abc$def', '$pbkdf2-sha256$0$x$y']) {
      assert.equal(h.isSupportedHash(junk), false, junk);
      assert.deepEqual(await h.verify(junk, 'x'), { ok: false, needsRehash: false });
    }
  });
});

describe('bounded hash queue', () => {
  it('runs at most maxConcurrent jobs and refuses at once when the queue is full', async () => {
    const q = new BoundedQueue(2, 3, 7);
    let running = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const job = () =>
      q.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((r) => release.push(r));
        running -= 1;
      });
    const jobs = Array.from({ length: 5 }, job);
    await assert.rejects(job(), (e: unknown) => e instanceof Overloaded && e.details.retryAfter === 7);
    assert.equal(q.inFlight, 2);
    assert.equal(q.depth, 3);
    while (release.length || running) {
      release.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(jobs);
    assert.equal(peak, 2);
    assert.equal(q.depth, 0);
  });
});

describe('password rules (NIST SP 800-63B)', () => {
  it('asks for 8 characters, allows long passphrases, refuses common passwords and the login ID', () => {
    assert.equal(checkLoginPassword('short7!', 'gunma'), 'too_short');
    assert.equal(checkLoginPassword('password', 'gunma'), 'common');
    assert.equal(checkLoginPassword('password123', 'gunma'), 'common');
    assert.equal(checkLoginPassword('qwertyuiop', 'gunma'), 'common');
    assert.equal(checkLoginPassword('gunma12345', 'gunma12345'), 'same_as_login_id');
    assert.equal(checkLoginPassword('x'.repeat(129), 'gunma'), 'too_long');
    assert.equal(checkLoginPassword('群馬の空はとても青い', 'gunma'), null);
    assert.equal(checkLoginPassword('correct horse battery staple', 'gunma'), null);
  });
  it('wants the trading password to differ from the login password', () => {
    assert.equal(checkTradingPassword('correct horse battery', 'correct horse battery'), 'same_as_login_password');
    assert.equal(checkTradingPassword('another long phrase', 'correct horse battery'), null);
  });
});
