import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createKeyedHasher } from '../../../src/crypto/keyed-hash';
import { createSecretBox } from '../../../src/crypto/secret-box';
import { newNumericCode, newToken } from '../../../src/crypto/tokens';
import { cryptoRandom } from '../../../src/crypto/random';
import { hasControlChars, isWellFormed, normalizeCode, normalizeInput } from '../../../src/crypto/normalize';

describe('secrets at rest', () => {
  const a = { id: 'aaaa', key: randomBytes(32) };
  const b = { id: 'bbbb', key: randomBytes(32) };

  it('seals and opens, with a fresh IV each time', () => {
    const box = createSecretBox([a], 'aaaa');
    const s1 = box.seal('JBSWY3DPEHPK3PXP');
    assert.notEqual(s1, box.seal('JBSWY3DPEHPK3PXP'));
    assert.equal(box.open(s1), 'JBSWY3DPEHPK3PXP');
    assert.ok(!s1.includes('JBSWY3DP'));
  });

  it('refuses tampered ciphertext, an unknown key and a relabelled key id', () => {
    const box = createSecretBox([a, b], 'aaaa');
    const sealed = box.seal('secret');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0]! ^= 1;
    assert.throws(() => box.open([parts[0], parts[1], parts[2], flipped.toString('base64url'), parts[4]].join('.')), /secret_unreadable/);
    assert.throws(() => createSecretBox([b], 'bbbb').open(sealed), /secret_unreadable/);
    assert.throws(() => box.open(sealed.replace('.aaaa.', '.bbbb.')), /secret_unreadable/);
  });

  it('rotates: old secrets stay readable and are flagged for re-sealing', () => {
    const old = createSecretBox([a], 'aaaa').seal('s');
    const ring = createSecretBox([a, b], 'bbbb');
    assert.equal(ring.open(old), 's');
    assert.equal(ring.needsReseal(old), true);
    assert.equal(ring.needsReseal(ring.seal('s')), false);
  });

  it('keyed hashes differ per purpose and compare in constant time', () => {
    const k = createKeyedHasher(randomBytes(32));
    assert.notEqual(k.hash('session', 'x'), k.hash('device', 'x'));
    assert.equal(k.equals('session', 'x', k.hash('session', 'x')), true);
    assert.equal(k.equals('session', 'y', k.hash('session', 'x')), false);
    assert.equal(k.equals('session', 'x', 'short'), false);
    assert.notEqual(createKeyedHasher(randomBytes(32)).hash('session', 'x'), k.hash('session', 'x'));
  });

  it('makes unguessable tokens and uniform numeric codes with leading zeros', () => {
    assert.equal(Buffer.from(newToken(cryptoRandom), 'base64url').length, 32);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 2000; i++) {
      const c = newNumericCode(cryptoRandom, 6);
      assert.match(c, /^\d{6}$/);
      counts[Number(c[0])] += 1;
    }
    for (const n of counts) assert.ok(n > 100, 'every leading digit occurs, zero included');
  });

  it('normalises IME input and spots control characters', () => {
    assert.equal(normalizeInput('１２３４５６'), '123456');
    assert.equal(normalizeInput('　ＡＢＣ　'), 'ABC');
    assert.equal(normalizeCode('１２３ ４５６'), '123456');
    assert.equal(normalizeCode('123-456'), '123456');
    assert.equal(hasControlChars('abc\u0000'), true);
    assert.equal(hasControlChars('abc\u202e'), true);
    assert.equal(hasControlChars('群馬 五郎'), false);
    assert.equal(isWellFormed('a\ud800b'), false);
    assert.equal(isWellFormed('😀'), true);
  });
});
