/**
 * A walk through every customer screen in one language, as a customer would reach each: login and
 * its errors, the e-mailed code, the top page, 登録情報照会, the security overview (ログイン履歴,
 * ログイン中の端末 with two browsers and after 他のすべての端末からログアウト, 登録済み端末),
 * password changes, addresses, ワンタイムパスワードサービス from 申込 to 受付, passkeys (Chromium's virtual authenticator), the passkey and TOTP second steps, and an error page.
 * At each screen it calls `look(page, name)`. Fields and buttons are found by id and form, not
 * by label, so the same walk serves both languages.
 */
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { withVirtualAuthenticator } from './browser';
import type { FakeClock } from './fake-clock';
import type { Lang } from './screen-checks';
import type { RunningServer } from './server';
import { walkRecoveryScreens } from './recovery-tour';
import { walkDeskScreens } from './desk-tour';
import { walkOidcScreens } from './oidc-tour';

export interface Tour {
  srv: RunningServer;
  chromium: Browser;
  clock: FakeClock;
  lang: Lang;
  look: (page: Page, screen: string) => Promise<void>;
}


const submitIn = (page: Page, form: string) => page.locator(`${form} button[type=submit]`).first().click();

export async function walkEveryScreen(tour: Tour): Promise<void> {
  const { srv, chromium, clock, lang, look } = tour;
  const customer =
    lang === 'ja'
      ? { loginId: 'screens-ja', name: '太田 花子', emails: ['hanako.ota@example.com'], loginPassword: 'oze marsh 2025 ja', tradingPassword: 'akagi trading ja 77' }
      : { loginId: 'screens-en', name: 'Hanako Ota', emails: ['hanako.ota.en@example.com'], loginPassword: 'oze marsh 2025 en', tradingPassword: 'akagi trading en 77' };
  const email = customer.emails[0]!;
  await srv.server.runtime.services.accounts.create(customer, 'e2e');
  const totpCode = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: clock.now().getTime() });

  const context = await chromium.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await withVirtualAuthenticator(context, page);
  const passwordStep = async (p: Page, password: string) => {
    await p.locator('#loginId').fill(customer.loginId);
    await p.locator('#password').fill(password);
    await submitIn(p, 'form[action="/login"]');
  };

  // Login, its error, the e-mailed code and its error.
  await page.goto(`${srv.url}/login?lang=${lang}`);
  await look(page, 'login');
  await passwordStep(page, 'not the password');
  await page.locator('[role=alert]').waitFor();
  await look(page, 'login-error');
  await passwordStep(page, customer.loginPassword);
  await page.waitForURL('**/login/code');
  await look(page, 'code');
  const code = await srv.codeFor(email);
  await page.locator('#code').fill(code === '000000' ? '111111' : '000000');
  await submitIn(page, 'form[action="/login/code"]');
  await page.locator('[role=alert]').waitFor();
  await look(page, 'code-error');
  await page.locator('#code').fill(code);
  await submitIn(page, 'form[action="/login/code"]');
  await page.waitForURL('**/account');
  await look(page, 'top');

  for (const [screen, path] of [
    ['info', '/account/info'],
    ['security', '/account/security'],
    ['password-login', '/account/password'],
    ['password-trading', '/account/trading-password'],
    ['emails', '/account/emails'],
    ['email-change', '/account/emails/1/change'],
    ['email-notification', '/account/emails/1/notification'],
    ['email-add', '/account/emails/2/change'],
  ] as const) {
    await page.goto(srv.url + path);
    await look(page, screen);
  }
  // The last screen is 仮登録 of メールアドレス2: its 確認 screen.
  await page.locator('#address').fill('hanako.mobile@example.net');
  await page.locator('#addressConfirmation').fill('hanako.mobile@example.net');
  await submitIn(page, 'form[action$="/change/confirm"]');
  await look(page, 'email-add-confirm');
  await page.goto(`${srv.url}/account/password`);
  await submitIn(page, 'form[action="/account/password"]');
  await page.locator('[role=alert]').waitFor();
  await look(page, 'password-login-error');
  // The step-up the trading service sends a customer to: without a passkey or TOTP, a mailed code; a bad request.
  await page.goto(`${srv.url}/step-up?purpose=withdrawal&intent=w-1&return_to=/account`);
  await look(page, 'step-up-email');
  await page.goto(`${srv.url}/step-up?purpose=everything&return_to=/account`);
  await look(page, 'step-up-bad-request');

  // ワンタイムパスワードサービス: 申込 -確認- (with the code sent), the key, the code, 受付 with recovery codes.
  await page.goto(`${srv.url}/account/totp/apply`);
  await look(page, 'totp-apply');
  let from = srv.smtp.mails.length;
  await page.locator('section.reauth button[type=submit]').click();
  await page.locator('section.reauth [role=status]').waitFor();
  await look(page, 'totp-apply-code-sent');
  await page.locator('#confirmationCode').fill(await srv.confirmationCodeFor(email, from));
  await page.locator('#tradingPassword').fill(customer.tradingPassword);
  await submitIn(page, 'form[action="/account/totp/apply"]');
  await page.waitForURL('**/account/totp/key');
  await page.locator('details.show-key summary').click();
  await look(page, 'totp-key');
  const secret = String(await page.locator('code.totp-key').getAttribute('data-secret'));
  await page.goto(`${srv.url}/account/totp/verify`);
  await look(page, 'totp-verify');
  clock.advance(30_000);
  await page.locator('#totp').fill(totpCode(secret));
  await submitIn(page, 'form[action="/account/totp/verify"]');
  await page.locator('ul.codes').waitFor();
  await look(page, 'totp-receipt');
  for (const [screen, path] of [
    ['totp-stop', '/account/totp/stop'],
    ['totp-stop-confirm', '/account/totp/stop/confirm'],
    ['totp-recovery-codes', '/account/totp/recovery-codes'],
    ['totp-reregister', '/account/totp/reregister'],
    ['step-up-totp', '/step-up?purpose=withdrawal_account_change&return_to=/account'],
    ['passkeys', '/account/passkeys'],
  ] as const) {
    await page.goto(srv.url + path);
    await look(page, screen);
  }

  // パスキー: registered with the virtual authenticator, then its deletion screen.
  from = srv.smtp.mails.length;
  await page.locator('section.reauth button[type=submit]').click();
  await page.locator('section.reauth [role=status]').waitFor();
  await page.locator('#confirmationCode').fill(await srv.confirmationCodeFor(email, from));
  await page.locator('#tradingPassword').fill(customer.tradingPassword);
  await page.locator('[data-passkey=register]').click();
  await page.waitForURL('**/account/passkeys?added=1');
  await look(page, 'passkeys-registered');
  await page.locator('a.button[href$="/delete"]').first().click();
  await page.waitForURL('**/delete');
  await look(page, 'passkey-delete');
  await page.goto(`${srv.url}/step-up?purpose=withdrawal&return_to=/account`);
  await look(page, 'step-up-cooling-off');
  await page.goto(`${srv.url}/account/security`);
  await look(page, 'security-with-history');

  // ログイン中の端末 with a phone signed in too (made directly: the login screens are toured elsewhere), then 他のすべての端末からログアウト.
  const { runtime } = srv.server;
  const account = (await runtime.store.accounts.findByLoginId(customer.loginId))!;
  const phoneAgent = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
  await runtime.store.transaction((tx) => runtime.services.sessions.issue(tx, account, 'passkey', { ip: '203.0.113.9', userAgent: phoneAgent }));
  await page.bringToFront();
  // The page is already /account/security: a goto that only adds a fragment would not load it again.
  await page.reload();
  await look(page, 'security-sessions');
  await submitIn(page, 'form[action="/account/sessions/logout-others"]');
  await page.locator('[role=status]').waitFor();
  await look(page, 'security-sessions-ended');

  await page.locator('form.logout button').click();
  await page.waitForURL('**/login?loggedOut=1');
  await look(page, 'logged-out');

  // A browser the account does not know: the passkey step, its fallback (TOTP here), recovery.
  const other = await chromium.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-US', viewport: { width: 1280, height: 900 } });
  const second = await other.newPage();
  await second.goto(`${srv.url}/login?lang=${lang}`);
  await passwordStep(second, customer.loginPassword);
  await second.waitForURL('**/login/passkey');
  await look(second, 'passkey-step');
  await submitIn(second, 'form[action="/login/passkey/fallback"]');
  await second.waitForURL('**/login/totp');
  await look(second, 'totp-step');
  await second.locator('#totp').fill('12345');
  await submitIn(second, 'form[action="/login/totp"]');
  await second.locator('[role=alert]').waitFor();
  await look(second, 'totp-step-error');
  await second.goto(`${srv.url}/login/recovery`);
  await look(second, 'recovery-step');
  await second.goto(`${srv.url}/no-such-page`);
  await look(second, 'not-found');
  await other.close();

  // A day later the passkey has cooled off: 「パスキーでログイン」, then the step-up screen offers it.
  clock.advance(25 * 3_600_000);
  await page.goto(`${srv.url}/login?lang=${lang}`);
  await page.locator('[data-passkey=login]').click();
  await page.waitForURL('**/account');
  await page.goto(`${srv.url}/step-up?purpose=withdrawal&intent=w-2&return_to=/account`);
  await page.locator('[data-passkey=step-up-grant]').waitFor();
  await look(page, 'step-up-passkey');
  await context.close();
  await walkRecoveryScreens(srv, chromium, lang, look);
  await walkDeskScreens(srv, chromium, lang, look);
  await walkOidcScreens(srv, chromium, lang, look);
}

