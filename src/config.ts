/**
 * One typed, validated configuration object, read from the environment once at start.
 * Safe defaults for the embedded mode; production refuses to start with a missing key,
 * a default secret or plain-HTTP cookies (docs/requirements.md R-OPS-1). Every variable is in
 * docs/configuration.md.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { BrandingEnvSchema, parseBranding, type Branding } from './config-branding';
import { deskConfig } from './config-desk';
import { ConfigError, parseKey, parseListen, parseMetricsListen, parseTrustProxy, parseWebauthnOrigins, weakSecretProblems, type TrustProxy } from './config-values';
import type { LoginRules } from './domain/login/login-service';
import type { ThrottleRules } from './domain/login/throttle';
import { RISK_RESPONSES, RISK_SIGNALS, type RiskResponse, type RiskRules, type RiskSignal } from './domain/risk/signals';

export { ConfigError, parseKey, parseMetricsListen, parseTrustProxy, type TrustProxy };

const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(def);
const riskResponse = (def: RiskResponse) => z.enum(RISK_RESPONSES).default(def);

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(3000, 0, 65535),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.string().min(1).default('sqlite:./data/mamori.db'),
  DATABASE_MAX_CONNECTIONS: int(10, 1, 200),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('ぐんぎん証券 <no-reply@mamori.localhost>'),
  MAMORI_SECRET_KEY: z.string().optional(),
  MAMORI_OLD_SECRET_KEYS: z.string().optional(),
  MAMORI_DATA_DIR: z.string().default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BROKER_NAME: z.string().min(1).max(60).default('ぐんぎん証券'),
  SERVICE_NAME: z.string().min(1).max(60).default('ぐんぎん証券オンラインサービス'),
  SUPPORT_PHONE: z.string().min(1).max(40).default('0120-954-171'),
  TRADING_SERVICE_URL: z.url().default('http://localhost:3000/'),
  ADDITIONAL_AUTH_FROM: z.iso.date().default('2025-05-26'),
  LOGIN_CODE_TTL_SECONDS: int(600, 60, 3600),
  LOGIN_CODE_MAX_ATTEMPTS: int(5, 1, 20),
  LOGIN_CODE_RESEND_COOLDOWN_SECONDS: int(60, 0, 3600),
  LOGIN_CODE_MAX_SENDS: int(5, 1, 20),
  LOGIN_FLOW_TTL_SECONDS: int(900, 60, 7200),
  DEVICE_TTL_DAYS: int(90, 1, 400),
  TOTP_ENROLLMENT_TTL_SECONDS: int(900, 60, 3600),
  TOTP_ENROLLMENT_MAX_ATTEMPTS: int(5, 1, 20),
  SESSION_IDLE_MINUTES: int(30, 1, 24 * 60),
  SESSION_CACHE_MS: int(10_000, 0, 60_000),
  SESSION_CACHE_ENTRIES: int(10_000, 100, 1_000_000),
  SESSION_ABSOLUTE_HOURS: int(12, 1, 24 * 7),
  THROTTLE_WINDOW_MINUTES: int(15, 1, 24 * 60),
  THROTTLE_ACCOUNT_SLOWDOWN_AFTER: int(3, 1, 100),
  THROTTLE_ACCOUNT_LOCK_AFTER: int(10, 2, 1000),
  THROTTLE_ACCOUNT_LOCK_MINUTES: int(30, 1, 24 * 60),
  THROTTLE_DEVICE_LOCK_AFTER: int(20, 2, 1000),
  THROTTLE_IP_LOCK_AFTER: int(100, 2, 100000),
  THROTTLE_IP_LOCK_MINUTES: int(15, 1, 24 * 60),
  // NIST SP 800-63B-4 §3.2.2: no more than 100 consecutive failed attempts on one account.
  THROTTLE_ACCOUNT_HARD_LOCK_AFTER: int(100, 10, 100),
  THROTTLE_CHALLENGES_PER_MINUTE: int(60, 5, 10_000),
  ARGON2_MEMORY_KIB: int(19456, 1024, 4 * 1024 * 1024),
  ARGON2_ITERATIONS: int(2, 1, 20),
  ARGON2_PARALLELISM: int(1, 1, 16),
  HASH_THREADS: int(0, 0, 64),
  HASH_MAX_QUEUED: int(64, 0, 100000),
  OUTBOX_LEASE_SECONDS: int(60, 1, 3600),
  DEV_MAILBOX: z.enum(['on', 'off', 'auto']).default('auto'),
  TRUST_PROXY: z.string().default('false'),
  SUPPORT_API_KEYS: z.string().optional(),
  SUPPORT_API_LISTEN: z.string().optional(),
  SUPPORT_API_PUBLIC: z.enum(['true', 'false']).default('false'),
  METRICS_TOKEN: z.string().min(32, 'METRICS_TOKEN must be at least 32 characters').optional(),
  METRICS_LISTEN: z.string().min(1).optional(),
  PURGE_INTERVAL_SECONDS: int(60, 0, 24 * 3600),
  PURGE_BATCH_SIZE: int(500, 1, 10_000),
  // Unset: production defaults to phishing-resistant, other environments to seed (loadConfig).
  PASSKEY_POLICY: z.enum(['seed', 'phishing-resistant']).optional(),
  PASSKEY_RP_NAME: z.string().min(1).max(60).optional(),
  // A JST calendar day, like ADDITIONAL_AUTH_FROM: from 00:00 JST a customer without a passkey must register one.
  PASSKEY_REQUIRED_FROM: z.iso.date().optional(),
  PASSKEY_COOLING_OFF_HOURS: int(24, 0, 24 * 30),
  STEP_UP_MAX_AGE_SECONDS: int(300, 30, 3600),
  // Extra WebAuthn origins accepted besides PUBLIC_URL's (the app: android:apk-key-hash:…, https://app.example).
  WEBAUTHN_ORIGINS: z.string().optional(),
  // The RP ID passkeys are bound to: PUBLIC_URL's host or a registrable parent of it (so the app's domain shares them).
  WEBAUTHN_RP_ID: z.string().min(1).max(253).optional(),
  // what ログインパスワードをお忘れの方 asks beside the login ID (a registered address, or the birth date).
  PASSWORD_RESET_IDENTIFIER: z.enum(['email', 'birth_date']).default('email'),
  // a login right after this many failures since the last success is mailed, whatever the notice setting.
  LOGIN_NOTICE_AFTER_FAILURES: int(3, 1, 100),
  // r17-signals: behaviour signals and their responses (docs/operations.md, "Behaviour signals").
  RISK_NEW_COUNTRY: riskResponse('step_up'),
  RISK_NEW_NETWORK: riskResponse('off'),
  RISK_IMPOSSIBLE_TRAVEL: riskResponse('passkey'),
  RISK_STUFFING_ADDRESS: riskResponse('step_up'),
  RISK_STUFFING_NETWORK: riskResponse('off'),
  RISK_AFTER_FAILURES: riskResponse('off'),
  RISK_UNUSUAL_HOUR: riskResponse('off'),
  RISK_LOOKBACK_DAYS: int(90, 1, 400),
  RISK_TRAVEL_MINUTES: int(120, 1, 24 * 60),
  RISK_STUFFING_ADDRESS_IDS: int(20, 2, 100_000),
  RISK_STUFFING_NETWORK_IDS: int(200, 2, 1_000_000),
  RISK_AFTER_FAILURES_COUNT: int(5, 1, 100),
  // Signals after which the login password must be changed at this login (comma-separated; none by default).
  RISK_CHANGE_PASSWORD: z
    .string()
    .default('')
    .refine((v) => v.split(',').every((s) => !s.trim() || (RISK_SIGNALS as readonly string[]).includes(s.trim())), `must be signal names separated by commas (${RISK_SIGNALS.join(', ')})`),
  // Comma-separated ISO 3166-1 alpha-2 codes (JP); unset: every country.
  ALLOWED_COUNTRIES: z.string().regex(/^\s*[A-Za-z]{2}(\s*,\s*[A-Za-z]{2})*\s*$/, 'must be two-letter country codes separated by commas (JP,US)').optional(),
  // r18-console: the support desk's console at /support/, alone on this private address when set.
  SUPPORT_LISTEN: z.string().optional(),
  // The console's own origin (its passkeys are bound to it); defaults to PUBLIC_URL.
  SUPPORT_PUBLIC_URL: z.url().optional(),
  // r20-oidc: Mamori as an OpenID Connect provider (docs/configuration.md, docs/integration.md).
  OIDC_PROVIDER: z.enum(['on', 'off']).default('off'),
  OIDC_ID_TOKEN_TTL_SECONDS: int(600, 60, 86_400),
  OIDC_ACCESS_TOKEN_TTL_SECONDS: int(600, 60, 86_400),
  OIDC_REFRESH_TOKEN_TTL_SECONDS: int(12 * 3600, 300, 30 * 86_400),
}).extend(BrandingEnvSchema.shape);

export type Env = Record<string, string | undefined>;

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  /** Cookies get Secure and the __Host- prefix; only off for plain-HTTP hosts that are not localhost. */
  secureCookies: boolean;
  /**
   * Which proxy hops in front of Mamori are believed about the client's address (X-Forwarded-For):
   * none (false), addresses/CIDRs of the proxies, a hop count, or — development only — all (true).
   */
  trustProxy: TrustProxy;
  databaseUrl: string;
  databaseMaxConnections: number;
  smtpUrl: string | null;
  mailFrom: string;
  dataDir: string;
  logLevel: string;
  secretKey: { id: string; key: Buffer };
  oldSecretKeys: { id: string; key: Buffer }[];
  devMailbox: boolean;
  brand: { brokerName: string; serviceName: string; supportPhone: string; tradingServiceUrl: string };
  /** Colours, logo, footer and help links of the screens (src/config-branding.ts). */
  branding: Branding;
  login: LoginRules;
  /**
   * WebAuthn relying party: the RP ID (PUBLIC_URL's host, or WEBAUTHN_RP_ID) and the origins an
   * assertion may come from (PUBLIC_URL's first, then WEBAUTHN_ORIGINS for the app).
   */
  relyingParty: { id: string; name: string; origin: string; origins: string[] };
  /** The phishing-resistant migration: the date passkeys become mandatory, cooling-off of a new passkey, step-up lifetime. */
  passkeys: { requiredFrom: Date | null; coolingOffHours: number; stepUpMaxAgeSeconds: number };
  /** the second identifier of a forgotten-password reset (and of the forgotten-ID page when `birth_date`). */
  passwordReset: { identifier: 'email' | 'birth_date' };
  device: { ttlDays: number };
  totp: { enrollmentTtlSeconds: number; maxAttempts: number };
  session: { idleMinutes: number; absoluteHours: number; cacheMs: number; cacheEntries: number };
  throttle: ThrottleRules;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  hashQueue: { threads: number; maxQueued: number };
  /** How long a process holds mails it is sending; a crashed process's mails go out after this. */
  outboxLeaseSeconds: number;
  /** The private listener that alone serves the support API (host, port), or null. */
  supportApiListen: { host: string; port: number } | null;
  /** Non-production only: the support API also on the public listener (tests, local tools). */
  supportApiPublic: boolean;
  /** When set, /metrics asks for `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /** When set, /metrics is served only on this private address (a second listener), never on the main one. */
  metricsListen: { host: string; port: number } | null;
  /** Expired rows are deleted every `intervalMs` (jittered; 0 = never), `batchSize` rows per statement. */
  purge: { intervalMs: number; batchSize: number };
  /** the mandatory login notices (LOGIN_NOTICE_AFTER_FAILURES). */
  loginNotices: { afterFailures: number };
  /** r17-signals: behaviour signals, their responses and thresholds (RISK_*, ALLOWED_COUNTRIES). */
  risk: RiskRules;
  /** r18-console: the desk's console (its own listener, origin and passkey relying party). */
  desk: { listen: { host: string; port: number } | null; publicUrl: string; relyingParty: { id: string; name: string; origin: string } };
  // r20-oidc
  /** The OpenID Connect provider: whether it is mounted, and its tokens' lifetimes in seconds. */
  oidc: { enabled: boolean; idTokenTtl: number; accessTokenTtl: number; refreshTokenTtl: number };
}

