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
    env = { ...process.env, DATABASE_URL: h.db.url, MAMORI_SECRET_KEY: key, NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000', SUPPORT_PUBLIC_URL: 'https://desk.internal.example' };
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
});
