/**
 * kill -9 in the middle of the 09:00 rush: 200 logins and 50 setting changes in flight, the
 * process killed without warning, then started again. The database is intact, every change that
 * was acknowledged is there, and every mail committed to the outbox reaches the SMTP server
 * (at-least-once, with a stable Message-ID: docs/operations.md).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { SESSION_COOKIE } from '../../src/web/cookies';
import { startHarness, type AccountSeed, type Harness } from '../support/harness';
import { postJson, startServerProcess, type ServerProcess } from '../support/server-process';
import { storeKind } from '../support/test-store';

const ctx = { ip: '192.0.2.9', userAgent: 'crash test' };

describe(`kill -9 under load (${storeKind})`, () => {
  let h: Harness;
  let env: Record<string, string>;
  let server: ServerProcess | null = null;
  const key = randomBytes(32).toString('hex');

  before(async () => {
    h = await startHarness({ MAMORI_SECRET_KEY: key });
    env = {
      DATABASE_URL: h.db.url,
      SMTP_URL: h.smtp.url,
      MAMORI_SECRET_KEY: key,
      OUTBOX_LEASE_SECONDS: '3',
      // 250 customers at once, all from 127.0.0.1 here: an address holds at most 100 attempts in
      // flight (the throttle's reservation), which would turn most of them away before the crash.
      THROTTLE_IP_LOCK_AFTER: '100000',
    };
  });
  after(async () => {
    await server?.stop();
    await h?.close();
  });

  /** A signed-in browser session made directly, and the notification form's CSRF value and cookie. */
  async function settingChange(base: string, c: AccountSeed): Promise<() => Promise<boolean>> {
    const acc = (await h.runtime.store.accounts.findByLoginId(c.loginId))!;
    const session = await h.runtime.store.transaction((tx) => h.runtime.services.sessions.issue(tx, acc, 'email_code', ctx));
    let cookie = `${SESSION_COOKIE}=${session.token}`;
    const page = await fetch(`${base}/account/emails/1/notification`, { headers: { cookie } });
    const html = await page.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(csrf, `notification page: ${page.status}`);
    for (const c2 of page.headers.getSetCookie()) cookie += `; ${c2.split(';')[0]}`;
    return async () => {
      const res = await fetch(`${base}/account/emails/1/notification`, {
        method: 'POST',
        headers: { cookie, origin: new URL(base).origin.replace('127.0.0.1', 'localhost'), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf!, loginNotification: 'on', tradingPassword: c.tradingPassword }).toString(),
      });
      return res.status === 200 && (await res.text()).includes('Eメールアドレス設定変更 -完了-');
    };
  }

  it('keeps every acknowledged change and delivers every committed mail after a crash', async () => {
    server = await startServerProcess(env);
    const make = async (n: number) => {
      const out: AccountSeed[] = [];
      // In batches: the harness's own hash queue is bounded like the server's.
      while (out.length < n) out.push(...(await Promise.all(Array.from({ length: Math.min(20, n - out.length) }, () => h.createAccount()))));
      return out;
    };
    const logins = await make(200);
    const changers = await make(50);
    const changes = await Promise.all(changers.map((c) => settingChange(server!.url, c)));

    const acknowledgedLogins: AccountSeed[] = [];
    const acknowledgedChanges: AccountSeed[] = [];
    let answered = 0;
    const inFlight = [
      ...logins.map((c) =>
        postJson(`${server!.url}/api/v1/login`, { loginId: c.loginId, password: c.loginPassword })
          .then((r) => {
            answered += 1;
            if (r.status === 200 && r.json.state === 'awaiting_code') acknowledgedLogins.push(c);
          })
          .catch(() => undefined),
      ),
      ...changes.map((run, i) =>
        run()
          .then((ok) => {
            answered += 1;
            if (ok) acknowledgedChanges.push(changers[i]!);
          })
          .catch(() => undefined),
      ),
    ];
    // Kill it while work is in flight: after some acknowledged work, well before all. (Counting
    // answers alone could crash it after nothing but fast refusals: 503 at capacity, 429.)
    while (acknowledgedLogins.length + acknowledgedChanges.length < 10 && answered < 200) await new Promise((r) => setTimeout(r, 5));
    await server.crash();
    await Promise.all(inFlight);
    assert.ok(answered < 250, `the crash came mid-way (${answered} of 250 answered)`);

    server = await startServerProcess(env);

    // The database is intact.
    if (storeKind === 'sqlite') {
      const r = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(h.runtime.store.db);
      assert.deepEqual(r.rows.map((x) => x.integrity_check), ['ok']);
    } else {
      const orphans = await sql<{ n: number }>`select count(*)::int as n from sessions s left join accounts a on a.id = s.account_id where a.id is null`.execute(h.runtime.store.db);
      assert.equal(orphans.rows[0]!.n, 0);
    }
    // Every acknowledged setting change is there.
    for (const c of acknowledgedChanges) {
      const acc = (await h.runtime.store.accounts.findByLoginId(c.loginId))!;
      const [first] = await h.runtime.store.emails.listForAccount(acc.id);
      assert.equal(first!.loginNotification, true, `${c.loginId}'s acknowledged change survived`);
    }
    // Every mail in the outbox goes out, including those the dead process had leased.
    const deadline = Date.now() + 30_000;
    while ((await h.runtime.store.outbox.pendingStats()).depth > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.equal((await h.runtime.store.outbox.pendingStats()).depth, 0, 'outbox drained');
    for (const c of acknowledgedLogins) {
      await h.smtp.waitForMail((m) => m.to.includes(c.emails[0]!) && m.subject.includes('認証コード'), 10_000);
    }
    const ids = h.smtp.mails.map((m) => m.messageId);
    const sent = await sql<{ message_id: string }>`select message_id from outbox`.execute(h.runtime.store.db);
    for (const row of sent.rows) assert.ok(ids.includes(row.message_id) || ids.includes(`<${row.message_id}>`), `mail ${row.message_id} delivered`);
    assert.ok(acknowledgedLogins.length + acknowledgedChanges.length > 0);
  });
});
