/**
 * English pages carry no Japanese (issue 19): the catalogue itself, and the dates and login-method
 * names pages build from helpers. The language switch is the one Japanese word, marked lang="ja".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en } from '../../../src/i18n/en';
import { formatDateTime, methodName } from '../../../src/i18n/format';
import { translator } from '../../../src/i18n';
import { ja } from '../../../src/i18n/ja';

const JAPANESE = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;
const at = new Date('2025-04-15T00:30:00Z');

describe('English without Japanese', () => {
  it('the English catalogue has no Japanese but the switch to Japanese', () => {
    const leaks = Object.entries(en).filter(([key, text]) => key !== 'lang.switch' && JAPANESE.test(text));
    assert.deepEqual(leaks, []);
  });

  it('dates say Japan time in the reader\'s language', () => {
    assert.equal(formatDateTime(translator('ja'), at), '2025/04/15 09:30:00 (日本時間)');
    assert.equal(formatDateTime(translator('en'), at), '2025/04/15 09:30:00 (Japan time)');
  });

  it('every login method recorded in the history has a name in both languages', () => {
    for (const method of ['email_code', 'totp', 'recovery_code', 'recognized_device', 'password', 'passkey']) {
      assert.match(methodName(translator('ja'), method), JAPANESE, method);
      assert.doesNotMatch(methodName(translator('en'), method), JAPANESE, method);
      assert.ok(`method.${method}` in ja);
    }
    assert.equal(methodName(translator('en'), 'something_new'), 'something_new');
  });
});

describe('a wrong trading password', () => {
  it('says how many tries remain before the lock, in both languages', async () => {
    const { DomainError } = await import('../../../src/domain/errors');
    const { messageOf } = await import('../../../src/web/errors');
    const err = new DomainError('trading_password_invalid', { remaining: 3 });
    assert.equal(messageOf(err, translator('ja')), '取引パスワードが正しくありません。あと3回誤ると、設定変更を停止します。');
    assert.match(messageOf(err, translator('en')), /After 3 more wrong tries/);
  });
});
