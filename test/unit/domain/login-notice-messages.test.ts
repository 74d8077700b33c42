/** The mandatory login notices: Japanese, by name, the support number, every reason named, and never a link. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Brand } from '../../../src/domain/context';
import { loginNoticeMail, secondStepFailedMail, type LoginNoticeFacts } from '../../../src/domain/notifications/login-notice-messages';

const brand: Brand = { brokerName: 'ぐんぎん証券', serviceName: 'ぐんぎん証券オンラインサービス', supportPhone: '0120-954-171', tradingServiceUrl: 'https://trade.example.jp/' };
const at = new Date('2026-11-26T00:05:00Z');
const name = '群馬 五郎';
const facts = (o: Partial<LoginNoticeFacts>): LoginNoticeFacts => ({ name, at, browser: 'Chrome 131', os: 'Windows 10', ip: '192.0.2.1', method: 'totp', reasons: [], ...o });

describe('mandatory login notices', () => {
  const mails = {
    newBrowser: loginNoticeMail(brand, facts({ reasons: ['new_browser'] }), false),
    newBrowserOptedIn: loginNoticeMail(brand, facts({ reasons: ['new_browser', 'after_failures'], failures: 4 }), true),
    afterFailures: loginNoticeMail(brand, facts({ reasons: ['after_failures'], failures: 3 }), false),
    recovery: loginNoticeMail(brand, facts({ reasons: ['new_browser', 'recovery_code'], recoveryCodesLeft: 9, method: 'recovery_code' }), true),
    secondStep: secondStepFailedMail(brand, { name, at, browser: 'https://evil.example/x', os: 'www.evil.example', ip: '192.0.2.1', method: 'email_code' }),
    linkyAgent: loginNoticeMail(brand, facts({ reasons: ['new_browser'], browser: 'https://evil.example/x 1', os: 'evil.example' }), false),
  };

  for (const [label, mail] of Object.entries(mails)) {
    it(`${label}: Japanese, by name, the support number, no link`, () => {
      assert.match(mail.subject, /^【ぐんぎん証券】[\u3000-\u9fff\uff00-\uffef]/u);
      assert.ok(mail.text.startsWith(`${name} 様\n`));
      assert.match(mail.text, /0120-954-171/);
      assert.doesNotMatch(mail.text, /https?:|www\.|evil/);
    });
  }

  it('names every reason once, in one mail, and keeps ログインのお知らせ for an address that asked for it', () => {
    assert.equal(mails.newBrowser.subject, '【ぐんぎん証券】新しいブラウザからログインがありました');
    assert.equal(mails.newBrowserOptedIn.subject, '【ぐんぎん証券】ログインのお知らせ（新しいブラウザ・ログイン失敗の後）');
    assert.match(mails.newBrowserOptedIn.text, /これまでにご利用のないブラウザ[^\n]*\n・前回のログイン以降、ログインの失敗が4回ありました。/);
    assert.equal(mails.afterFailures.subject, '【ぐんぎん証券】ログインの失敗の後にログインがありました');
    assert.equal(mails.recovery.subject, '【ぐんぎん証券】リカバリーコードでログインしました');
    assert.match(mails.recovery.text, /残り9個/);
    assert.match(mails.recovery.text, /これまでにご利用のないブラウザ/);
    assert.match(mails.secondStep.text, /追加認証（メールの認証コード）に失敗しました/);
    assert.match(mails.secondStep.text, /1回のログイン操作につき1度だけ/);
  });

  it('without a reason it is the opt-in notice, unchanged', () => {
    const plain = loginNoticeMail(brand, facts({}), true);
    assert.equal(plain.subject, '【ぐんぎん証券】ログインのお知らせ');
  });
});
