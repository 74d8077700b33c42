/**
 * 登録済み端末 解除 ends that browser's sessions at once, on every process: two `mamori serve`
 * processes on one database with minute-long session caches, a customer signed in on browser X
 * (a phone left in a taxi) removes X from browser Y, and X's session is refused by both. A
 * login-password change still ends every other session too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CookieJar } from '../support/cookie-jar';
import type { AccountSeed, Harness } from '../support/harness';
import { twoProcessSuite, type ServerProcess } from '../support/server-process';
import { storeKind } from '../support/test-store';

/** A browser over real HTTP: cookies, the CSRF field of the last page, the process's own Origin. */
class HttpBrowser {
  readonly jar = new CookieJar();
  private page = '';
  constructor(readonly userAgent: string) {}

  async get(p: ServerProcess, path: string): Promise<Response> {
    const res = await fetch(`${p.url}${path}`, { headers: { cookie: this.jar.header(), 'user-agent': this.userAgent }, redirect: 'manual' });
    this.jar.store(res.headers.getSetCookie());
    this.page = await res.text();
    return res;
  }

  async post(p: ServerProcess, path: string, form: Record<string, string>): Promise<Response> {
    const csrf = /name="_csrf" value="([^"]+)"/.exec(this.page)?.[1] ?? '';
    const res = await fetch(`${p.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.jar.header(), 'user-agent': this.userAgent, 'content-type': 'application/x-www-form-urlencoded', origin: p.url.replace('127.0.0.1', 'localhost') },
      body: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
    });
    this.jar.store(res.headers.getSetCookie());
    this.page = await res.text();
    return res;
  }

  /** The trading service's check of this browser's session, on a given process. */
  async sessionStatus(p: ServerProcess): Promise<number> {
    return (await fetch(`${p.url}/api/v1/session`, { headers: { cookie: this.jar.header() } })).status;
  }
}

const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe(`removing a recognised browser ends its sessions on every process (${storeKind})`, () => {
  let h: Harness;
  let a: ServerProcess;
  let b: ServerProcess;

  twoProcessSuite({ SESSION_CACHE_MS: '60000' }, (d) => ({ h, a, b } = d));

  const signIn = async (p: ServerProcess, c: AccountSeed, userAgent: string) => {
    const browser = new HttpBrowser(userAgent);
    await browser.get(p, '/login');
    const start = await browser.post(p, '/login', { loginId: c.loginId, password: c.loginPassword });
    assert.equal(start.status, 303);
    await browser.get(p, String(start.headers.get('location')));
    const m = await h.smtp.waitForMail((x) => x.to.includes(c.emails[0]!) && x.subject.includes('認証コード'), 15_000);
    h.smtp.mails.splice(h.smtp.mails.indexOf(m), 1);
    const done = await browser.post(p, '/login/code', { code: /認証コード: (\d{6})/.exec(m.text)![1]! });
    assert.equal(done.status, 303, 'signed in by the e-mailed code');
    return browser;
  };

  /** Both processes have the session in their caches: a check within the minute is answered from memory. */
  const cachedOnBoth = async (x: HttpBrowser) => {
    for (const p of [a, b, a, b]) assert.equal(await x.sessionStatus(p), 200);
  };

  /** Refused by both within a second (NOTIFY at commit; SQLite's feed is read four times a second). */
  const refusedOnBoth = async (x: HttpBrowser, what: string) => {
    for (const p of [a, b]) {
      const deadline = Date.now() + 1000;
      let status = await x.sessionStatus(p);
      while (status === 200 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        status = await x.sessionStatus(p);
      }
      assert.equal(status, 401, `${what}: refused on ${p === a ? 'the process that made the change' : 'the other process'}`);
    }
  };

  it('解除 of browser X from browser Y: X is signed out at once on both processes, Y stays signed in', async () => {
    const c = await h.createAccount();
    const x = await signIn(a, c, PHONE);
    const y = await signIn(b, c, DESKTOP);
    await cachedOnBoth(x);
    const account = (await h.runtime.store.accounts.findByLoginId(c.loginId))!;
    const phone = (await h.runtime.store.devices.listForAccount(account.id)).find((d) => d.userAgent === PHONE)!;

    await y.get(a, '/account/security');
    const revoked = await y.post(a, `/account/devices/${phone.id}/revoke`, {});
    assert.equal(revoked.status, 200);

    await refusedOnBoth(x, 'the removed browser');
    for (const p of [a, b]) assert.equal(await y.sessionStatus(p), 200, 'the browser that removed it stays signed in');
  });

  it('a login-password change still ends every other session on both processes', async () => {
    const c = await h.createAccount();
    const x = await signIn(a, c, PHONE);
    const y = await signIn(b, c, DESKTOP);
    await cachedOnBoth(x);
    await y.get(b, '/account/password');
    // A password change takes a code mailed for it too (never the trading password alone).
    await y.post(b, '/account/password/code', {});
    const m = await h.smtp.waitForMail((x) => x.to.includes(c.emails[0]!) && x.subject.includes('確認コードのお知らせ'), 15_000);
    const confirmationCode = /確認コード: (\d{6})/.exec(m.text)![1]!;
    const changed = await y.post(b, '/account/password', {
      currentPassword: c.loginPassword, newPassword: 'a brand new passphrase 7', newPasswordConfirmation: 'a brand new passphrase 7', tradingPassword: c.tradingPassword, confirmationCode,
    });
    assert.equal(changed.status, 200);
    await refusedOnBoth(x, 'the other browser after a password change');
    for (const p of [a, b]) assert.equal(await y.sessionStatus(p), 200);
  });
});
