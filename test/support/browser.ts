/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). The flags keep it
 * from reaching for Google's services on this machine's closed network.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { RunningServer } from './server';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=ja-JP'],
  });
}

/**
 * A platform authenticator in the page, through Chrome's DevTools protocol (CDP): resident keys,
 * user verification always given, presence simulated, so passkey ceremonies run without a person.
 */
export async function withVirtualAuthenticator(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return {
    cdp,
    authenticatorId,
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
  };
}

/** The login page as a customer fills it: ログインID, ログインパスワード, 「ログイン」. */
export async function enterLoginPassword(page: Page, baseUrl: string, loginId: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('ログインID').fill(loginId);
  await page.getByLabel('ログインパスワード').fill(password);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
}

/** Then the 認証コード from the mail; waits until the customer is in. */
export async function enterMailedCode(page: Page, srv: RunningServer, to: string): Promise<void> {
  await page.getByLabel('認証コード').fill(await srv.codeFor(to));
  await page.getByRole('button', { name: '認証', exact: true }).click();
  await page.getByRole('button', { name: 'ログアウト' }).waitFor();
}

/**
 * On a 確認 screen that changes how the customer logs in: 「確認コードをメールで送信」, the screen
 * says where it went, and the 確認コード from the mail is typed in.
 */
export async function enterMailedConfirmationCode(page: Page, srv: RunningServer, to: string): Promise<string> {
  const from = srv.smtp.mails.length;
  await page.getByRole('button', { name: '確認コードをメールで送信' }).click();
  await page.getByText('宛に確認コードを送信しました').waitFor();
  const code = await srv.confirmationCodeFor(to, from);
  await page.getByLabel('確認コード', { exact: true }).fill(code);
  return code;
}
