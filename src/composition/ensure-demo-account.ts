import { newToken } from '../crypto/tokens';
import { DomainError } from '../domain/errors';
import type { Runtime } from './open-runtime';

/** Embedded mode: an empty database gets a demo account, printed once so a newcomer can log in. */
export async function ensureDemoAccount(runtime: Runtime): Promise<void> {
  if ((await runtime.store.accounts.count()) > 0) return;
  const loginPassword = `demo-${newToken(runtime.ports.random, 9)}`;
  const tradingPassword = `trade-${newToken(runtime.ports.random, 9)}`;
  try {
    await runtime.services.accounts.create(
      { loginId: 'demo', name: '群馬 五郎', emails: ['jimu.gunma@example.com'], loginPassword, tradingPassword },
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
    `  ログインID        demo`,
    `  ログインパスワード  ${loginPassword}`,
    `  取引パスワード      ${tradingPassword}`,
    runtime.config.devMailbox ? `  Mails (認証コード): ${runtime.config.publicUrl}/dev/mailbox` : '',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
