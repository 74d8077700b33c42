/**
 * ログインパスワードをお忘れの方, ログインIDをお忘れの方, the desk's reset code and must-change flag,
 * and NFKC passwords, through the pages and the JSON API with a real SMTP sink (issue 17).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import type { LightMyRequestResponse } from 'fastify';
import { COMMANDS } from '../../src/cli/commands';
import { readCommandLine } from '../../src/cli/command-line';
import { startHarness, type AccountSeed, type Harness, type TestBrowser } from '../support/harness';
import { storeKind } from '../support/test-store';

const json = (h: Harness, url: string, body: unknown, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });

/** A page's answer without what differs per request (the CSRF value). */
const comparable = (r: LightMyRequestResponse) => ({ status: r.statusCode, location: r.headers.location ?? null, body: r.body.replace(/value="[^"]{20,}"/g, 'value=""') });

describe(`forgotten login password and login ID (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ THROTTLE_ACCOUNT_SLOWDOWN_AFTER: '100' });
  });
  after(async () => h?.close());

  const resetCode = async (to: string) => {
    const m = await h.mail(to, 'ログインパスワード再設定の確認コード');
    h.smtp.mails.splice(h.smtp.mails.indexOf(m), 1);
    assert.doesNotMatch(m.text, /https?:\/\//, 'no link in the mail');
    assert.match(m.text, /お心当たりのない場合/);
    return /確認コード: (\d{6})/.exec(m.text)![1]!;
  };

  const startReset = async (b: TestBrowser, loginId: string, email: string) => {
    await b.get('/login/forgot-password');
    return b.post('/login/forgot-password', { loginId, email });
  };

  it('resets through the pages: code to every verified address, trading password, new password; every session and browser ends', async () => {
    const c = await h.createAccount({ emails: [`reset1.${Date.now()}@example.com`, `reset1b.${Date.now()}@example.com`] });
    const signedIn = await h.signedIn(c);
    assert.equal((await signedIn.get('/account')).statusCode, 200);
    const login = h.browser();
    assert.match((await login.get('/login')).body, /href="\/login\/forgot-password"/);
    const b = h.browser();
    const start = await startReset(b, c.loginId, c.emails[1]!.toUpperCase());
    assert.equal(start.statusCode, 303);
    assert.equal(start.headers.location, '/login/forgot-password/code');
    const code = await resetCode(c.emails[0]!);
    assert.equal(await resetCode(c.emails[1]!), code, 'every verified address gets the code');
    await b.get('/login/forgot-password/code');
    const wrong = await b.post('/login/forgot-password/code', { code: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /あと4回/);
    const ok = await b.post('/login/forgot-password/code', { code: `${code.slice(0, 3)} ${code.slice(3)}` });
    assert.equal(ok.headers.location, '/login/forgot-password/new');
    await b.get('/login/forgot-password/new');
    const short = await b.post('/login/forgot-password/new', { tradingPassword: c.tradingPassword, newPassword: 'only 14 chars!', newPasswordConfirmation: 'only 14 chars!' });
    assert.equal(short.statusCode, 400);
    assert.match(short.body, /15文字以上/);
    const badTrading = await b.post('/login/forgot-password/new', { tradingPassword: 'not the trading one', newPassword: 'tomioka silk mill 1872', newPasswordConfirmation: 'tomioka silk mill 1872' });
    assert.equal(badTrading.statusCode, 401);
    const done = await b.post('/login/forgot-password/new', { tradingPassword: c.tradingPassword, newPassword: 'tomioka silk mill 1872', newPasswordConfirmation: 'tomioka silk mill 1872' });
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /ログインパスワードを再設定しました/);
    for (const to of c.emails) assert.match((await h.mail(to, 'ログインパスワードを再設定しました')).text, /ログアウトし/);
    assert.equal((await signedIn.get('/account')).statusCode, 303, 'the old session ended');
    const account = (await h.runtime.store.accounts.findByLoginId(c.loginId))!;
    assert.equal((await h.runtime.store.devices.listForAccount(account.id)).filter((d) => !d.revokedAt).length, 0, 'every recognised browser revoked');
    assert.equal((await signedIn.login(c.loginId, c.loginPassword)).statusCode, 401, 'the old password no longer works');
    const again = await signedIn.login(c.loginId, 'tomioka silk mill 1872');
    assert.match(String(again.body), /認証コード/, 'the once-recognised browser is asked for the code again');
    await b.get('/login/forgot-password');
    const spent = await b.post('/login/forgot-password/new', { tradingPassword: c.tradingPassword, newPassword: 'another long passphrase', newPasswordConfirmation: 'another long passphrase' });
    assert.match(spent.body, /最初からやり直してください/, 'the flow is single use');
    const events = await h.runtime.store.audit.listForAccount(account.id, 50, ['password_reset.requested', 'password_reset.code_verified', 'password_reset.completed']);
    assert.deepEqual(events.map((e) => e.type).sort(), ['password_reset.code_verified', 'password_reset.completed', 'password_reset.requested']);
  });

  it('answers an unknown login ID and a wrong address exactly as a real one, and mails nothing', async () => {
    const c = await h.createAccount();
    const answers = [];
    for (const [loginId, email] of [
      [c.loginId, c.emails[0]!],
      [`nobody${Date.now()}`, c.emails[0]!],
      [c.loginId, 'someone.else@example.com'],
    ] as const) {
      const b = h.browser();
      const start = await startReset(b, loginId, email);
      const code = await b.follow(start);
      const wrong = await b.post('/login/forgot-password/code', { code: '000001' });
      answers.push({ start: comparable(start), code: comparable(code), wrong: comparable(wrong) });
      const api = await json(h, '/api/v1/password-reset', { loginId, identifier: email });
      const apiWrong = await json(h, '/api/v1/password-reset/code', { flowId: api.json().flowId, code: '000001' });
      answers.push({ api: [api.statusCode, Object.keys(api.json()).sort()], apiWrong: [apiWrong.statusCode, apiWrong.body] });
    }
    assert.deepEqual(answers[2], answers[0], 'unknown ID, pages');
    assert.deepEqual(answers[4], answers[0], 'wrong address, pages');
    assert.deepEqual(answers[3], answers[1], 'unknown ID, API');
    assert.deepEqual(answers[5], answers[1], 'wrong address, API');
    await resetCode(c.emails[0]!);
    await resetCode(c.emails[0]!);
    assert.equal(h.smtp.mails.filter((m) => m.subject.includes('再設定の確認コード')).length, 0, 'only the matching requests mailed');
  });

  it('resets through the JSON API; a missing identifier is a 400 on its field', async () => {
    const c = await h.createAccount();
    const start = await json(h, '/api/v1/password-reset', { loginId: c.loginId, identifier: c.emails[0] });
    assert.equal(start.statusCode, 202);
    const code = await resetCode(c.emails[0]!);
    const verified = await json(h, '/api/v1/password-reset/code', { flowId: start.json().flowId, code });
    assert.equal(verified.json().next, 'password');
    const done = await json(h, '/api/v1/password-reset/complete', { flowId: start.json().flowId, tradingPassword: c.tradingPassword, newPassword: 'haruna lake winter 9', newPasswordConfirmation: 'haruna lake winter 9' });
    assert.deepEqual(done.json(), { state: 'done' });
    const login = await json(h, '/api/v1/login', { loginId: c.loginId, password: 'haruna lake winter 9' });
    assert.equal(login.statusCode, 200);
    const bad = await json(h, '/api/v1/password-reset', { loginId: c.loginId });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.field, 'email');
  });

  it('the desk issues a reset code by post (printed once) and by mail; it starts the same flow; wrong codes all answer alike', async () => {
    const c = await h.createAccount();
    const { deskReset } = h.runtime.services;
    const post = await deskReset.issue(c.loginId, 'desk-tanaka', 'caller verified by phone', 'post');
    assert.match(post.code!, /^\d{4}-\d{4}-\d{4}$/);
    const wrongs = await Promise.all([
      json(h, '/api/v1/password-reset/desk-code', { loginId: c.loginId, resetCode: '0000-0000-0001' }),
      json(h, '/api/v1/password-reset/desk-code', { loginId: `ghost${Date.now()}`, resetCode: '0000-0000-0001' }),
    ]);
    assert.deepEqual(wrongs.map((w) => [w.statusCode, w.body]), [wrongs[1]!.statusCode, wrongs[1]!.body].map(() => [wrongs[1]!.statusCode, wrongs[1]!.body]));
    const b = h.browser();
    await b.get('/login/forgot-password/desk-code');
    const redeemed = await b.post('/login/forgot-password/desk-code', { loginId: c.loginId, resetCode: post.code!.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))) });
    assert.equal(redeemed.headers.location, '/login/forgot-password/new', 'full-width digits read');
    await b.get('/login/forgot-password/new');
    const done = await b.post('/login/forgot-password/new', { tradingPassword: c.tradingPassword, newPassword: 'kiryu weaving town 7', newPasswordConfirmation: 'kiryu weaving town 7' });
    assert.equal(done.statusCode, 200);
    const reused = await json(h, '/api/v1/password-reset/desk-code', { loginId: c.loginId, resetCode: post.code });
    assert.equal(reused.json().error.code, 'code_invalid', 'a desk code is single use');

    await deskReset.issue(c.loginId, 'desk-tanaka', 'asked again', 'mail');
    const m = await h.mail(c.emails[0]!, '再設定コードのお知らせ');
    assert.doesNotMatch(m.text, /https?:\/\//);
    const mailed = /再設定コード: (\d{4}-\d{4}-\d{4})/.exec(m.text)![1]!;
    const viaApi = await json(h, '/api/v1/password-reset/desk-code', { loginId: c.loginId, resetCode: mailed });
    assert.equal(viaApi.json().next, 'password');
    const account = (await h.runtime.store.accounts.findByLoginId(c.loginId))!;
    const issued = await h.runtime.store.audit.listForAccount(account.id, 10, ['password_reset.desk_code_issued']);
    assert.deepEqual(issued.map((e) => [e.operator, e.detail.delivery]), [['desk-tanaka', 'mail'], ['desk-tanaka', 'post']]);
  });

  it('mamori support reset-login-password prints a code once for a letter; --by is optional and checked', async () => {
    const c = await h.createAccount();
    const line = readCommandLine(COMMANDS, ['support', 'reset-login-password', c.loginId, '--operator', 'tanaka', '--reason', '電話で本人確認済み']);
    assert.equal(line.kind, 'run');
    if (line.kind !== 'run') return;
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (printed.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      assert.equal(await line.command.run({ config: h.config, args: line.args, options: line.options, env: {}, usage: '' }), 0);
    } finally {
      process.stdout.write = write;
    }
    const code = /shown once\): (\d{4}-\d{4}-\d{4})/.exec(printed.join(''))![1]!;
    const redeemed = await json(h, '/api/v1/password-reset/desk-code', { loginId: c.loginId, resetCode: code });
    assert.equal(redeemed.json().next, 'password');
    assert.throws(() => readCommandLine(COMMANDS, ['support', 'reset-login-password', c.loginId, '--operator', 'tanaka']), /--reason is required/);
  });

  it('mails a forgotten login ID to a registered address only, with the same answer either way', async () => {
    const c = await h.createAccount();
    const answers = [];
    for (const email of [c.emails[0]!.toUpperCase(), `unknown.${Date.now()}@example.com`]) {
      const b = h.browser();
      await b.get('/login/forgot-id');
      answers.push(comparable(await b.post('/login/forgot-id', { email })));
      const api = await json(h, '/api/v1/login-id-reminder', { email });
      answers.push([api.statusCode, api.body]);
    }
    assert.deepEqual(answers[2], answers[0]);
    assert.deepEqual(answers[3], answers[1]);
    const m = await h.mail(c.emails[0]!, 'ログインIDのお知らせ');
    assert.match(m.text, new RegExp(`ログインID: ${c.loginId}`));
    assert.doesNotMatch(m.text, /https?:\/\//);
  });

  it('NFKC: a password typed in full-width logs in; a hash made the old way (as typed) still verifies', async () => {
    const c = await h.createAccount({ loginPassword: 'correct horse battery' });
    const fullWidth = 'ｃｏｒｒｅｃｔ　ｈｏｒｓｅ　ｂａｔｔｅｒｙ';
    assert.equal((await json(h, '/api/v1/login', { loginId: c.loginId, password: fullWidth })).statusCode, 200);
    // Before normalisation, a customer who set a full-width password had it hashed as typed.
    const old = await h.createAccount();
    const seed: AccountSeed = { ...old, loginId: `${old.loginId}x` };
    await h.runtime.services.accounts.create({ loginId: seed.loginId, name: seed.name, emails: [`x${seed.emails[0]}`], loginPasswordHash: bcrypt.hashSync(fullWidth, 4), tradingPassword: seed.tradingPassword }, 'test');
    assert.equal((await json(h, '/api/v1/login', { loginId: seed.loginId, password: fullWidth })).statusCode, 200, 'the old hash verifies');
    const renewed = (await h.runtime.store.accounts.findByLoginId(seed.loginId))!.loginPasswordHash;
    assert.match(renewed, /^\$argon2id\$/, 'and is renewed');
    assert.equal((await json(h, '/api/v1/login', { loginId: seed.loginId, password: 'correct horse battery' })).statusCode, 200, 'now in NFKC form');
  });

  it('must change at next login: set by the desk, kept on the change page and 403 on the API until changed', async () => {
    const c = await h.createAccount();
    await h.runtime.services.deskReset.requirePasswordChange(c.loginId, 'desk-sato', 'leaked elsewhere');
    assert.match((await h.mail(c.emails[0]!, 'ログインパスワード変更のお願い')).text, /変更/);
    const b = await h.signedIn(c);
    const top = await b.get('/account');
    assert.equal(top.headers.location, '/account/password');
    const page = await b.get('/account/password');
    assert.match(page.body, /ログインパスワードの変更が必要です/);
    const api = await b.json('/api/v1/step-up/options', {});
    assert.equal(api.statusCode, 403);
    assert.equal(api.json().error.code, 'password_change_required');
    const changed = await b.post('/account/password', { currentPassword: c.loginPassword, newPassword: 'shima onsen blue 2026', newPasswordConfirmation: 'shima onsen blue 2026', tradingPassword: c.tradingPassword });
    assert.equal(changed.statusCode, 200);
    assert.equal((await b.get('/account')).statusCode, 200, 'free again');
    const account = (await h.runtime.store.accounts.findByLoginId(c.loginId))!;
    assert.equal(account.passwordChangeRequiredAt, null);
    assert.equal((await h.runtime.store.audit.listForAccount(account.id, 5, ['password.change_required']))[0]?.operator, 'desk-sato');
  });
});