const DOCUMENTED_KEYS = new Set(['0000000000000000000000000000000000000000000000000000000000000000']);

function loadOrCreateEmbeddedKey(dataDir: string): string {
  const file = resolve(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8');
  mkdirSync(dirname(file), { recursive: true });
  const hex = randomBytes(32).toString('hex');
  writeFileSync(file, hex + '\n', { mode: 0o600 });
  return hex;
}

export function loadConfig(env: Env = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const url = new URL(publicUrl);
  const localHost = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

  const problems: string[] = [];
  if (production) {
    if (!e.MAMORI_SECRET_KEY) problems.push('MAMORI_SECRET_KEY is required in production');
    else if (DOCUMENTED_KEYS.has(e.MAMORI_SECRET_KEY.trim())) problems.push('MAMORI_SECRET_KEY is the example from the documentation; generate your own');
    if (!e.PUBLIC_URL) problems.push('PUBLIC_URL is required in production');
    else if (url.protocol !== 'https:') problems.push('PUBLIC_URL must be https:// in production (cookies are Secure)');
    if (!e.SMTP_URL) problems.push('SMTP_URL is required in production');
    if (e.DEV_MAILBOX === 'on') problems.push('DEV_MAILBOX=on is not allowed in production');
    // Open metrics tell an attacker how a stuffing run goes (ASVS 5.0 V13.4: no unprotected
    // monitoring endpoints): a token, or a listener only the private network reaches.
    if (!e.METRICS_TOKEN && !e.METRICS_LISTEN) problems.push('METRICS_TOKEN (openssl rand -hex 32) or METRICS_LISTEN (a private address such as 10.0.0.5:9464) is required in production');
    problems.push(...weakSecretProblems(e));
  }
  const metricsListen = e.METRICS_LISTEN ? parseMetricsListen(e.METRICS_LISTEN) : null;
  if (typeof metricsListen === 'string') problems.push(metricsListen);
  if (!production && url.protocol === 'http:' && !localHost) {
    problems.push('PUBLIC_URL uses plain http on a host that is not localhost; browsers would drop the Secure cookies');
  }
  if (production && e.SUPPORT_API_PUBLIC === 'true') {
    problems.push('SUPPORT_API_PUBLIC=true is not allowed in production; serve the support API on SUPPORT_API_LISTEN (a private address)');
  }
  const rpId = (e.WEBAUTHN_RP_ID ?? url.hostname).toLowerCase();
  if (rpId !== url.hostname && !url.hostname.endsWith(`.${rpId}`)) problems.push(`WEBAUTHN_RP_ID must be PUBLIC_URL's host (${url.hostname}) or a parent domain of it`);
  const extraOrigins = parseWebauthnOrigins(e.WEBAUTHN_ORIGINS ?? '', problems);
  if (e.PASSKEY_REQUIRED_FROM && (e.PASSKEY_POLICY ?? (production ? 'phishing-resistant' : 'seed')) !== 'phishing-resistant') {
    problems.push('PASSKEY_REQUIRED_FROM needs PASSKEY_POLICY=phishing-resistant');
  }
  const { branding, problems: brandingProblems } = parseBranding(e, { brokerName: e.BROKER_NAME, serviceName: e.SERVICE_NAME, supportPhone: e.SUPPORT_PHONE });
  problems.push(...brandingProblems);
  if (problems.length) throw new ConfigError(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);

  const secretText = e.MAMORI_SECRET_KEY ?? loadOrCreateEmbeddedKey(e.MAMORI_DATA_DIR);
  const secretKey = parseKey(secretText, 'MAMORI_SECRET_KEY');
  const oldSecretKeys = (e.MAMORI_OLD_SECRET_KEYS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s, i) => parseKey(s, `MAMORI_OLD_SECRET_KEYS[${i}]`));

  // Support-API keys belong to operator records now (roles, four-eyes, revocation, a disabled
  // operator refused at once): a key from the environment would have none of that, so the old
  // variable is refused rather than silently ignored.
  if (e.SUPPORT_API_KEYS !== undefined) {
    throw new ConfigError('SUPPORT_API_KEYS is no longer read: support-API keys belong to operators. Remove it and create a key per operator with: npx mamori operators api-keys add NAME [--label L]');
  }

  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    secureCookies: true,
    trustProxy: parseTrustProxy(e.TRUST_PROXY, production),
    databaseUrl: e.DATABASE_URL,
    databaseMaxConnections: e.DATABASE_MAX_CONNECTIONS,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    dataDir: e.MAMORI_DATA_DIR,
    logLevel: e.LOG_LEVEL,
    secretKey,
    oldSecretKeys,
    devMailbox: e.DEV_MAILBOX === 'on' || (e.DEV_MAILBOX === 'auto' && !production && !e.SMTP_URL),
    brand: { brokerName: e.BROKER_NAME, serviceName: e.SERVICE_NAME, supportPhone: e.SUPPORT_PHONE, tradingServiceUrl: e.TRADING_SERVICE_URL },
    branding,
    login: {
      // The notice's date is a JST calendar day: additional authentication starts at 00:00 JST.
      additionalAuthFrom: new Date(`${e.ADDITIONAL_AUTH_FROM}T00:00:00+09:00`),
      codeTtlSeconds: e.LOGIN_CODE_TTL_SECONDS,
      codeMaxAttempts: e.LOGIN_CODE_MAX_ATTEMPTS,
      codeResendCooldownSeconds: e.LOGIN_CODE_RESEND_COOLDOWN_SECONDS,
      codeMaxSends: e.LOGIN_CODE_MAX_SENDS,
      flowTtlSeconds: e.LOGIN_FLOW_TTL_SECONDS,
      passkeyPolicy: e.PASSKEY_POLICY ?? (production ? 'phishing-resistant' : 'seed'),
    },
    relyingParty: { id: rpId, name: e.PASSKEY_RP_NAME ?? e.BROKER_NAME, origin: url.origin, origins: [url.origin, ...extraOrigins] },
    passkeys: {
      requiredFrom: e.PASSKEY_REQUIRED_FROM ? new Date(`${e.PASSKEY_REQUIRED_FROM}T00:00:00+09:00`) : null,
      coolingOffHours: e.PASSKEY_COOLING_OFF_HOURS,
      stepUpMaxAgeSeconds: e.STEP_UP_MAX_AGE_SECONDS,
    },
    passwordReset: { identifier: e.PASSWORD_RESET_IDENTIFIER },
    device: { ttlDays: e.DEVICE_TTL_DAYS },
    totp: { enrollmentTtlSeconds: e.TOTP_ENROLLMENT_TTL_SECONDS, maxAttempts: e.TOTP_ENROLLMENT_MAX_ATTEMPTS },
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS, cacheMs: e.SESSION_CACHE_MS, cacheEntries: e.SESSION_CACHE_ENTRIES },
    throttle: {
      windowMinutes: e.THROTTLE_WINDOW_MINUTES,
      accountSlowdownAfter: e.THROTTLE_ACCOUNT_SLOWDOWN_AFTER,
      accountLockAfter: e.THROTTLE_ACCOUNT_LOCK_AFTER,
      accountLockMinutes: e.THROTTLE_ACCOUNT_LOCK_MINUTES,
      deviceLockAfter: e.THROTTLE_DEVICE_LOCK_AFTER,
      ipLockAfter: e.THROTTLE_IP_LOCK_AFTER,
      ipLockMinutes: e.THROTTLE_IP_LOCK_MINUTES,
      accountHardLockAfter: e.THROTTLE_ACCOUNT_HARD_LOCK_AFTER,
      challengesPerMinute: e.THROTTLE_CHALLENGES_PER_MINUTE,
    },
    argon2: { memoryCost: e.ARGON2_MEMORY_KIB, timeCost: e.ARGON2_ITERATIONS, parallelism: e.ARGON2_PARALLELISM },
    hashQueue: { threads: e.HASH_THREADS, maxQueued: e.HASH_MAX_QUEUED },
    outboxLeaseSeconds: e.OUTBOX_LEASE_SECONDS,
    supportApiListen: e.SUPPORT_API_LISTEN ? parseListen(e.SUPPORT_API_LISTEN) : null,
    supportApiPublic: e.SUPPORT_API_PUBLIC === 'true',
    metricsToken: e.METRICS_TOKEN ?? null,
    metricsListen: typeof metricsListen === 'object' ? metricsListen : null,
    purge: { intervalMs: e.PURGE_INTERVAL_SECONDS * 1000, batchSize: e.PURGE_BATCH_SIZE },
    loginNotices: { afterFailures: e.LOGIN_NOTICE_AFTER_FAILURES },
    // r17-signals
    risk: {
      responses: {
        new_country: e.RISK_NEW_COUNTRY,
        new_network: e.RISK_NEW_NETWORK,
        impossible_travel: e.RISK_IMPOSSIBLE_TRAVEL,
        stuffing_address: e.RISK_STUFFING_ADDRESS,
        stuffing_network: e.RISK_STUFFING_NETWORK,
        after_failures: e.RISK_AFTER_FAILURES,
        unusual_hour: e.RISK_UNUSUAL_HOUR,
      },
      lookbackDays: e.RISK_LOOKBACK_DAYS,
      travelMinutes: e.RISK_TRAVEL_MINUTES,
      stuffingPerAddress: e.RISK_STUFFING_ADDRESS_IDS,
      stuffingPerNetwork: e.RISK_STUFFING_NETWORK_IDS,
      afterFailures: e.RISK_AFTER_FAILURES_COUNT,
      changePasswordOn: e.RISK_CHANGE_PASSWORD.split(',').map((s) => s.trim()).filter(Boolean) as RiskSignal[],
      allowedCountries: e.ALLOWED_COUNTRIES ? e.ALLOWED_COUNTRIES.split(',').map((c) => c.trim().toUpperCase()) : null,
    },
    desk: deskConfig(e, publicUrl),
    // r20-oidc
    oidc: { enabled: e.OIDC_PROVIDER === 'on', idTokenTtl: e.OIDC_ID_TOKEN_TTL_SECONDS, accessTokenTtl: e.OIDC_ACCESS_TOKEN_TTL_SECONDS, refreshTokenTtl: e.OIDC_REFRESH_TOKEN_TTL_SECONDS },
  };
}

