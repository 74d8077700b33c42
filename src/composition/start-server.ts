/**
 * Starts what `mamori serve` runs: the runtime (open-runtime.ts), the mail worker, the purger, the
 * timing of password-hash kinds, the public HTTP listener and the private support-API and metrics
 * listeners when configured. The integration tests start servers through it too.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config';
import { HEARTBEAT_EVERY_MS } from '../domain/operations/serving-processes';
import { buildApp } from '../web/app';
import { buildDeskApp } from '../web/desk-app';
import { startMetricsListener, type MetricsListener } from '../web/metrics-listener';
import { ensureDemoAccount } from './demo-account';
import { openRuntime, type Runtime, type RuntimeOptions } from './open-runtime';

export interface Server {
  runtime: Runtime;
  app: FastifyInstance;
  url: string;
  /** The private support-API listener (SUPPORT_API_LISTEN), when configured. */
  supportApp: FastifyInstance | null;
  supportUrl: string | null;
  /** The desk console's own listener (SUPPORT_LISTEN), when configured. */
  deskUrl: string | null;
  /** The private /metrics listener's URL, when METRICS_LISTEN is set. */
  metricsUrl: string | null;
  stop(): Promise<void>;
}

export async function startServer(config: Config, opts: RuntimeOptions & { quiet?: boolean } = {}): Promise<Server> {
  const runtime = await openRuntime(config, opts);
  warnOfWeakPasskeyPolicy(config, runtime);
  const app = buildApp({ config, services: runtime.services, logger: runtime.logger, metrics: runtime.metrics });
  if (config.env !== 'production' && !opts.quiet) await ensureDemoAccount(runtime);
  runtime.passwords.start();
  // Before the first login: failures must already last as long as the slowest imported hash.
  await runtime.learnHashKinds();
  const learning = setInterval(() => runtime.learnHashKinds().catch((e) => runtime.logger.warn({ err: e }, 'reading password hash kinds failed')), 60_000);
  learning.unref();
  runtime.worker.start();
  runtime.purger.start();
  const heartbeat = await startHeartbeat(config, runtime);
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
  const deskApp = config.desk.listen ? buildDeskApp({ config, services: runtime.services, logger: runtime.logger }) : null;
  if (deskApp && config.desk.listen) await deskApp.listen(config.desk.listen);
  const deskAddress = deskApp?.server.address();
  const deskUrl = deskApp && config.desk.listen ? `http://${config.desk.listen.host}:${typeof deskAddress === 'object' && deskAddress ? deskAddress.port : config.desk.listen.port}` : null;
  return {
    runtime,
    app,
    url,
    deskUrl,
    supportApp,
    supportUrl,
    metricsUrl: metricsListener?.url ?? null,
    async stop() {
      clearInterval(learning);
      await heartbeat.stop();
      await metricsListener?.close();
      await supportApp?.close();
      await deskApp?.close();
      await app.close();
      await runtime.close();
    },
  };
}

/**
 * Says on the database, every HEARTBEAT_EVERY_MS, that this process serves and which keys it holds:
 * `mamori keys rotate` refuses while a live process lacks the new key (domain/operations/serving-processes.ts).
 */
async function startHeartbeat(config: Config, runtime: Runtime): Promise<{ stop(): Promise<void> }> {
  const processes = runtime.services.servingProcesses;
  const self = { id: randomBytes(12).toString('hex'), pid: process.pid, host: hostname(), startedAt: runtime.ports.clock.now(), keyIds: [config.secretKey.id, ...config.oldSecretKeys.map((k) => k.id)] };
  const beat = () => processes.beat(self).catch((e) => runtime.logger.warn({ err: e }, 'recording the heartbeat failed; next beat retries'));
  // Before the first request: a rotation started from now on sees this process.
  await beat();
  const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await processes.leave(self.id).catch(() => undefined);
    },
  };
}

/**
 * The FSA/JSDA 2025 rules ask for phishing-resistant login by default: a production server that
 * was set back to `seed` says so at every start, as does a date that the `seed` policy ignores.
 */
function warnOfWeakPasskeyPolicy(config: Config, runtime: Runtime): void {
  if (config.login.passkeyPolicy !== 'seed') return;
  if (config.env === 'production') {
    runtime.logger.warn('PASSKEY_POLICY=seed in production: customers may log in with e-mailed codes and TOTP, which real-time phishing defeats; the FSA/JSDA 2025 rules ask for phishing-resistant by default (docs/configuration.md)');
  }
  if (config.passkeys.requiredFrom) runtime.logger.warn('PASSKEY_REQUIRED_FROM is set but PASSKEY_POLICY=seed: the date has no effect until the policy is phishing-resistant');
}
