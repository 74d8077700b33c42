/** A real Mamori server on a free port, with a real SMTP sink and a fresh database. */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { loadConfig } from '../../src/config';
import type { Clock } from '../../src/domain/ports';
import { startServer, type Server } from '../../src/composition/start-server';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { createTestStore, type TestStore } from './test-store';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  server: Server;
  url: string;
  smtp: SmtpSink;
  db: TestStore;
  codeFor(to: string, after?: number): Promise<string>;
  /** The code of a 「確認コードのお知らせ」 mail (re-authentication for a change to how the customer logs in). */
  confirmationCodeFor(to: string, after?: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestServer(env: Record<string, string> = {}, opts: { clock?: Clock } = {}): Promise<RunningServer> {
  const db = await createTestStore();
  const smtp = await startSmtpSink();
  // A known port, so PUBLIC_URL (and the WebAuthn origin) is exactly what the browser uses.
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_URL: `http://localhost:${port}`,
    HOST: '127.0.0.1',
    MAMORI_SECRET_KEY: randomBytes(32).toString('hex'),
    DATABASE_URL: db.url,
    SMTP_URL: smtp.url,
    LOG_LEVEL: 'silent',
    ARGON2_MEMORY_KIB: '4096',
    ARGON2_ITERATIONS: '1',
    ...env,
  });
  const server = await startServer(config, { store: db.store, quiet: true, workerPollMs: 100, clock: opts.clock });
  const url = server.url.replace('127.0.0.1', 'localhost');
  return {
    server,
    url,
    smtp,
    db,
    codeFor: (to, afterIndex = 0) => takeCode(smtp, to, '認証コード', '認証コード', afterIndex),
    confirmationCodeFor: (to, afterIndex = 0) => takeCode(smtp, to, '確認コードのお知らせ', '確認コード', afterIndex),
    async stop() {
      await server.stop();
      await smtp.stop();
      await db.drop();
    },
  };
}

/** Waits for the mail with this subject (from `afterIndex` on), takes it out of the sink and reads its code. */
async function takeCode(smtp: SmtpSink, to: string, subject: string, label: string, afterIndex: number): Promise<string> {
  const m = await smtp.waitForMail((x) => x.to.includes(to) && x.subject.includes(subject) && smtp.mails.indexOf(x) >= afterIndex, 15_000);
  const code = new RegExp(`${label}: (\\d{6})`).exec(m.text)?.[1];
  if (!code) throw new Error('no code in mail');
  smtp.mails.splice(smtp.mails.indexOf(m), 1);
  return code;
}
