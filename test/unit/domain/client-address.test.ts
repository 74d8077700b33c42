import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIp, shownIp } from '../../../src/domain/client-address';
import { accountLockedMail, loginNotificationMail } from '../../../src/domain/notifications/messages';

const brand = { brokerName: 'ぐんぎん証券', serviceName: 'オンライン', supportPhone: '0120-000-000', tradingServiceUrl: 'https://t.example.jp/' };

describe('client addresses', () => {
  it('accepts IPv4 and IPv6, and writes an IPv4-mapped IPv6 address as IPv4', () => {
    assert.equal(parseIp('192.0.2.1'), '192.0.2.1');
    assert.equal(parseIp('2001:DB8::1'), '2001:db8::1');
    assert.equal(parseIp('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(parseIp('::FFFF:10.1.2.3'), '10.1.2.3');
    assert.equal(parseIp('::1'), '::1');
  });

  it('refuses anything that is not an address', () => {
    for (const junk of ['', ' 192.0.2.1', '192.0.2.1 ', 'https://evil.example/', '192.0.2.256', 'fe80::1%eth0', '192.0.2.1, 10.0.0.1', 'unknown', '1'.repeat(100), undefined, null, 42]) {
      assert.equal(parseIp(junk), null, String(junk));
    }
  });

  it('a stored value with junk (an old row) is shown as nothing, and mails print only valid addresses', () => {
    assert.equal(shownIp('https://evil.example'), null);
    assert.equal(shownIp(null), null);
    const lock = accountLockedMail(brand, { name: '群馬 五郎', at: new Date(0), minutes: 30, ip: 'https://evil.example/login' });
    assert.match(lock.text, /最後の試行元IPアドレス: 不明/);
    assert.doesNotMatch(lock.text, /evil/);
    const login = loginNotificationMail(brand, { name: '群馬 五郎', at: new Date(0), browser: 'Chrome', os: 'Windows', ip: '::ffff:192.0.2.7', method: 'email_code' });
    assert.match(login.text, /IPアドレス: 192\.0\.2\.7$/m);
  });
});
