import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ErrorCode } from '../../../src/domain/errors';
import { en } from '../../../src/i18n/en';
import { ja } from '../../../src/i18n/ja';
import { pickLocale, translator } from '../../../src/i18n';

describe('messages', () => {
  it('every Japanese message has an English one and no English text is left empty by mistake', () => {
    for (const key of Object.keys(ja)) assert.ok(key in en, key);
    for (const [key, text] of Object.entries(en)) if (key !== 'common.sama') assert.ok(text.length > 0, key);
  });
  it('every error code a customer can meet has a message', () => {
    const codes: ErrorCode[] = ['invalid_input', 'invalid_credentials', 'login_locked', 'too_many_requests', 'flow_not_found', 'flow_expired', 'flow_state', 'code_invalid', 'code_expired', 'code_attempts_exceeded', 'resend_too_soon', 'totp_invalid', 'totp_replayed', 'session_invalid', 'csrf_invalid', 'overloaded', 'unavailable', 'trading_password_invalid', 'trading_password_locked'];
    for (const c of codes) assert.ok(`error.${c}` in ja, c);
  });
  it('fills placeholders', () => {
    assert.equal(translator('ja')('code.resendWait', { seconds: 42 }), '再送は42秒後から可能です。');
  });
  it('is Japanese unless English is chosen or preferred', () => {
    assert.equal(pickLocale(undefined, undefined), 'ja');
    assert.equal(pickLocale(undefined, 'ja,en;q=0.8'), 'ja');
    assert.equal(pickLocale(undefined, 'en-US,en'), 'en');
    assert.equal(pickLocale('ja', 'en-US'), 'ja');
  });
});
