/**
 * `mamori operators add|list|disable` as an administrator types them (separate processes on the
 * harness's database): the one-time enrolment link, sentences, the last-supervisor rule.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../support/harness';
import { recentAuditEvents } from '../support/test-store';

const BIN = resolve('bin/mamori.js');

describe('mamori operators', () => {
  let h: Harness;
  let env: NodeJS.ProcessEnv;
  const mamori = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  before(async () => {
    const key = randomBytes(32).toString('hex');
    h = await startHarness({ MAMORI_SECRET_KEY: key });
    env = { ...process.env, LC_ALL: 'C.UTF-8', DATABASE_URL: h.db.url, MAMORI_SECRET_KEY: key, NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000', SUPPORT_PUBLIC_URL: 'https://desk.internal.example' };
  });
  after(() => h.close());

  it('add prints a one-time enrolment link on the console origin; list and disable answer in sentences; the last supervisor stays', async () => {
    const added = mamori('operators', 'add', 'sato', '--role', 'supervisor');
    assert.equal(added.code, 0, added.stderr);
    const url = /https:\/\/desk\.internal\.example\/support\/enrol\?token=([A-Za-z0-9_-]+)/.exec(added.stdout);
    assert.ok(url, added.stdout);
    assert.match(added.stdout, /works once, for 15 minutes/);
    // The link names an operator the console can enrol.
    assert.equal((await h.runtime.services.desk.operators.enrolmentOf(url[1])).name, 'sato');

    assert.equal(mamori('operators', 'add', 'sato', '--role', 'viewer').code, 1);
    const badRole = mamori('operators', 'add', 'kato', '--role', 'admin');
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /--role must be viewer, operator or supervisor/);

    const last = mamori('operators', 'disable', 'sato');
    assert.equal(last.code, 1);
    assert.match(last.stderr, /sato is the last enabled supervisor and cannot be disabled/);

    assert.equal(mamori('operators', 'add', 'suzuki', '--role', 'supervisor').code, 0);
    const disabled = mamori('operators', 'disable', 'sato');
    assert.equal(disabled.code, 0, disabled.stderr);
    assert.match(disabled.stdout, /Operator sato is disabled/);
    const list = mamori('operators', 'list');
    assert.match(list.stdout, /^sato\tsupervisor\tdisabled /m);
    assert.match(list.stdout, /^suzuki\tsupervisor\tenabled/m);
    assert.match(mamori('operators', 'disable', 'nobody').stderr, /There is no operator named nobody/);
    assert.match(mamori('operators', 'add', '--help').stdout, /^usage: mamori operators add NAME --role/);
  });

  it('api-keys add prints a key once (only its keyed hash is kept); list shows it without the key; revoke stops it', async () => {
    assert.equal(mamori('operators', 'add', 'kato', '--role', 'operator').code, 0);
    const added = mamori('operators', 'api-keys', 'add', 'kato', '--label', 'CRM 連携');
    assert.equal(added.code, 0, added.stderr);
    const key = /^(mamori_([0-9a-f]{12})_[A-Za-z0-9_-]{43})$/m.exec(added.stdout);
    assert.ok(key, added.stdout);
    assert.match(added.stdout, /shown only now/);
    const ctx = { ip: '192.0.2.50', userAgent: 'cli test' };
    assert.equal((await h.runtime.services.support.authenticate(key[1]!, ctx, 'test')).operator.name, 'kato');
    const stored = JSON.stringify(await h.runtime.store.desk.listApiKeys());
    assert.ok(!stored.includes(key[1]!.slice(20)), 'the key itself is not stored');

    const list = mamori('operators', 'api-keys', 'list', 'kato');
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`\\t${key[2]}\\tkato\\tCRM 連携\\t.*\\tactive$`, 'm'));
    assert.ok(!list.stdout.includes(key[1]!), 'never the key');
    assert.match(mamori('operators', 'api-keys', 'list').stdout, new RegExp(key[2]!));
    assert.match(mamori('operators', 'api-keys', 'list', 'nobody').stderr, /There is no operator named nobody/);
    assert.match(mamori('operators', 'api-keys', 'add', 'nobody').stderr, /There is no operator named nobody.*operators add/);

    const revoked = mamori('operators', 'api-keys', 'revoke', key[2]!);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, new RegExp(`Key ${key[2]} of kato is revoked`));
    await assert.rejects(h.runtime.services.support.authenticate(key[1]!, ctx, 'test'), (e: { code?: string }) => e.code === 'forbidden');
    assert.match(mamori('operators', 'api-keys', 'revoke', key[2]!).stderr, /already revoked/);
    assert.match(mamori('operators', 'api-keys', 'list', 'kato').stdout, /\trevoked /);
    const events = await recentAuditEvents(h.runtime.store, 50);
    assert.ok(events.some((e) => e.type === 'desk.api_key_added' && e.detail.name === 'kato' && e.detail.publicId === key[2]));
    assert.ok(events.some((e) => e.type === 'desk.api_key_revoked' && e.detail.publicId === key[2]));
    assert.match(mamori('operators', 'api-keys', 'list', '--help').stdout, /^usage: mamori operators api-keys list \[NAME\]/);
  });

  it('enrol issues a fresh one-time link and the earlier unused one stops working; audited; not for a disabled operator', async () => {
    assert.equal(mamori('operators', 'add', 'ito', '--role', 'viewer').code, 0);
    const first = h.runtime.services.desk.operators;
    const issued = mamori('operators', 'enrol', 'ito');
    assert.equal(issued.code, 0, issued.stderr);
    const token = /\/support\/enrol\?token=([A-Za-z0-9_-]+)/.exec(issued.stdout)![1]!;
    assert.match(issued.stdout, /earlier unused links no longer work/);
    assert.equal((await first.enrolmentOf(token)).name, 'ito');
    const again = mamori('operators', 'enrol', 'ito');
    const newer = /\/support\/enrol\?token=([A-Za-z0-9_-]+)/.exec(again.stdout)![1]!;
    await assert.rejects(first.enrolmentOf(token), (e: { code?: string }) => e.code === 'desk_denied', 'the earlier link is void');
    assert.equal((await first.enrolmentOf(newer)).name, 'ito');
    assert.equal((await recentAuditEvents(h.runtime.store, 50)).filter((e) => e.type === 'desk.enrolment_issued' && e.detail.name === 'ito').length, 2);
    assert.match(mamori('operators', 'enrol', 'nobody').stderr, /There is no operator named nobody/);
    assert.equal(mamori('operators', 'disable', 'ito').code, 0);
    const disabled = mamori('operators', 'enrol', 'ito');
    assert.equal(disabled.code, 1);
    assert.match(disabled.stderr, /ito is disabled/);
    await assert.rejects(first.enrolmentOf(newer), (e: { code?: string }) => e.code === 'desk_denied');
  });
});
