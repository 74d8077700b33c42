import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Secret } from 'otpauth';
import { groupBase32, totpCode, totpStep, totpUri, verifyTotp } from '../../../src/crypto/totp';

// RFC 6238 Appendix B: SHA-1, secret "12345678901234567890"; 6-digit codes are the last 6 digits.
const SECRET = Secret.fromLatin1('12345678901234567890').base32;
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 Appendix B SHA-1 vectors', () => {
    for (const [t, code8] of VECTORS) assert.equal(totpCode(SECRET, new Date(t * 1000)), code8.slice(2), `T=${t}`);
  });

  it('returns the matched time step, accepting one step either side and no more', () => {
    const at = new Date(1111111111 * 1000);
    const code = totpCode(SECRET, at);
    const step = totpStep(at);
    assert.equal(verifyTotp(SECRET, code, at), step);
    assert.equal(verifyTotp(SECRET, code, new Date(at.getTime() + 30_000)), step, 'one step late');
    assert.equal(verifyTotp(SECRET, code, new Date(at.getTime() - 30_000)), step, 'one step early');
    assert.equal(verifyTotp(SECRET, code, new Date(at.getTime() + 61_000)), null, 'two steps late');
  });

  it('changes code exactly at the 30-second boundary', () => {
    const before = new Date(59_999);
    const after = new Date(60_000);
    assert.equal(totpStep(before), 1);
    assert.equal(totpStep(after), 2);
    assert.notEqual(totpCode(SECRET, before), totpCode(SECRET, after));
  });

  it('refuses anything that is not six digits', () => {
    const at = new Date(59_000);
    for (const bad of ['', '12345', '1234567', 'abcdef', ' 94287082']) assert.equal(verifyTotp(SECRET, bad, at), null);
  });

  it('builds an otpauth URI for Google Authenticator and groups the key by four', () => {
    const uri = totpUri({ issuer: 'ぐんぎん証券', account: 'gunma5', secret: SECRET });
    assert.match(uri, /^otpauth:\/\/totp\//);
    assert.match(uri, /secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ/);
    assert.match(uri, /algorithm=SHA1&digits=6&period=30/);
    assert.match(uri, /issuer=%E3%81%90/);
    assert.equal(groupBase32('ABCDEFGHIJ'), 'ABCD EFGH IJ');
  });
});
