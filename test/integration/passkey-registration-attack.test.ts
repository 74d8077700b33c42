/**
 * The attack of issue 16: someone phished a live session (its cookie) and the trading password,
 * and tries to put their own passkey on the account from a second browser, over real HTTP, on two
 * `mamori serve` processes. Without the code mailed to the customer they cannot: not by the page's
 * script, not by the app's API with the same token, not by skipping to the ceremony's second half;
 * 60 guesses at once (and every retry of the refused ones) are judged five times; the customer
 * receives the code mail (saying it is for adding a passkey and what to do), and one notice when
 * the guesses close the confirmation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Harness } from '../support/harness';
import { HttpBrowser } from '../support/http-browser';
import { postJson, twoProcessSuite, type ServerProcess } from '../support/server-process';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { storeKind } from '../support/test-store';

describe(`a stolen session and trading password cannot register a passkey (${storeKind})`, () => {
  let h: Harness;
  let a: ServerProcess;
  let b: ServerProcess;
  // Every request comes from 127.0.0.1: keep the per-address block out of the case.
  twoProcessSuite({ THROTTLE_IP_LOCK_AFTER: '100000' }, (d) => ({ h, a, b } = d));

  const mailTo = async (to: string, subject: string) => h.smtp.waitForMail((m) => m.to.includes(to) && m.subject.includes(subject), 15_000);
  const countMails = (to: string, subject: string) => h.smtp.mails.filter((m) => m.to.includes(to) && m.subject.includes(subject)).length;

  it('without the mailed code: refused on every path, 60 guesses at once judged five times, the customer told', async () => {
    const c = await h.createAccount();
    const accountId = (await h.runtime.store.accounts.findByLoginId(c.loginId))!.id;
    // The customer's own login, through the API on process a: this session is what gets stolen.
    const start = await postJson(`${a.url}/api/v1/login`, { loginId: c.loginId, password: c.loginPassword });
    const loginCode = /認証コード: (\d{6})/.exec((await mailTo(c.emails[0]!, '認証コード')).text)![1]!;
    const done = await postJson(`${a.url}/api/v1/login/code`, { flowId: start.json.flowId, code: loginCode });
    assert.equal(done.json.state, 'done');
    const stolen = done.json.sessionToken as string;

    // The intruder's browser: the stolen cookie, a page of its own for the CSRF field.
    const intruder = new HttpBrowser('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36');
    intruder.useSession(stolen);
    assert.equal((await intruder.get(`${a.url}/account/passkeys`)).status, 200);
    const csrf = intruder.csrf();
    const app = { authorization: `Bearer ${stolen}` };
    const pageOptions = (p: ServerProcess, confirmationCode: string) =>
      intruder.json(`${p.url}/account/passkeys/register/options`, { tradingPassword: c.tradingPassword, confirmationCode }).then((r) => ({ status: r.status, json: JSON.parse(r.body) }));
    const appOptions = (p: ServerProcess, confirmationCode: string) => postJson(`${p.url}/api/v1/passkeys/registration/options`, { tradingPassword: c.tradingPassword, confirmationCode }, app);

    // No code at all, or a guess before any code was sent: nothing to guess against.
    const none = await pageOptions(a, '');
    assert.equal(none.status, 400);
    assert.equal(none.json.error.field, 'confirmationCode');
    for (const r of [await pageOptions(b, '123456'), await appOptions(a, '123456')]) {
      assert.equal(r.status, 404, JSON.stringify(r.json));
      assert.equal(r.json.error.code, 'flow_not_found');
    }
    // Nor can the ceremony's second half be reached without its first.
    const forged = new SoftAuthenticator(`http://localhost:${new URL(a.url).port}`, 'localhost').create({ challenge: 'AAAA' }).response;
    const skip = await intruder.json(`${a.url}/account/passkeys/register/verify`, { challengeId: 'made-up', credential: forged, name: 'mine' });
    assert.equal(skip.status, 401, skip.body);
    const appSkip = await postJson(`${b.url}/api/v1/passkeys/registration/verify`, { challengeId: 'made-up', credential: forged, name: 'mine' }, app);
    assert.equal(appSkip.status, 401, JSON.stringify(appSkip.json));

    // The intruder asks for the code: it goes to the customer, who is told what it is for.
    const sent = await intruder.post(`${b.url}/account/passkeys/register/code`, {}, csrf);
    assert.equal(sent.status, 200);
    const codeMail = await mailTo(c.emails[0]!, '確認コードのお知らせ（パスキーの登録）');
    assert.match(codeMail.text, /パスキーを追加/);
    assert.match(codeMail.text, /お心当たりのない場合|ご自身のお手続きでない場合/);
    assert.match(codeMail.text, /フリーダイヤル/);
    const right = /確認コード: (\d{6})/.exec(codeMail.text)![1]!;
    const wrong = (i: number) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0');

    // 60 guesses at once over both processes and both paths, and every refused-to-retry one again.
    const guess = (i: number) => (i % 3 === 0 ? appOptions : pageOptions)(i % 2 ? a : b, wrong(i));
    let pending = Array.from({ length: 60 }, (_, i) => i);
    const answers: { status: number; code: string }[] = [];
    for (let round = 0; pending.length && round < 20; round++) {
      const results = await Promise.all(pending.map((i) => guess(i).then((r) => ({ i, status: r.status, code: String(r.json.error?.code) }))));
      assert.ok(results.every((r) => r.status < 500), `no 5xx: ${results.map((r) => r.status)}`);
      assert.ok(results.every((r) => r.status !== 200), 'no guess opens a registration');
      answers.push(...results.filter((r) => r.code !== 'too_many_requests'));
      pending = results.filter((r) => r.code === 'too_many_requests').map((r) => r.i);
    }
    assert.deepEqual(pending, [], 'every guess was answered in the end');
    assert.equal(answers.filter((r) => r.code === 'code_invalid').length, 4, answers.map((r) => r.code).join());
    assert.ok(answers.every((r) => r.code === 'code_invalid' || r.code === 'code_attempts_exceeded'), answers.map((r) => r.code).join());
    const judged = (await h.runtime.store.audit.listForAccount(accountId, 500, ['reauthentication.failed'])).length;
    assert.equal(judged, 5, 'five guesses judged, whatever the concurrency');

    // The right code now opens nothing, on either path or process; no passkey was added.
    for (const late of [await pageOptions(a, right), await appOptions(b, right)]) {
      assert.equal(late.status, 403, JSON.stringify(late.json));
      assert.equal(late.json.error.code, 'code_attempts_exceeded');
      assert.equal(late.json.options, undefined);
    }
    assert.equal((await h.runtime.store.passkeys.listForAccount(accountId)).length, 0);

    // The customer is told the confirmation was closed: once, to every verified address.
    const notice = await mailTo(c.emails[0]!, '確認コードの入力誤り');
    assert.match(notice.text, /パスキーの登録/);
    assert.match(notice.text, /取引パスワード/);
    assert.doesNotMatch(notice.text, /https?:\/\//);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(countMails(c.emails[0]!, '確認コードの入力誤り'), 1, 'one notice');
    assert.equal(countMails(c.emails[0]!, 'パスキーを登録しました'), 0);
  });
});
