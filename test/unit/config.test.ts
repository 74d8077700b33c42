import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config';

const KEY = 'a'.repeat(64);

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
    const ok = loadConfig({ NODE_ENV: 'production', MAMORI_SECRET_KEY: KEY, PUBLIC_URL: 'https://trade.example.jp', SMTP_URL: 'smtp://relay:25' });
    assert.equal(ok.devMailbox, false);
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
});
