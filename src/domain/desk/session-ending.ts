/** The desk's 「全端末ログアウト」: every live session ends, every recognised browser is forgotten, the customer is mailed. */
import type { Account } from '../accounts/records';
import { recordAudit } from '../audit';
import { deskSessionsEndedMail } from '../notifications/desk-messages';
import { queueToVerified } from '../notifications/outbox';
import type { Ports } from '../ports';
import type { Services } from './services';

export async function endEverySession(ports: Ports, s: Pick<Services, 'sessions' | 'brand'>, account: Account, operator: string, reason: string): Promise<number> {
  const { store, clock, random } = ports;
  const now = clock.now();
  return s.sessions.endAndSpread(account.id, () =>
    store.transaction(async (tx) => {
      // No session has id 0, so "all but 0" is all of them.
      const ended = await s.sessions.endAllBut(tx, account.id, 0);
      await tx.devices.revokeAllForAccount(account.id, now);
      await recordAudit(tx, now, 'session.others_ended', { accountId: account.id, loginId: account.loginId, operator, detail: { ended, by: 'desk', reason, devicesForgotten: true } });
      await queueToVerified(tx, random, now, account.id, deskSessionsEndedMail(s.brand, { name: account.name, at: now, sessions: ended }));
      return ended;
    }),
  );
}
