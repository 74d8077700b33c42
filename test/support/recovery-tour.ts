/**
 * The screens of ログインパスワードをお忘れの方 and ログインIDをお忘れの方, for the screen tour
 * (screen-tour.ts): the start, the code and its error, the new password and its error, the result,
 * the desk's reset code, and the forgotten-ID request and answer.
 */
import type { Browser } from 'playwright-core';
import type { Lang } from './screen-checks';
import type { RunningServer } from './server';
import type { Tour } from './screen-tour';

const submitIn = (page: import('playwright-core').Page, form: string) => page.locator(`${form} button[type=submit]`).first().click();

export async function walkRecoveryScreens(srv: RunningServer, chromium: Browser, lang: Lang, look: Tour['look']): Promise<void> {
  const customer =
    lang === 'ja'
      ? { loginId: 'recover-ja', name: '太田 花子', emails: ['recover.ja@example.com'], loginPassword: 'akagi recovery ja 2026', tradingPassword: 'akagi trading ja 78' }
      : { loginId: 'recover-en', name: 'Hanako Ota', emails: ['recover.en@example.com'], loginPassword: 'akagi recovery en 2026', tradingPassword: 'akagi trading en 78' };
  await srv.server.runtime.services.accounts.create(customer, 'e2e');
  const context = await chromium.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${srv.url}/login/forgot-password?lang=${lang}`);
  await look(page, 'reset-start');
  await page.locator('#loginId').fill(customer.loginId);
  await page.locator('#email').fill(customer.emails[0]!);
  await submitIn(page, 'form[action="/login/forgot-password"]');
  await page.waitForURL('**/login/forgot-password/code');
  await look(page, 'reset-code');
  const m = await srv.smtp.waitForMail((x) => x.to.includes(customer.emails[0]!) && x.subject.includes('再設定の確認コード'), 15_000);
  const code = /確認コード: (\d{6})/.exec(m.text)![1]!;
  await page.locator('#code').fill(code === '000000' ? '111111' : '000000');
  await submitIn(page, 'form[action="/login/forgot-password/code"]');
  await page.locator('[role=alert]').waitFor();
  await look(page, 'reset-code-error');
  await page.locator('#code').fill(code);
  await submitIn(page, 'form[action="/login/forgot-password/code"]');
  await page.waitForURL('**/login/forgot-password/new');
  await look(page, 'reset-new');
  await page.locator('#tradingPassword').fill(customer.tradingPassword);
  await page.locator('#newPassword').fill('too short');
  await page.locator('#newPasswordConfirmation').fill('too short');
  await submitIn(page, 'form[action="/login/forgot-password/new"]');
  await page.locator('[role=alert]').waitFor();
  await look(page, 'reset-new-error');
  await page.locator('#tradingPassword').fill(customer.tradingPassword);
  await page.locator('#newPassword').fill('a new long passphrase 26');
  await page.locator('#newPasswordConfirmation').fill('a new long passphrase 26');
  await submitIn(page, 'form[action="/login/forgot-password/new"]');
  await page.locator('.notice, [role=status]').first().waitFor();
  await look(page, 'reset-done');
  await page.goto(`${srv.url}/login/forgot-password/desk-code`);
  await look(page, 'reset-desk-code');
  await page.goto(`${srv.url}/login/forgot-id`);
  await look(page, 'forgot-id');
  await page.locator('#email').fill(customer.emails[0]!);
  await submitIn(page, 'form[action="/login/forgot-id"]');
  await page.locator('.notice, [role=status]').first().waitFor();
  await look(page, 'forgot-id-done');
  await context.close();
}
