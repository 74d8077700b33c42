/**
 * Ending sessions holds across processes at once: two `mamori serve` processes on one database
 * with minute-long session caches; a session is ended on one process (ログアウト in the list, the
 * JSON API, 他のすべての端末からログアウト, 解除 of its recognised browser), and the very next
 * request of that session to the other process — which has it cached — is refused. No polling,
 * no waiting: the change must be heard before the next request is answered.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccountSeed, Harness } from '../support/harness';
import { HttpBrowser } from '../support/http-browser';
import { twoProcessSuite, type ServerProcess } from '../support/server-process';
import { storeKind } from '../support/test-store';

const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe(`ending a session is refused on the other process at its very next request (${storeKind})`, () => {
  let h: Harness;
  let a: ServerProcess;
  let b: ServerProcess;
  twoProcessSuite({ SESSION_CACHE_MS: '60000' }, (d) => ({ h, a, b } = d));

  const codeMail = async (c: AccountSeed) => {
    const m = await h.smtp.waitForMail((x) => x.to.includes(c.emails[0]!) && x.subject.includes('認証コード'), 15_000);
    h.smtp.mails.splice(h.smtp.mails.indexOf(m), 1);
    return /認証コード: (\d{6})/.exec(m.text)![1]!;
  };

  const signIn = async (p: ServerProcess, c: AccountSeed, userAgent: string) => {
    const browser = new HttpBrowser(userAgent);
    await browser.get(`${p.url}/login`);
    const start = await browser.post(`${p.url}/login`, { loginId: c.loginId, password: c.loginPassword });
    assert.equal(start.status, 303);
    await browser.get(`${p.url}${start.location}`);
    const done = await browser.post(`${p.url}/login/code`, { code: await codeMail(c) });
    assert.equal(done.status, 303, 'signed in by the e-mailed code');
    return browser;
  };

  /** The trading service's check of this browser's session on a process. */
  const check = async (x: HttpBrowser, p: ServerProcess, bearer?: string) =>
    (await fetch(`${p.url}/api/v1/session`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : { cookie: x.jar.header() } })).status;

  /** Cached on both processes: within the minute a check is answered from memory. */
  const cachedOnBoth = async (x: HttpBrowser) => {
    for (const p of [a, b, a, b]) assert.equal(await check(x, p), 200);
  };

  const sessionIdOf = async (c: AccountSeed, userAgent: string) => {
    const account = (await h.runtime.store.accounts.findByLoginId(c.loginId))!;
    return (await h.runtime.store.sessions.listLiveForAccount(account.id, new Date())).find((s) => s.userAgent === userAgent)!.id;
  };

  it('ログアウト in the list on process A: the phone is refused by process B at once, the desktop stays', async () => {
    const c = await h.createAccount();
    const phone = await signIn(a, c, PHONE);
    const desktop = await signIn(b, c, DESKTOP);
    await cachedOnBoth(phone);
    await desktop.get(`${a.url}/account/security`);
    assert.match(desktop.lastPage, /ご利用中の端末/);
    const res = await desktop.post(`${a.url}/account/sessions/${await sessionIdOf(c, PHONE)}/logout`, {});
    assert.equal(res.status, 200);
    assert.equal(await check(phone, b), 401, 'the other process, on its very next request');
    assert.equal(await check(phone, a), 401);
    const page = await phone.get(`${b.url}/account`);
    assert.equal(page.status, 303);
    assert.equal(page.location, '/login');
    for (const p of [a, b]) assert.equal(await check(desktop, p), 200);
  });

  it('他のすべての端末からログアウト on process B through the JSON API: both others refused by process A at once', async () => {
    const c = await h.createAccount();
    const phone = await signIn(a, c, PHONE);
    const desktop = await signIn(a, c, DESKTOP);
    await cachedOnBoth(phone);
    await cachedOnBoth(desktop);
    const app = await fetch(`${b.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ loginId: c.loginId, password: c.loginPassword }) });
    const flowId = (await app.json()).flowId;
    const done = await fetch(`${b.url}/api/v1/login/code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ flowId, code: await codeMail(c) }) });
    const token = (await done.json()).sessionToken as string;
    const ended = await fetch(`${b.url}/api/v1/sessions/logout-others`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    assert.deepEqual(await ended.json(), { ended: 2 });
    assert.equal(await check(phone, a), 401);
    assert.equal(await check(desktop, a), 401);
    assert.equal(await check(phone, b), 401);
    assert.equal(await check(new HttpBrowser(), a, token), 200, 'the app stays signed in');
  });

  it('解除 of a recognised browser on process A: its session is refused by process B at once', async () => {
    const c = await h.createAccount();
    const phone = await signIn(a, c, PHONE);
    const desktop = await signIn(b, c, DESKTOP);
    await cachedOnBoth(phone);
    const account = (await h.runtime.store.accounts.findByLoginId(c.loginId))!;
    const device = (await h.runtime.store.devices.listForAccount(account.id)).find((d) => d.userAgent === PHONE)!;
    await desktop.get(`${a.url}/account/security`);
    assert.equal((await desktop.post(`${a.url}/account/devices/${device.id}/revoke`, {})).status, 200);
    assert.equal(await check(phone, b), 401, 'the other process, on its very next request');
    assert.equal(await check(phone, a), 401);
    assert.equal(await check(desktop, b), 200);
  });
});
