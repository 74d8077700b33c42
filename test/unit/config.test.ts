import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config';

const KEY = 'a'.repeat(64);
/** Production needs keys and tokens that were generated, not typed. */
const RANDOM_KEY = randomBytes(32).toString('hex');
const TOKEN = randomBytes(32).toString('hex');
const PROD = { NODE_ENV: 'production', MAMORI_SECRET_KEY: RANDOM_KEY, PUBLIC_URL: 'https://trade.example.jp', SMTP_URL: 'smtp://relay:25', METRICS_TOKEN: TOKEN };

describe('configuration', () => {
  it('has safe embedded defaults and generates a key under the data directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-config-'));
    const c = loadConfig({ MAMORI_DATA_DIR: dir });
    assert.equal(c.port, 3000);
    assert.equal(c.databaseUrl, 'sqlite:./data/mamori.db');
    assert.equal(c.devMailbox, true);
    assert.equal(c.login.codeTtlSeconds, 600);
    assert.equal(c.login.codeMaxAttempts, 5);
    assert.equal(c.device.ttlDays, 90);
    assert.equal(c.session.idleMinutes, 30);
    assert.deepEqual([c.session.cacheMs, c.session.cacheEntries], [10_000, 10_000]);
    assert.equal(c.login.additionalAuthFrom.toISOString(), '2025-05-25T15:00:00.000Z');
    const stored = readFileSync(join(dir, 'secret.key'), 'utf8').trim();
    assert.equal(loadConfig({ MAMORI_DATA_DIR: dir }).secretKey.id, c.secretKey.id, 'the same key on the next start');
    assert.match(stored, /^[0-9a-f]{64}$/);
  });

  it('refuses to start in production without a key, an https URL and SMTP', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /MAMORI_SECRET_KEY is required/);
      assert.match(e.message, /PUBLIC_URL is required/);
      assert.match(e.message, /SMTP_URL is required/);
      return true;
    });
    assert.throws(() => loadConfig({ NODE_ENV: 'production', MAMORI_SECRET_KEY: KEY, PUBLIC_URL: 'http://trade.example.jp', SMTP_URL: 'smtp://relay:25' }), /must be https/);
    assert.throws(() => loadConfig({ NODE_ENV: 'production', MAMORI_SECRET_KEY: '0'.repeat(64), PUBLIC_URL: 'https://t.example.jp', SMTP_URL: 'smtp://relay:25' }), /example from the documentation/);
    const ok = loadConfig(PROD);
    assert.equal(ok.devMailbox, false);
  });

  it('refuses production when /metrics would be open: a token or a private METRICS_LISTEN is required', () => {
    const { METRICS_TOKEN: _t, ...open } = PROD;
    assert.throws(() => loadConfig(open), /METRICS_TOKEN \(openssl rand -hex 32\) or METRICS_LISTEN .* is required in production/);
    assert.throws(() => loadConfig({ ...open, METRICS_LISTEN: '0.0.0.0:9464' }), /METRICS_LISTEN 0\.0\.0\.0 is not a loopback or private address/);
    assert.throws(() => loadConfig({ ...open, METRICS_LISTEN: '203.0.113.7:9464' }), /not a loopback or private address/);
    assert.throws(() => loadConfig({ ...open, METRICS_LISTEN: '[2001:db8::1]:9464' }), /not a loopback or private address/);
    assert.throws(() => loadConfig({ ...open, METRICS_LISTEN: 'metrics.internal:9464' }), /must name an IP address/);
    assert.throws(() => loadConfig({ ...open, METRICS_LISTEN: '10.0.0.5' }), /must be host:port/);
    for (const listen of ['127.0.0.1:9464', '10.0.0.5:9464', '172.20.1.2:9464', '192.168.1.10:9464', '[::1]:9464', '[fd12:3456::7]:9464']) {
      const c = loadConfig({ ...open, METRICS_LISTEN: listen });
      assert.equal(c.metricsToken, null);
      assert.equal(c.metricsListen?.port, 9464, listen);
    }
    assert.equal(loadConfig(PROD).metricsListen, null);
  });

  it('refuses typed, low-entropy secrets in production and says how to generate one', () => {
    const weakKeys = ['1'.repeat(64), 'a'.repeat(64), '0123456789abcdef'.repeat(4), '00112233445566778899aabbccddeeff'.repeat(2), Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('hex')];
    for (const k of weakKeys) {
      assert.throws(() => loadConfig({ ...PROD, MAMORI_SECRET_KEY: k }), /MAMORI_SECRET_KEY does not look random .*openssl rand -hex 32/, k);
      assert.throws(() => loadConfig({ ...PROD, MAMORI_OLD_SECRET_KEYS: `${randomBytes(32).toString('hex')},${k}` }), /MAMORI_OLD_SECRET_KEYS\[1\] does not look random/, k);
    }
    const weakTokens = ['1'.repeat(40), 'ab'.repeat(20), '0123456789abcdef'.repeat(3), 'abcdefghijklmnopqrstuvwxyz0123456789', 'metrics-token-metrics-token-metrics-token'];
    for (const t of weakTokens) {
      assert.throws(() => loadConfig({ ...PROD, METRICS_TOKEN: t }), /METRICS_TOKEN does not look random .*openssl rand -hex 32/, t);
    }
    // Generated ones pass, in the formats the docs suggest.
    for (let i = 0; i < 200; i++) {
      loadConfig({ ...PROD, MAMORI_SECRET_KEY: randomBytes(32).toString('hex'), MAMORI_OLD_SECRET_KEYS: randomBytes(32).toString('base64'), METRICS_TOKEN: randomBytes(32).toString('hex') });
    }
    // Support-API keys from the environment are refused everywhere, naming the command that makes an operator's key.
    for (const env of [PROD, {}]) assert.throws(() => loadConfig({ ...env, SUPPORT_API_KEYS: `tanaka:${randomBytes(24).toString('hex')}` }), /SUPPORT_API_KEYS is no longer read.*npx mamori operators api-keys add NAME/);
    // Outside production a typed key is fine (tests, demos).
    assert.equal(loadConfig({ MAMORI_SECRET_KEY: '1'.repeat(64), METRICS_TOKEN: '1'.repeat(40) }).metricsToken, '1'.repeat(40));
  });

  it('explains every invalid value', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty', MAMORI_SECRET_KEY: KEY }), /PORT/);
    assert.throws(() => loadConfig({ SMTP_URL: 'http://x', MAMORI_SECRET_KEY: KEY }), /SMTP_URL: must start with smtp/);
    assert.throws(() => loadConfig({ MAMORI_SECRET_KEY: 'short' }), /MAMORI_SECRET_KEY must be 32 random bytes/);
    assert.throws(() => loadConfig({ ADDITIONAL_AUTH_FROM: '26 May', MAMORI_SECRET_KEY: KEY }), /ADDITIONAL_AUTH_FROM/);
    assert.throws(() => loadConfig({ PUBLIC_URL: 'http://trade.example.jp', MAMORI_SECRET_KEY: KEY }), /plain http/);
    assert.throws(() => loadConfig({ SESSION_CACHE_MS: '600000', MAMORI_SECRET_KEY: KEY }), /SESSION_CACHE_MS/);
    assert.throws(() => loadConfig({ SESSION_CACHE_ENTRIES: '10', MAMORI_SECRET_KEY: KEY }), /SESSION_CACHE_ENTRIES/);
  });

  describe('TRUST_PROXY: which proxy hops are believed about the client address', () => {
    const trust = (v: string | undefined, env: Record<string, string> = {}) => loadConfig({ MAMORI_SECRET_KEY: KEY, TRUST_PROXY: v, ...env }).trustProxy;
    const production = PROD;

    it('unset, false or 0: the socket address, no header believed', () => {
      assert.equal(trust(undefined), false);
      assert.equal(trust('false'), false);
      assert.equal(trust('0'), false);
    });

    it('a comma-separated list of proxy addresses and CIDRs', () => {
      assert.deepEqual(trust('127.0.0.1'), { proxies: ['127.0.0.1'] });
      assert.deepEqual(trust(' 10.0.0.5 , 10.0.1.0/24,fd00::/8, ::1, loopback'), { proxies: ['10.0.0.5', '10.0.1.0/24', 'fd00::/8', '::1', 'loopback'] });
    });

    it('a hop count', () => {
      assert.deepEqual(trust('1'), { hops: 1 });
      assert.deepEqual(trust('2'), { hops: 2 });
    });

    it('refuses anything else with a message that says what is accepted', () => {
      for (const bad of ['yes', '10.0.0.300', '10.0.0.0/33', 'fd00::/129', '10.0.0.1,', 'proxy.example', '10.0.0.0/8/1', '11', '-1', 'https://evil.example']) {
        assert.throws(() => trust(bad), (e: unknown) => {
          assert.ok(e instanceof ConfigError, bad);
          assert.match(e.message, /TRUST_PROXY/);
          return true;
        });
      }
    });

    it('true believes any X-Forwarded-For a client writes: refused in production, allowed in development', () => {
      assert.equal(trust('true'), true);
      assert.throws(() => loadConfig({ ...production, TRUST_PROXY: 'true' }), (e: unknown) => e instanceof ConfigError && /TRUST_PROXY=true/.test(e.message) && /proxies' addresses/.test(e.message));
      assert.deepEqual(loadConfig({ ...production, TRUST_PROXY: '10.0.0.5' }).trustProxy, { proxies: ['10.0.0.5'] });
    });
  });

  describe('the support API listener', () => {
    it('is off by default, on a private host:port with SUPPORT_API_LISTEN', () => {
      const off = loadConfig({ MAMORI_SECRET_KEY: KEY });
      assert.equal(off.supportApiListen, null);
      assert.equal(off.supportApiPublic, false);
      assert.deepEqual(loadConfig({ MAMORI_SECRET_KEY: KEY, SUPPORT_API_LISTEN: '127.0.0.1:3001' }).supportApiListen, { host: '127.0.0.1', port: 3001 });
      assert.deepEqual(loadConfig({ MAMORI_SECRET_KEY: KEY, SUPPORT_API_LISTEN: '[::1]:3001' }).supportApiListen, { host: '::1', port: 3001 });
      for (const bad of ['3001', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:99999', 'host:port']) {
        assert.throws(() => loadConfig({ MAMORI_SECRET_KEY: KEY, SUPPORT_API_LISTEN: bad }), /SUPPORT_API_LISTEN must be host:port/, bad);
      }
    });

    it('SUPPORT_API_PUBLIC=true is refused in production', () => {
      assert.equal(loadConfig({ MAMORI_SECRET_KEY: KEY, SUPPORT_API_PUBLIC: 'true' }).supportApiPublic, true);
      assert.throws(
        () => loadConfig({ NODE_ENV: 'production', MAMORI_SECRET_KEY: KEY, PUBLIC_URL: 'https://t.example.jp', SMTP_URL: 'smtp://relay:25', SUPPORT_API_PUBLIC: 'true' }),
        /SUPPORT_API_PUBLIC=true is not allowed in production/,
      );
    });
  });

  it('defaults production to the phishing-resistant passkey policy and reads the migration date as JST', () => {
    assert.equal(loadConfig(PROD).login.passkeyPolicy, 'phishing-resistant');
    assert.equal(loadConfig({ ...PROD, PASSKEY_POLICY: 'seed' }).login.passkeyPolicy, 'seed');
    assert.equal(loadConfig({ MAMORI_DATA_DIR: mkdtempSync(join(tmpdir(), 'mamori-cfg-')) }).login.passkeyPolicy, 'seed');
    const c = loadConfig({ ...PROD, PASSKEY_REQUIRED_FROM: '2027-04-01' });
    assert.equal(c.passkeys.requiredFrom?.toISOString(), '2027-03-31T15:00:00.000Z');
    assert.equal(c.passkeys.coolingOffHours, 24);
    assert.equal(c.passkeys.stepUpMaxAgeSeconds, 300);
    assert.throws(() => loadConfig({ ...PROD, PASSKEY_POLICY: 'seed', PASSKEY_REQUIRED_FROM: '2027-04-01' }), /PASSKEY_REQUIRED_FROM needs PASSKEY_POLICY=phishing-resistant/);
  });

  it('accepts only https origins and Android key hashes for the app, and an RP ID that is the host or a parent of it', () => {
    const c = loadConfig({ ...PROD, WEBAUTHN_ORIGINS: 'https://app.example.jp, android:apk-key-hash:AbCdEfGhIjKlMnOpQrStUv', WEBAUTHN_RP_ID: 'example.jp' });
    assert.deepEqual(c.relyingParty.origins, ['https://trade.example.jp', 'https://app.example.jp', 'android:apk-key-hash:AbCdEfGhIjKlMnOpQrStUv']);
    assert.equal(c.relyingParty.id, 'example.jp');
    assert.throws(() => loadConfig({ ...PROD, WEBAUTHN_ORIGINS: 'http://app.example.jp' }), /not an https origin/);
    assert.throws(() => loadConfig({ ...PROD, WEBAUTHN_ORIGINS: 'https://app.example.jp/path' }), /not an https origin/);
    assert.throws(() => loadConfig({ ...PROD, WEBAUTHN_RP_ID: 'evil.example' }), /WEBAUTHN_RP_ID must be/);
  });
});
