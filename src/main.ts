/** Composition root of `mamori serve`: config → store, mailer, services → HTTP server. */
import type { FastifyInstance } from 'fastify';
import type { Config } from './config';
import { newToken } from './crypto/tokens';
import { announceDemoAccount } from './demo-account';
import { DomainError } from './domain/errors';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime';
import { buildApp } from './web/app';
import { startMetricsListener, type MetricsListener } from './web/metrics-listener';

export interface Server {
  runtime: Runtime;
  app: FastifyInstance;
  url: string;
  /** The private support-API listener (SUPPORT_API_LISTEN), when configured. */
  supportApp: FastifyInstance | null;
  supportUrl: string | null;
  /** The private /metrics listener's URL, when METRICS_LISTEN is set. */
  metricsUrl: string | null;
  stop(): Promise<void>;
}

export async function startServer(config: Config, opts: RuntimeOptions & { quiet?: boolean } = {}): Promise<Server> {
  const runtime = await createRuntime(config, opts);
  const app = buildApp({ config, services: runtime.services, logger: runtime.logger, metrics: runtime.metrics });
  if (config.env !== 'production' && !opts.quiet) await ensureDemoAccount(runtime);
  // Before the first login: failures must already last as long as the slowest imported hash.
  await runtime.learnHashKinds();
  const learning = setInterval(() => runtime.learnHashKinds().catch((e) => runtime.logger.warn({ err: e }, 'reading password hash kinds failed')), 60_000);
  learning.unref();
  runtime.worker.start();
  runtime.purger.start();
  await app.listen({ port: config.port, host: config.host });
  let metricsListener: MetricsListener | null = null;
  try {
    if (config.metricsListen) metricsListener = await startMetricsListener(runtime.metrics, config.metricsListen, config.metricsToken);
  } catch (e) {
    await app.close();
    await runtime.close();
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  // The support desk's API listens apart, on a private address: the public listener answers 404.
  let supportApp: FastifyInstance | null = null;
  let supportUrl: string | null = null;
  if (config.supportApiListen) {
    supportApp = buildApp({ config, services: runtime.services, logger: runtime.logger, listener: 'support' });
    await supportApp.listen(config.supportApiListen);
    const a = supportApp.server.address();
    const host = config.supportApiListen.host.includes(':') ? `[${config.supportApiListen.host}]` : config.supportApiListen.host;
    supportUrl = `http://${host}:${typeof a === 'object' && a ? a.port : config.supportApiListen.port}`;
  }
  return {
    runtime,
    app,
    url,
    supportApp,
    supportUrl,
    metricsUrl: metricsListener?.url ?? null,
    async stop() {
      clearInterval(learning);
      await metricsListener?.close();
      await supportApp?.close();
      await app.close();
      await runtime.close();
    },
  };
}

/** Embedded mode: an empty database gets a demo account, printed once so a newcomer can log in. */
async function ensureDemoAccount(runtime: Runtime): Promise<void> {
  if ((await runtime.store.accounts.count()) > 0) return announceDemoAccount(runtime);
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
