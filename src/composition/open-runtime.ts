/**
 * Opens everything a Mamori process runs on, for `mamori serve`, the other CLI commands and the
 * integration tests alike: configuration in; the migrated store, the ports (clock, randomness,
 * hashing, keys), the services, the mail worker and the purger out. Nothing is started here:
 * start-server.ts starts the timers and listeners, a CLI command only uses the services.
 */
import type { Logger } from 'pino';
import type { Config } from '../config';
import { createKeyedHasher } from '../crypto/keyed-hash';
import { deriveKey } from '../crypto/derive-key';
import { cryptoRandom } from '../crypto/random';
import { createSecretBox } from '../crypto/secret-box';
import type { Clock, Ports } from '../domain/ports';
import { DEFAULT_PURGE_RULES, Purger } from '../domain/maintenance/purger';
import { createPasswordHasher, passwordHasherOptions } from '../hashing/password-hasher';
import { createDevMailboxTransport } from '../mail/dev-mailbox-transport';
import { OutboxWorker } from '../mail/outbox-worker';
import { createSmtpTransport } from '../mail/smtp-transport';
import type { MailTransport } from '../mail/transport';
import { createMetrics, type Metrics } from '../observability/metrics';
import type { KyselyStore } from '../store/kysely-store';
import { openStore } from '../store/open';
import { buildServices, type Services } from './build-services';
import { createLogger } from './create-logger';

export const systemClock: Clock = { now: () => new Date() };

export interface Runtime {
  config: Config;
  store: KyselyStore;
  ports: Ports;
  services: Services;
  worker: OutboxWorker;
  transport: MailTransport;
  logger: Logger;
  passwords: ReturnType<typeof createPasswordHasher>;
  secretBox: ReturnType<typeof createSecretBox>;
  metrics: Metrics;
  /** Deletes expired rows; `mamori serve` starts its timer, tests call `runOnce`. */
  purger: Purger;
  /**
   * Times every kind of password hash recorded in the database (imports made by any process), so
   * failed verifications last as long as the slowest (hashing/password-hasher.ts). `mamori serve` calls
   * it at start and every minute.
   */
  learnHashKinds(): Promise<void>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  clock?: Clock;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
  store?: KyselyStore;
  transport?: MailTransport;
  workerPollMs?: number;
  /** A CLI command: no background threads it would have to start and stop (SQLite's checkpointer). */
  shortLived?: boolean;
}

export async function openRuntime(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  const logger = opts.logger ?? createLogger(config);
  const clock = opts.clock ?? systemClock;
  const store = opts.store ?? openStore(config.databaseUrl, { maxConnections: config.databaseMaxConnections, shortLived: opts.shortLived });
  await store.migrate();

  const keys = [config.secretKey, ...config.oldSecretKeys].map((k) => ({ id: k.id, key: deriveKey(k.key, 'totp-secret') }));
  const secrets = createSecretBox(keys, config.secretKey.id);
  const passwords = createPasswordHasher(passwordHasherOptions(config));
  const transport =
    opts.transport ?? (config.smtpUrl ? createSmtpTransport(config.smtpUrl) : createDevMailboxTransport(store.devMailbox, clock));
  const worker = new OutboxWorker({ outbox: store.outbox, transport, clock, from: config.mailFrom, pollIntervalMs: opts.workerPollMs, leaseMs: config.outboxLeaseSeconds * 1000, logger });
  const ports: Ports = {
    store,
    clock,
    random: cryptoRandom,
    passwords,
    keyed: createKeyedHasher(config.secretKey.key),
    secrets,
  };
  // Mail committed to the outbox is sent at once, not at the worker's next poll (the store knows when).
  store.onMailQueued(() => worker.poke());
  const services = buildServices(ports, config, { sleep: opts.sleep });
  const metrics = createMetrics({ outbox: store.outbox, hashQueue: passwords, sessionChecks: services.sessions.answered, now: () => clock.now() });
  store.observeAudit((e) => metrics.onAudit(e));
  const purger = new Purger(
    { store, clock, onPurged: (table, rows) => metrics.rowsPurged(table, rows), onError: (e) => logger.warn({ err: e }, 'purging expired rows failed; next pass retries') },
    { ...DEFAULT_PURGE_RULES, intervalMs: config.purge.intervalMs, batchSize: config.purge.batchSize, throttleWindowMs: config.throttle.windowMinutes * 60_000 },
  );
  return {
    config,
    store,
    ports,
    services,
    worker,
    transport,
    logger,
    passwords,
    secretBox: secrets,
    metrics,
    purger,
    async learnHashKinds() {
      const kinds = await store.passwordHashKinds.list();
      if (kinds.length === 0) return;
      for (const k of kinds) await passwords.learn(k.example);
    },
    async close() {
      await purger.stop();
      await services.sessions.close();
      await passwords.close();
      await worker.stop();
      await transport.close();
      await store.close();
    },
  };
}
