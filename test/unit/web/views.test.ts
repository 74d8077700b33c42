import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config';
import { translator } from '../../../src/i18n';
import { confirmView } from '../../../src/web/views/confirm-view';
import { codeField, errorSummary, type FormError, type ViewContext } from '../../../src/web/views/kit';
import { passwordFormView } from '../../../src/web/views/security-views';

const v: ViewContext = {
  t: translator('ja'),
  csrf: 'csrf-value',
  now: new Date('2026-06-01T00:00:00Z'),
  brand: { brokerName: 'B', serviceName: 'S', supportPhone: '0120-000-000', tradingServiceUrl: 'https://trade.example' },
  branding: loadConfig({ NODE_ENV: 'test', MAMORI_SECRET_KEY: 'a'.repeat(64) }).branding,
};
const wrongTradingPassword: FormError = { message: '取引パスワードが正しくありません。', status: 401, code: 'trading_password_invalid', fields: ['tradingPassword'] };

/** The attributes of the input with this id. */
const inputTag = (html: string, id: string) => new RegExp(`<input id="${id}"[^>]*>`).exec(html)?.[0] ?? '';

describe('page views and the page kit', () => {
  it('an error is one summary at the top that can take focus, and marks exactly the fields it concerns', () => {
    const page = confirmView(v, { title: 'T', lead: 'L', action: '/x', button: '変更', back: '/y', reauth: { sendAction: '/x/code', totp: false, sent: null }, error: wrongTradingPassword });
    const body = page.body.value;
    assert.equal(page.status, 401);
    assert.equal(body.match(/role="alert"/g)?.length, 1);
    assert.match(body, /<div id="error-summary" class="error-summary" tabindex="-1" data-error-summary><p class="alert error" role="alert">取引パスワードが正しくありません。<\/p><\/div>/);
    assert.ok(body.indexOf('error-summary') < body.indexOf('<form'), 'the summary comes before the forms');
    assert.match(inputTag(body, 'tradingPassword'), /aria-invalid="true" aria-describedby="error-summary"/);
    assert.doesNotMatch(inputTag(body, 'confirmationCode'), /aria-invalid/);
  });

  it('without an error nothing is marked and there is no summary', () => {
    const body = passwordFormView(v, 'login').body.value;
    assert.doesNotMatch(body, /aria-invalid|role="alert"|error-summary/);
    assert.match(body, /<label for="currentPassword">現在のログインパスワード<\/label>/);
  });

  it('a code field keeps the one-time-code autocomplete and the numeric keyboard, and is marked when the code was wrong', () => {
    const wrongCode: FormError = { message: 'x', status: 401, code: 'code_invalid', fields: ['code', 'confirmationCode'] };
    const tag = inputTag(codeField('code', '認証コード', wrongCode).value, 'code');
    assert.match(tag, /autocomplete="one-time-code"/);
    assert.match(tag, /inputmode="numeric"/);
    assert.match(tag, /aria-invalid="true"/);
    assert.equal(errorSummary(null).value, '');
  });

  it('views escape what they are given', () => {
    const body = confirmView(v, { title: 'T', lead: '<script>x</script>', action: '/x', button: 'b', back: '/y' }).body.value;
    assert.doesNotMatch(body, /<script>x/);
    assert.match(body, /name="_csrf" value="csrf-value"/);
  });
});
