/**
 * The embedded mode's demo account (login ID `demo`). The first start on an empty database makes it
 * and prints its generated passwords; they are stored only as hashes, so later starts say it is
 * there and how to get new ones: `mamori demo reset` (npm run demo:reset). Never in production:
 * there is no demo account there.
 */
import { ConfigError } from '../config';
import { newToken } from '../crypto/tokens';
import { DomainError } from '../domain/errors';
import type { Runtime } from './open-runtime';

export const DEMO_LOGIN_ID = 'demo';
export const DEMO_RESET_COMMAND = 'npm run demo:reset   (or: npx mamori demo reset)';

/** Embedded mode: an empty database gets a demo account, printed once so a newcomer can log in. */
export async function ensureDemoAccount(runtime: Runtime): Promise<void> {
  if ((await runtime.store.accounts.count()) > 0) return announceDemoAccount(runtime);
  const loginPassword = `demo-${newToken(runtime.ports.random, 9)}`;
  const tradingPassword = `trade-${newToken(runtime.ports.random, 9)}`;
  try {
    await runtime.services.accounts.create(
      { loginId: DEMO_LOGIN_ID, name: '群馬 五郎', emails: ['jimu.gunma@example.com'], loginPassword, tradingPassword },
      'system:demo',
    );
  } catch (e) {
    // Two processes started at once on an empty database: the other one made it first.
    if (e instanceof DomainError && e.code === 'conflict') return;
    throw e;
  }
  const lines = [
    '',
    'Demo account created (the database was empty):',
    `  ログインID        ${DEMO_LOGIN_ID}`,
    `  ログインパスワード  ${loginPassword}`,
    `  取引パスワード      ${tradingPassword}`,
    runtime.config.devMailbox ? `  Mails (認証コード): ${runtime.config.publicUrl}/dev/mailbox` : '',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/** A later start on a database that has the demo account: its login ID and how to get new passwords. */
export async function announceDemoAccount(runtime: Runtime): Promise<void> {
  if (!(await runtime.store.accounts.findByLoginId(DEMO_LOGIN_ID))) return;
  const lines = [
    '',
    'Demo account (its passwords were printed when it was created):',
    `  ログインID        ${DEMO_LOGIN_ID}`,
    `  New passwords:    ${DEMO_RESET_COMMAND}`,
    runtime.config.devMailbox ? `  Mails (認証コード): ${runtime.config.publicUrl}/dev/mailbox` : '',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/** New login and trading passwords for the demo account, which also lifts a trading-password lock. */
export async function resetDemoPasswords(runtime: Runtime): Promise<{ loginPassword: string; tradingPassword: string }> {
  if (runtime.config.env === 'production') throw new ConfigError('there is no demo account in production');
  const account = await runtime.store.accounts.findByLoginId(DEMO_LOGIN_ID);
  if (!account) throw new ConfigError(`no demo account in this database (${runtime.config.databaseUrl}); it is created by the first start on an empty database`);
  const loginPassword = `demo-${newToken(runtime.ports.random, 9)}`;
  const tradingPassword = `trade-${newToken(runtime.ports.random, 9)}`;
  await runtime.services.accounts.replacePasswords(DEMO_LOGIN_ID, { loginPassword, tradingPassword }, 'system:demo-reset');
  return { loginPassword, tradingPassword };
}
