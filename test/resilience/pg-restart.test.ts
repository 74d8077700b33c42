/**
 * PostgreSQL restarted under load (run by CI after the integration suite, alone, because it stops
 * the database server every other test uses): while it is down, requests fail fast with 503 and a
 * clear message, never a 500 or a hang; they recover by themselves when it is back; and every
 * login acknowledged before, during or after is still a live session.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startHarness, type AccountSeed, type Harness } from '../support/harness';
import { postJson, startServerProcess, type ServerProcess } from '../support/server-process';
import { pgUrl } from '../support/test-store';

function cluster(): [string, string] | null {
  try {
    const line = execFileSync('pg_lsclusters', ['-h']).toString().trim().split('\n')[0];
    const [version, name] = line?.split(/\s+/) ?? [];
    return version && name ? [version, name] : null;
  } catch {
    return null;
  }
}

const target = cluster();
const skip = !pgUrl ? 'needs TEST_DATABASE_URL (PostgreSQL)' : !target ? 'needs pg_ctlcluster (Debian postgresql)' : false;

describe('PostgreSQL restarted under load', { skip }, () => {
  let h: Harness;
  let server: ServerProcess;
  const key = randomBytes(32).toString('hex');

  before(async () => {
    h = await startHarness({ MAMORI_SECRET_KEY: key });
    // Password-only logins complete at once (before the additional-authentication date), so each
    // acknowledged login is a session we can look for afterwards.
    server = await startServerProcess({ DATABASE_URL: h.db.url, SMTP_URL: h.smtp.url, MAMORI_SECRET_KEY: key, ADDITIONAL_AUTH_FROM: '2099-01-01' });
  });
  after(async () => {
    // Whatever happened, leave the database server running (starting a running one fails: fine).
    if (target) {
      try {
        execFileSync('pg_ctlcluster', [target[0], target[1], 'start'], { stdio: 'ignore' });
      } catch {
        // already running
      }
    }
    await server?.stop();
    await h?.close().catch(() => undefined);
  });

  it('answers 503 fast while it is down, recovers by itself, and loses nothing acknowledged', async () => {
    const accounts: AccountSeed[] = await Promise.all(Array.from({ length: 10 }, () => h.createAccount()));
    const results: { at: number; status: number; ms: number; code?: string; token?: string }[] = [];
    // Session checks of tokens no cache holds: every one reads the database.
    const checks: { at: number; status: number; ms: number; code?: string }[] = [];
    const t0 = Date.now();
    let stopAt = 0;
    let startAt = 0;
    let running = true;
    const load = (async () => {
      let i = 0;
      const pending: Promise<void>[] = [];
      while (running) {
        const c = accounts[i++ % accounts.length]!;
        const sent = Date.now();
        pending.push(
          postJson(`${server.url}/api/v1/login`, { loginId: c.loginId, password: c.loginPassword }).then((r) => {
            results.push({ at: sent - t0, status: r.status, ms: Date.now() - sent, code: r.json.error?.code, token: r.json.sessionToken });
          }),
        );
        pending.push(
          fetch(`${server.url}/api/v1/session`, { headers: { authorization: `Bearer ${randomBytes(32).toString('base64url')}` } }).then(async (r) => {
            const body = (await r.json()) as { error?: { code?: string } };
            checks.push({ at: sent - t0, status: r.status, ms: Date.now() - sent, code: body.error?.code });
          }),
        );
        await new Promise((r) => setTimeout(r, 50));
      }
      await Promise.all(pending);
    })();

    await new Promise((r) => setTimeout(r, 2000));
    stopAt = Date.now() - t0;
    execFileSync('pg_ctlcluster', [target![0], target![1], 'stop', '-m', 'fast'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 5000));
    startAt = Date.now() - t0;
    execFileSync('pg_ctlcluster', [target![0], target![1], 'start'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 12_000));
    running = false;
    await load;

    const statuses = results.map((r) => r.status);
    assert.ok(!statuses.some((s) => s >= 500 && s !== 503), `only 503 among server errors: ${[...new Set(statuses)]}`);
    const down = results.filter((r) => r.at > stopAt + 500 && r.at < startAt - 500);
    assert.ok(down.length > 10, 'requests were made while it was down');
    for (const r of down) {
      assert.equal(r.status, 503, `while down: ${JSON.stringify(r)}`);
      assert.equal(r.code, 'unavailable');
      assert.ok(r.ms < 5000, `fast: ${r.ms} ms`);
    }
    assert.ok(!checks.some((c) => c.status >= 500 && c.status !== 503), `session checks: only 503 among server errors: ${[...new Set(checks.map((c) => c.status))]}`);
    const checksDown = checks.filter((c) => c.at > stopAt + 500 && c.at < startAt - 500);
    assert.ok(checksDown.length > 10);
    for (const c of checksDown) {
      assert.equal(c.status, 503, `session check while down: ${JSON.stringify(c)}`);
      assert.equal(c.code, 'unavailable');
      assert.ok(c.ms < 5000, `fast: ${c.ms} ms`);
    }
    assert.ok(checks.filter((c) => c.at > startAt + 8000).every((c) => c.status === 401), 'session checks recovered by themselves');
    const lastSeconds = results.filter((r) => r.at > startAt + 8000);
    assert.ok(lastSeconds.length > 10 && lastSeconds.every((r) => r.status === 200), `recovered by itself: ${lastSeconds.map((r) => r.status)}`);

    // Nothing acknowledged was lost.
    const acknowledged = results.filter((r) => r.status === 200 && r.token);
    assert.ok(acknowledged.length > 20);
    for (const r of acknowledged) {
      const check = await fetch(`${server.url}/api/v1/session`, { headers: { authorization: `Bearer ${r.token}` } });
      assert.equal(check.status, 200, 'an acknowledged login is a live session');
    }
  });
});
