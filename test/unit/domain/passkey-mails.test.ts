/** The mails of protected passkey registration: Japanese, by name, the support number, no link — even from client-written names and browsers. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Brand } from '../../../src/domain/context';
import type { MailContent } from '../../../src/domain/notifications/messages';
import { reauthenticationCodeMail } from '../../../src/domain/notifications/messages';
import { confirmationClosedMail, passkeyAddedMail, passkeyCancelledMail } from '../../../src/domain/notifications/passkey-mails';

const brand: Brand = { brokerName: 'ぐんぎん証券', serviceName: 'ぐんぎん証券オンラインサービス', supportPhone: '0120-954-171', tradingServiceUrl: 'https://trade.example.jp/' };
const at = new Date('2026-11-26T00:05:00Z'); // 09:05 JST
const name = '群馬 五郎';
const newUntil = new Date('2026-11-27T00:05:00Z');

const all: [string, MailContent][] = [
  ['passkey added', passkeyAddedMail(brand, { name, at, passkeyName: 'iPhone', browser: 'Mobile Safari 17', os: 'iOS 17.5', newUntil })],
  ['passkey added without cooling-off', passkeyAddedMail(brand, { name, at, passkeyName: 'iPhone', browser: 'Chrome 131', os: 'Windows 10', newUntil: null })],
  ['passkey added, names like links', passkeyAddedMail(brand, { name, at, passkeyName: 'https://evil.example/login', browser: 'evil.example 1', os: 'www.evil.example', newUntil })],
  ['confirmation closed', confirmationClosedMail(brand, { name, at, purpose: 'passkey_register', attempts: 5, ip: '192.0.2.1' })],
  ['passkey cancelled', passkeyCancelledMail(brand, { name, at, passkeyNames: ['ｗｗｗ．evil．example'], bySupport: false })],
  ['passkey cancelled by the desk', passkeyCancelledMail(brand, { name, at, passkeyNames: ['Pixel'], bySupport: true })],
];

describe('passkey registration mails', () => {
  for (const [label, mail] of all) {
    it(`${label}: Japanese, by name, with the support number and no link`, () => {
      assert.match(mail.subject, /^【ぐんぎん証券】[\u3000-\u9fff\uff00-\uffef]/u);
      assert.ok(mail.text.startsWith(`${name} 様\n`), mail.text);
      assert.match(mail.text, /0120-954-171/);
      assert.doesNotMatch(mail.text, /https?:|www\.|evil/);
    });
  }

  it('the registration notice names the passkey, the browser and OS, and until when it is new', () => {
    const [, mail] = all[0]!;
    assert.match(mail.text, /パスキーの名前: iPhone\n登録したブラウザ: Mobile Safari 17（iOS 17\.5）/);
    assert.match(mail.text, /2026\/11\/27 09:05:00 \(日本時間\) まで「新しいパスキー」/);
    assert.doesNotMatch(all[1]![1].text, /新しいパスキー/, 'no cooling-off, no such paragraph');
  });

  it('the code mail for a passkey says it adds one and what to do if the customer did not ask; other purposes do not', () => {
    const passkey = reauthenticationCodeMail(brand, { name, code: '246802', purpose: 'passkey_register', validMinutes: 10, requestedAt: at });
    assert.match(passkey.text, /パスキーを追加するためのもの/);
    assert.match(passkey.text, /お心当たりのない場合は、このコードを入力せず/);
    const totp = reauthenticationCodeMail(brand, { name, code: '246802', purpose: 'totp_apply', validMinutes: 10, requestedAt: at });
    assert.doesNotMatch(totp.text, /パスキーを追加/);
  });
});
