/** The frame of every screen and the login page's trust cues: favicon, brand stylesheet, footer, help links, tel: links. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config';
import { translator } from '../../../src/i18n';
import { withPhoneLink } from '../../../src/web/branding';
import { html } from '../../../src/web/html';
import { frameView } from '../../../src/web/views/frame';
import type { ViewContext } from '../../../src/web/views/kit';
import { loginView, totpView } from '../../../src/web/views/login-views';
import { passkeyListView } from '../../../src/web/views/passkey-views';
import { recoveryCodesView } from '../../../src/web/views/totp-views';

const config = loadConfig({
  NODE_ENV: 'test',
  MAMORI_SECRET_KEY: 'a'.repeat(64),
  FOOTER_REGISTRATION: '金融商品取引業者 関東財務局長（金商）第0000号',
  FORGOT_ID_URL: 'https://help.example/id',
  FORGOT_PASSWORD_URL: 'https://help.example/password',
  FAQ_URL: 'https://help.example/faq',
});
const brand = { brokerName: 'ぐんぎん証券', serviceName: 'オンラインサービス', supportPhone: '0120-954-171', tradingServiceUrl: 'https://trade.example' };
const v: ViewContext = { t: translator('ja'), csrf: 'c', now: new Date('2026-06-01T00:00:00Z'), brand, branding: config.branding };

describe('the frame and the login page', () => {
  it('links the favicon and the brand stylesheet after style.css, and ends with the footer before the language switch', () => {
    const doc = frameView({ t: v.t, locale: 'ja', brand, branding: config.branding, now: v.now, customer: null }, { title: 'T', body: html`<p>x</p>` }).value;
    assert.match(doc, /<link rel="icon" href="\/static\/favicon.svg" type="image\/svg\+xml">/);
    assert.ok(doc.indexOf('/static/style.css') < doc.indexOf('/static/brand.css'), 'brand.css comes after style.css');
    const footer = doc.slice(doc.indexOf('<footer'));
    assert.match(footer, /<a href="tel:0120954171">0120-954-171<\/a>/);
    assert.match(footer, /金融商品取引業者 関東財務局長（金商）第0000号/);
    assert.ok(footer.indexOf('ぐんぎん証券') < footer.indexOf('?lang=en'), 'company before the language switch');
  });

  it('puts the help links and the phishing warning under the login form', () => {
    const body = loginView(v, {}).body.value;
    const afterForm = body.slice(body.indexOf('</form>'));
    for (const text of ['ログインIDをお忘れの方', 'ログインパスワードをお忘れの方', 'よくあるご質問', 'ログイン画面へのリンクをお送りすることはありません']) assert.ok(afterForm.includes(text), text);
  });

  it('shows the support number as a tel: link in the lost-phone note, escaping the message around it', () => {
    assert.match(totpView(v, {}).body.value, /<a href="tel:0120954171">0120-954-171<\/a>/);
    const t = ((_key: string, vars?: Record<string, string | number>) => `<b>${String(vars?.phone)}</b>`) as typeof v.t;
    assert.equal(withPhoneLink(t, 'totp.lost', '0120-1').value, '&lt;b&gt;<a href="tel:01201">0120-1</a>&lt;/b&gt;');
  });
});

describe('recovery codes and passkeys on phones', () => {
  it('the recovery codes can be copied and printed in one step', () => {
    const body = recoveryCodesView(v, ['ABCDE-FGHJK', 'KLMNP-QRSTU']).body.value;
    assert.match(body, /<ul class="codes" id="recovery-codes">/);
    assert.match(body, /<button type="button" class="secondary" data-copy="#recovery-codes" data-copied="コピーしました">コピー<\/button>/);
    assert.match(body, /<button type="button" class="secondary" data-print>印刷<\/button>/);
  });

  it('each passkey cell with a value carries its column header for the stacked card', () => {
    const passkey = { id: 7, accountId: 1, credentialId: 'c', publicKey: 'k', counter: 0, transports: [], name: 'iPhone', backedUp: false, createdAt: v.now, lastUsedAt: null };
    const body = passkeyListView(v, [passkey], { sent: false } as never).body.value;
    for (const label of ['名前', '登録日時', '最終利用日時']) assert.match(body, new RegExp(`<td data-label="${label}">`));
  });
});
