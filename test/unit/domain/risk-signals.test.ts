/** The behaviour signals' pure rules: which signals a login's facts raise, and the response they lead to. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressScope, ipv6Halves } from '../../../src/domain/risk/address-scope';
import { countryRefused, decide, detectSignals, isUsualHour, RISK_SIGNALS, type LoginFacts, type RiskResponse, type RiskRules, type RiskSignal } from '../../../src/domain/risk/signals';
import { riskNoticeMail } from '../../../src/domain/notifications/risk-messages';

const NOW = new Date('2026-06-10T01:00:00Z'); // 10:00 JST
const HOUR = 3600_000;
const DAY = 24 * HOUR;

function rules(responses: Partial<Record<RiskSignal, RiskResponse>> = {}, extra: Partial<RiskRules> = {}): RiskRules {
  const all = Object.fromEntries(RISK_SIGNALS.map((s) => [s, 'step_up'])) as Record<RiskSignal, RiskResponse>;
  return { responses: { ...all, ...responses }, lookbackDays: 90, travelMinutes: 120, stuffingPerAddress: 20, stuffingPerNetwork: 200, afterFailures: 5, allowedCountries: null, ...extra };
}

const jp = { country: 'JP', asn: 17676, network: 'SoftBank Corp.' };
const us = { country: 'US', asn: 7922, network: 'Comcast' };

function facts(o: Partial<LoginFacts> = {}): LoginFacts {
  return { now: NOW, here: jp, past: [{ at: new Date(NOW.getTime() - DAY), country: 'JP', asn: 17676 }], failuresSinceSuccess: 0, stuffing: { address: 0, network: 0 }, ...o };
}

describe('behaviour signals', () => {
  it('the usual country and network raise nothing', () => {
    assert.deepEqual(detectSignals(facts(), rules()), []);
  });

  it('a country or network not used within the look-back period', () => {
    assert.deepEqual(detectSignals(facts({ here: us }), rules({ impossible_travel: 'off' })), ['new_country', 'new_network']);
    // Used 100 days ago: outside 90 days, so new again.
    const old = [{ at: new Date(NOW.getTime() - 100 * DAY), country: 'US', asn: 7922 }, { at: new Date(NOW.getTime() - DAY), country: 'JP', asn: 17676 }];
    assert.deepEqual(detectSignals(facts({ here: us, past: old }), rules({ impossible_travel: 'off' })), ['new_country', 'new_network']);
    assert.deepEqual(detectSignals(facts({ here: us, past: old }), rules({ impossible_travel: 'off' }, { lookbackDays: 200 })), []);
  });

  it('no baseline, no signal: a first login, or one from an address of no country', () => {
    assert.deepEqual(detectSignals(facts({ here: us, past: [] }), rules()), []);
    assert.deepEqual(detectSignals(facts({ here: { country: null, asn: null, network: null } }), rules()), []);
    assert.deepEqual(detectSignals(facts({ here: us, past: [{ at: NOW, country: null, asn: null }] }), rules()), []);
  });

  it('impossible travel: another country within the travel time of the last login, not after it', () => {
    const recent = [{ at: new Date(NOW.getTime() - 30 * 60_000), country: 'JP', asn: 17676 }, { at: new Date(NOW.getTime() - 5 * DAY), country: 'US', asn: 7922 }];
    assert.deepEqual(detectSignals(facts({ here: us, past: recent }), rules()), ['impossible_travel']);
    const later = [{ at: new Date(NOW.getTime() - 3 * HOUR), country: 'JP', asn: 17676 }, ...recent.slice(1)];
    assert.deepEqual(detectSignals(facts({ here: us, past: later }), rules()), []);
  });

  it('stuffing sources at their limits, and failures since the last success', () => {
    assert.deepEqual(detectSignals(facts({ stuffing: { address: 19, network: 199 } }), rules()), []);
    assert.deepEqual(detectSignals(facts({ stuffing: { address: 20, network: 200 } }), rules()), ['stuffing_address', 'stuffing_network']);
    assert.deepEqual(detectSignals(facts({ failuresSinceSuccess: 5 }), rules()), ['after_failures']);
    assert.deepEqual(detectSignals(facts({ failuresSinceSuccess: 4 }), rules()), []);
  });

  it('a signal switched off is not raised', () => {
    assert.deepEqual(detectSignals(facts({ here: us, stuffing: { address: 99, network: 0 } }), rules({ new_country: 'off', new_network: 'off', impossible_travel: 'off', stuffing_address: 'off' })), []);
  });

  it('unusual hour: only with ten past logins, and an hour either side counts as usual (JST, across midnight)', () => {
    const at = (jstHour: number, daysAgo: number) => ({ at: new Date(Date.UTC(2026, 5, 10 - daysAgo, jstHour - 9)), country: 'JP', asn: 17676 });
    const evenings = Array.from({ length: 10 }, (_, i) => at(21, i + 1));
    assert.deepEqual(detectSignals(facts({ past: evenings }), rules()), ['unusual_hour']);
    assert.deepEqual(detectSignals(facts({ past: evenings.slice(0, 9) }), rules()), []);
    assert.ok(isUsualHour(0, [23]));
    assert.ok(isUsualHour(23, [0]));
    assert.ok(!isUsualHour(10, [21, 22]));
  });

  it('the strongest response wins; notify adds a mail; off does nothing', () => {
    const r = rules({ new_country: 'notify', impossible_travel: 'passkey', stuffing_address: 'refuse', after_failures: 'off' });
    assert.deepEqual(decide(['new_country'], r), { signals: ['new_country'], action: 'allow', notify: true });
    assert.deepEqual(decide(['new_country', 'impossible_travel'], r), { signals: ['new_country', 'impossible_travel'], action: 'passkey', notify: true });
    assert.equal(decide(['impossible_travel', 'stuffing_address'], r).action, 'refuse');
    assert.deepEqual(decide([], r), { signals: [], action: 'allow', notify: false });
  });

  it('ALLOWED_COUNTRIES: other known countries are refused unless excepted; unknown countries pass', () => {
    const r = rules({}, { allowedCountries: ['JP'] });
    assert.equal(countryRefused(jp, r, []), false);
    assert.equal(countryRefused(us, r, []), true);
    assert.equal(countryRefused(us, r, ['US']), false);
    assert.equal(countryRefused({ country: null, asn: null, network: null }, r, []), false);
    assert.equal(countryRefused(us, rules(), []), false);
  });
});

describe('address scope', () => {
  it('IPv4 as itself, IPv6 by its /64', () => {
    assert.equal(addressScope('198.51.100.7'), '198.51.100.7');
    assert.equal(addressScope('2001:db8:1:2:aaaa::1'), addressScope('2001:db8:1:2:bbbb::9'));
    assert.notEqual(addressScope('2001:db8:1:2::1'), addressScope('2001:db8:1:3::1'));
  });

  it('IPv6 halves, with ::, full form and an embedded IPv4', () => {
    assert.deepEqual(ipv6Halves('::1'), [0n, 1n]);
    assert.deepEqual(ipv6Halves('2001:db8::'), [0x20010db800000000n, 0n]);
    assert.deepEqual(ipv6Halves('1:2:3:4:5:6:7:8'), [0x0001000200030004n, 0x0005000600070008n]);
    assert.deepEqual(ipv6Halves('64:ff9b::192.0.2.1'), [0x0064ff9b00000000n, 0xc0000201n]);
  });
});

describe('the risk notice mail', () => {
  it('names the country in Japanese and the reasons, and never repeats a network name that could be a link', () => {
    const brand = { brokerName: 'ぐんぎん証券', serviceName: 'オンライン', supportPhone: '0120-000-000', tradingServiceUrl: 'https://t.example.jp/' };
    const mail = riskNoticeMail(brand, { name: '群馬 五郎', at: NOW, ip: '24.0.0.1', country: 'US', network: 'evil.example', signals: ['new_country', 'impossible_travel'] });
    assert.match(mail.text, /国・地域: アメリカ合衆国/);
    assert.match(mail.text, /ネットワーク: 不明/);
    assert.match(mail.text, /・最近ご利用のない国・地域からのログインです/);
    assert.doesNotMatch(mail.text, /https?:|evil/);
  });
});

describe('the passkey response in the second-step flow', () => {
  it('opens the passkey alone for a customer who has one, under the seed policy too; others keep their methods', async () => {
    const { SecondStepFlow } = await import('../../../src/domain/login/second-step-flow');
    const strategy = (method: string, offered: (f: { hasTotp: boolean; hasPasskey: boolean }) => boolean) => ({ method, offered, verify: async () => ({}) as never });
    const strategies = new Map([
      ['passkey', strategy('passkey', (f) => f.hasPasskey)],
      ['totp', strategy('totp', (f) => f.hasTotp)],
      ['email_code', strategy('email_code', (f) => !f.hasTotp)],
    ]) as never;
    const ports = { clock: { now: () => NOW } } as never;
    const flow = new SecondStepFlow(ports, { passkeyPolicy: 'seed', additionalAuthFrom: new Date(0) } as never, strategies);
    assert.deepEqual(flow.openMethods({ hasTotp: false, hasPasskey: true }), ['passkey', 'email_code']);
    assert.deepEqual(flow.openMethods({ hasTotp: false, hasPasskey: true }, true), ['passkey']);
    assert.deepEqual(flow.openMethods({ hasTotp: true, hasPasskey: false }, true), ['totp']);
  });
});
