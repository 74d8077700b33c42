/** Text a customer or client wrote is repeated in a mail only when it can never be a link. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mailSafeOr, mailSafeText } from '../../../src/domain/notifications/mail-safe';

describe('mail-safe text', () => {
  it('keeps names made of letters, digits, spaces and Japanese, and version numbers', () => {
    for (const ok of ['iPhone', '仕事用 iPhone 15', 'パスキー・自宅(PC)', 'Chrome 131', 'Mac OS 10.15.7', 'Windows 10', 'YubiKey 5-NFC']) assert.equal(mailSafeText(ok), ok, ok);
    assert.equal(mailSafeText('ｉＰｈｏｎｅ（仕事）'), 'iPhone(仕事)', 'full-width text typed with an IME is folded (NFKC)');
  });

  it('refuses anything a mail client could turn into a link', () => {
    for (const bad of [
      'https://evil.example/login', 'http://x', 'evil.example', 'www.evil', 'ｗｗｗ．evil．example', 'login@evil.example', 'evil。example', 'mailto:x',
      'evil example/login', '192.168.0.1', 'a\u202eb', 'tel:0120', '<b>x</b>', '',
    ]) assert.equal(mailSafeText(bad), null, bad);
  });

  it('falls back to the wording the caller gives', () => {
    assert.equal(mailSafeOr('https://evil.example', '不明'), '不明');
    assert.equal(mailSafeOr('x'.repeat(61), '不明'), '不明');
  });
});
