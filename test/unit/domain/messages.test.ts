/** Every mail Mamori sends, rendered: Japanese, addressed by name, the support number, and never a link. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Brand } from '../../../src/domain/context';
import * as m from '../../../src/domain/notifications/messages';

const brand: Brand = { brokerName: 'ぐんぎん証券', serviceName: 'ぐんぎん証券オンラインサービス', supportPhone: '0120-954-171', tradingServiceUrl: 'https://trade.example.jp/' };
const at = new Date('2026-11-26T00:05:00Z'); // 09:05 JST
const name = '群馬 五郎';

const all: [string, m.MailContent][] = [
  ['login code', m.loginCodeMail(brand, { name, code: '123456', validMinutes: 10, requestedAt: at })],
  ['account locked', m.accountLockedMail(brand, { name, at, minutes: 30, ip: '192.0.2.1' })],
  ['login notification', m.loginNotificationMail(brand, { name, at, browser: 'Chrome 131', os: 'Windows 10', ip: '192.0.2.1', method: 'passkey' })],
  ['trading password locked', m.tradingPasswordLockedMail(brand, { name, at })],
  ['trading password unlocked', m.tradingPasswordUnlockedMail(brand, { name, at })],
  ...(['enabled', 'reregistered', 'stopped', 'reset', 'recovery_regenerated'] as const).map((k): [string, m.MailContent] => [`totp ${k}`, m.totpNoticeMail(brand, k, { name, at })]),
  ['recovery code used', m.recoveryCodeUsedMail(brand, { name, at, remaining: 9, ip: '192.0.2.1' })],
  ['passkey added', m.passkeyNoticeMail(brand, 'added', { name, at, passkeyNames: ['iPhone'] })],
  ['address code', m.addressCodeMail(brand, { name, code: '654321', validMinutes: 10, slot: 2, requestedAt: at })],
  ...(['added', 'changed', 'changed_old', 'removed'] as const).map((k): [string, m.MailContent] => [`address ${k}`, m.addressNoticeMail(brand, k, { name, at, slot: 1, maskedAddress: 'jimu*****' })]),
  ['notification on', m.loginNotificationChangedMail(brand, { name, at, slot: 1, on: true })],
  ['login password changed', m.passwordChangedMail(brand, 'login', { name, at, ip: '192.0.2.1' })],
  ['trading password changed', m.passwordChangedMail(brand, 'trading', { name, at, ip: '192.0.2.1' })],
  ...(Object.keys(m.REAUTHENTICATION_PURPOSE_LABELS) as (keyof typeof m.REAUTHENTICATION_PURPOSE_LABELS)[]).map((purpose): [string, m.MailContent] => [
    `confirmation code for ${purpose}`,
    m.reauthenticationCodeMail(brand, { name, code: '246802', purpose, validMinutes: 10, requestedAt: at }),
  ]),
  // Customer- or client-written values that look like links.
  ['passkey named like a link', m.passkeyNoticeMail(brand, 'deleted', { name, at, passkeyNames: ['https://evil.example/login', 'evil.example', 'ｗｗｗ．evil．example'] })],
  ['login from a User-Agent with a link', m.loginNotificationMail(brand, { name, at, browser: 'https://evil.example/x 1', os: 'www.evil.example', ip: '192.0.2.1', method: 'email_code' })],
];

describe('notice mails', () => {
  for (const [label, mail] of all) {
    it(`${label}: Japanese, by name, with the support number and no link`, () => {
      assert.match(mail.subject, /^【ぐんぎん証券】[\u3000-\u9fff\uff00-\uffef]/u);
      assert.ok(mail.text.startsWith(`${name} 様\n`), mail.text);
      assert.match(mail.text, /0120-954-171/);
      assert.doesNotMatch(mail.text, /https?:|www\.|evil/, 'no link: the FSA asks brokerages not to mail login links');
      assert.equal(mail.text.split('\n').filter((l) => l === `${name} 様`).length, 1, 'addressed once');
    });
  }

  it('times are JST, and the login notice names browser, OS, IP and method', () => {
    const [, notice] = all.find(([l]) => l === 'login notification')!;
    assert.match(notice.text, /2026\/11\/26 09:05/);
    assert.match(notice.text, /ブラウザ: Chrome 131\nOS: Windows 10\nIPアドレス: 192\.0\.2\.1\n認証方法: パスキー/);
  });

  it('the old address is told the new one only masked', () => {
    const [, old] = all.find(([l]) => l === 'address changed_old')!;
    assert.match(old.text, /新しいメールアドレス（jimu\*\*\*\*\*）/);
  });

  it('a confirmation code mail says exactly what it is for, and to call the support desk if it was not the customer', () => {
    const mail = m.reauthenticationCodeMail(brand, { name, code: '246802', purpose: 'totp_apply', validMinutes: 10, requestedAt: at });
    assert.match(mail.subject, /確認コードのお知らせ（ワンタイムパスワードサービスの申込）/);
    assert.match(mail.text, /「ワンタイムパスワードサービスの申込」のお手続き/);
    assert.match(mail.text, /確認コード: 246802/);
    assert.match(mail.text, /ご自身のお手続きでない場合は、このコードを入力せず、\n至急お取引店またはぐんぎん証券サポートデスク（フリーダイヤル 0120-954-171）までお電話ください/);
  });

  it('a passkey name that cannot be a link is repeated; one that could is not', () => {
    assert.match(m.passkeyNoticeMail(brand, 'added', { name, at, passkeyNames: ['仕事用 iPhone 15'] }).text, /パスキーの名前: 仕事用 iPhone 15\n/);
    assert.match(m.passkeyNoticeMail(brand, 'added', { name, at, passkeyNames: ['https://evil.example/login'] }).text, /パスキーの名前: （記号などを含むため表示しません/);
  });

  it('every login method has a Japanese label', () => {
    for (const method of ['email_code', 'totp', 'recovery_code', 'recognized_device', 'password', 'passkey']) assert.match(m.methodLabel(method), /[\u3040-\u30ff\u4e00-\u9fff]/u, method);
  });
});
