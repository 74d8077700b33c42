/**
 * The support desk console's screens for the screen tour (screen-tour.ts): enrolment and its
 * refused link, the passkey login, a supervisor's home with a pending request, search results,
 * a customer at a glance with the action form, and the answer to a request.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Lang } from './screen-checks';
import type { RunningServer } from './server';
import type { Tour } from './screen-tour';

async function virtualAuthenticator(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
}

export async function walkDeskScreens(srv: RunningServer, chromium: Browser, lang: Lang, look: Tour['look']): Promise<void> {
  const desk = srv.server.runtime.services.desk;
  const accounts = srv.server.runtime.services.accounts;
  const name = lang === 'ja' ? '桐生 一郎' : 'Ichiro Kiryu';
  for (const n of [1, 2]) {
    await accounts.create({ loginId: `desk-${lang}-${n}`, name: `${name} ${n}`, emails: [`desk.${lang}.${n}@example.com`], loginPassword: `kiryu desk ${lang} 2026`, tradingPassword: `kiryu trade ${lang} 42`, ...(n === 1 ? { totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' } : {}) }, 'e2e');
  }
  // Customer 1 has passkeys on two devices: the action form offers the one to remove.
  const first = (await srv.db.store.accounts.findByLoginId(`desk-${lang}-1`))!;
  for (const device of ['iPhone', 'MacBook']) {
    await srv.db.store.passkeys.insert({ accountId: first.id, credentialId: `tour-${lang}-${device}`, publicKey: 'AAAA', counter: 0, transports: ['internal'], name: device, backedUp: false, createdAt: new Date('2026-01-10T00:00:00Z'), lastUsedAt: null });
  }
  const open = async (operator: string, role: string): Promise<Page> => {
    const { token } = await desk.operators.add(operator, role, 'e2e');
    const context = await chromium.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await virtualAuthenticator(context, page);
    await page.goto(`${srv.url}/support/enrol?token=${token}&lang=${lang}`);
    return page;
  };

  const operator = await open(`tour-op-${lang}`, 'operator');
  await look(operator, 'desk-enrol');
  await operator.locator('[data-desk=enrol]').click();
  await operator.locator('[data-desk=login]').waitFor();
  await look(operator, 'desk-login');
  await operator.locator('[data-desk=login]').click();
  await operator.locator('form.search').waitFor();
  await operator.locator('#q').fill(name);
  await operator.locator('form.search button[type=submit]').click();
  await operator.waitForURL('**/support/customers?**');
  await look(operator, 'desk-search');
  await operator.goto(`${srv.url}/support/customers/desk-${lang}-1`);
  await look(operator, 'desk-customer');
  await operator.locator('#action').selectOption('totp_reset');
  await operator.locator('#identityNote').fill(lang === 'ja' ? '登録電話番号へ折り返し' : 'Called back the registered phone');
  await operator.locator('#reason').fill(lang === 'ja' ? 'スマートフォン紛失' : 'Lost phone');
  await operator.locator('form[action$="/actions"] button[type=submit]').click();
  await operator.locator('[role=status]').waitFor();
  await look(operator, 'desk-requested');

  const supervisor = await open(`tour-sup-${lang}`, 'supervisor');
  await supervisor.locator('[data-desk=enrol]').click();
  await supervisor.locator('[data-desk=login]').click();
  await supervisor.locator('form.search').waitFor();
  await look(supervisor, 'desk-home');
  await supervisor.locator('input[name=decisionReason]').first().fill(lang === 'ja' ? '本人確認の記録を確認' : 'Identity check reviewed');
  await supervisor.locator('button[name=decision][value=approve]').first().click();
  await supervisor.locator('[role=status]').waitFor();
  await look(supervisor, 'desk-approved');

  await operator.goto(`${srv.url}/support/enrol?token=spent`);
  await look(operator, 'desk-enrol-refused');
  await operator.context().close();
  await supervisor.context().close();
}
