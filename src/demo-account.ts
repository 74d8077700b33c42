/**
 * The embedded mode's demo account (login ID `demo`), after its first start: later starts say it
 * is there and how to get new passwords, since the generated ones were printed only once and are
 * stored only as hashes; `mamori demo reset` (npm run demo:reset) gives it new ones. Never in
 * production: there is no demo account there.
 */
import { ConfigError } from './config';
import { newToken } from './crypto/tokens';
import type { Runtime } from './runtime';

export const DEMO_LOGIN_ID = 'demo';
export const DEMO_RESET_COMMAND = 'npm run demo:reset   (or: npx mamori demo reset)';

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
  const now = runtime.ports.clock.now();
  const [loginHash, tradingHash] = await Promise.all([runtime.ports.passwords.hash(loginPassword), runtime.ports.passwords.hash(tradingPassword)]);
  await runtime.store.accounts.updateLoginPasswordHash(account.id, loginHash, now);
  await runtime.store.accounts.updateTradingPasswordHash(account.id, tradingHash, now);
  await runtime.store.accounts.unlockTradingPassword(account.id);
  return { loginPassword, tradingPassword };
}