/**
 * The phishing-resistant migration's screens, on a server with PASSKEY_POLICY=phishing-resistant
 * and PASSKEY_REQUIRED_FROM=`requiredFrom` whose clock stands before that day: the login page's
 * countdown, the top page's, the registration page a session is held to from the date, and the
 * top page of an exempt customer with the risk.
 */
export async function walkMigrationScreens(tour: Tour, requiredFrom: Date): Promise<void> {
  const { srv, chromium, clock, lang, look } = tour;
  const customer = { loginId: `migration-${lang}`, name: lang === 'ja' ? '桐生 一郎' : 'Ichiro Kiryu', emails: [`ichiro.kiryu.${lang}@example.com`], loginPassword: `watarase ${lang} 1921`, tradingPassword: `orimono ${lang} 88` };
  await srv.server.runtime.services.accounts.create(customer, 'e2e');
  const newPage = async () => (await chromium.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
  let page = await newPage();
  // In a browser the account does not know yet, so the e-mailed code is asked for each time.
  const logIn = async () => {
    await page.goto(`${srv.url}/login?lang=${lang}`);
    await page.locator('#loginId').fill(customer.loginId);
    await page.locator('#password').fill(customer.loginPassword);
    await submitIn(page, 'form[action="/login"]');
    await page.waitForURL('**/login/code');
    await page.locator('#code').fill(await srv.codeFor(customer.emails[0]!));
    await submitIn(page, 'form[action="/login/code"]');
  };
  clock.set(new Date(requiredFrom.getTime() - 86_400_000));
  await page.goto(`${srv.url}/login?lang=${lang}`);
  await look(page, 'migration-login-countdown');
  await logIn();
  await page.waitForURL('**/account');
  await look(page, 'migration-top-countdown');
  await page.context().close();
  clock.set(new Date(requiredFrom.getTime() + 3_600_000));
  page = await newPage();
  await logIn();
  await page.waitForURL('**/account/passkeys');
  await look(page, 'migration-held');
  const until = new Date(requiredFrom.getTime() + 30 * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
  await srv.server.runtime.services.passkeyExemptions.grant(customer.loginId, { until, operator: 'e2e', reason: 'no capable device' });
  await page.goto(`${srv.url}/account`);
  await look(page, 'migration-top-exempt');
  await page.context().close();
}

/**
 * A login refused by ALLOWED_COUNTRIES (the server runs with ALLOWED_COUNTRIES=JP behind a trusted
 * proxy): the login page says why and how to ask the desk for an exception. The browser's address
 * is an American one of the shipped data, as the proxy would forward it.
 */
export async function walkRefusalScreen(tour: Tour): Promise<void> {
  const { srv, chromium, lang, look } = tour;
  const customer = { loginId: `abroad-${lang}`, name: lang === 'ja' ? '館林 二郎' : 'Jiro Tatebayashi', emails: [`jiro.${lang}@example.com`], loginPassword: `tsutsuji ${lang} 1950`, tradingPassword: `bunbuku ${lang} 33` };
  await srv.server.runtime.services.accounts.create(customer, 'e2e');
  await srv.server.runtime.services.networks.ready();
  const context = await chromium.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-US', viewport: { width: 1280, height: 900 }, extraHTTPHeaders: { 'X-Forwarded-For': '24.0.0.1' } });
  const page = await context.newPage();
  await page.goto(`${srv.url}/login?lang=${lang}`);
  await page.locator('#loginId').fill(customer.loginId);
  await page.locator('#password').fill(customer.loginPassword);
  await submitIn(page, 'form[action="/login"]');
  await page.locator('[role=alert]').waitFor();
  await look(page, 'login-refused-country');
  await context.close();
}
