/**
 * Prometheus metrics (prom-client): what an operator watches at the 09:00 rush and alerts on.
 * Security counters are fed from the audit log's funnel (every security event passes through
 * AuditRepo.append), so a new event type is counted without touching the domain. An event whose
 * transaction later rolls back is still counted: metrics are for rates, the audit log for facts.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AuditEventInput } from '../domain/audit';
import type { OutboxRepo } from '../domain/notifications/repository';
import { RequestLatency } from './request-latency';

/** The login method each failure type belongs to, for `mamori_logins_total{method}`. */
const FAILURES: Record<string, { result: string; method: string }> = {
  'login.code_failed': { result: 'wrong_code', method: 'email_code' },
  'login.totp_failed': { result: 'wrong_totp', method: 'totp' },
  'passkey.failed': { result: 'passkey_refused', method: 'passkey' },
};

export interface Metrics {
  registry: Registry;
  onAudit(e: AuditEventInput): void;
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** Expired rows deleted by this process's purger. */
  rowsPurged(table: string, rows: number): void;
}

export interface MetricSources {
  outbox: OutboxRepo;
  hashQueue: { queueDepth(): number; inFlight(): number; rejected(): number };
  /** Session checks by how they were answered (running totals). */
  sessionChecks?: { readonly cache: number; readonly reread: number; readonly database: number; readonly shared: number };
  now: () => Date;
}

export function createMetrics(sources: MetricSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mamori_' });
  const logins = new Counter({ name: 'mamori_logins_total', help: 'Login attempts by result and method', labelNames: ['result', 'method'], registers: [registry] });
  const codes = new Counter({ name: 'mamori_codes_sent_total', help: 'E-mailed login codes queued', registers: [registry] });
  const lockouts = new Counter({ name: 'mamori_lockouts_total', help: 'Lockouts by kind (login, suspension after the hard cap, trading_password)', labelNames: ['kind'], registers: [registry] });
  const events = new Counter({ name: 'mamori_security_events_total', help: 'Audit events by type', labelNames: ['type'], registers: [registry] });
  let counted = 0;
  new Counter({
    name: 'mamori_overload_rejections_total',
    help: 'Password checks refused at once (503 + Retry-After) because the hash queue was full',
    registers: [registry],
    collect() {
      const now = sources.hashQueue.rejected();
      if (now > counted) this.inc(now - counted);
      counted = now;
    },
  });
  new Counter({
    name: 'mamori_session_checks_total',
    help: 'Session checks of a token by how they were answered: from the in-process cache, by its cached session read again by id once its time was up, by a database read, or by a read already under way',
    labelNames: ['answer'],
    registers: [registry],
    collect() {
      const c = sources.sessionChecks;
      if (!c) return;
      // Running totals kept by the session service; the counter is set to them at each scrape.
      this.reset();
      for (const answer of ['cache', 'reread', 'database', 'shared'] as const) this.inc({ answer }, c[answer]);
    },
  });
  // r17-signals: behaviour signals (docs/operations.md, "Behaviour signals": what to alert on).
  const riskSignals = new Counter({ name: 'mamori_risk_signals_total', help: 'Behaviour signals raised at logins, by signal', labelNames: ['signal'], registers: [registry] });
  const riskDecisions = new Counter({ name: 'mamori_risk_decisions_total', help: 'Logins with a behaviour signal, by the response applied', labelNames: ['action'], registers: [registry] });
  const stuffing = new Counter({ name: 'mamori_credential_stuffing_sources_total', help: 'Addresses or networks that reached the distinct-login-ID limit in a window', labelNames: ['scope'], registers: [registry] });
  const purged = new Counter({ name: 'mamori_rows_purged_total', help: 'Expired rows deleted by the purger, by table', labelNames: ['table'], registers: [registry] });
  const latency = new RequestLatency('mamori_http_request_duration_seconds', 'Request latency by route', [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]);
  // The registry only asks it for its values (request-latency.ts); prom-client's types know its own classes only.
  registry.registerMetric(latency as unknown as Histogram);
  new Gauge({
    name: 'mamori_hash_queue_depth',
    help: 'Password hashes waiting for a slot',
    registers: [registry],
    collect() {
      this.set(sources.hashQueue.queueDepth());
    },
  });
  new Gauge({
    name: 'mamori_hash_in_flight',
    help: 'Password hashes being computed',
    registers: [registry],
    collect() {
      this.set(sources.hashQueue.inFlight());
    },
  });
  // Outbox figures are the database's, shared by every process: read at scrape time.
  let outboxCache: Promise<{ depth: number; oldestCreatedAt: Date | null }> | null = null;
  const outbox = () => (outboxCache ??= sources.outbox.pendingStats().finally(() => setTimeout(() => (outboxCache = null), 1000).unref()));
  new Gauge({
    name: 'mamori_outbox_depth',
    help: 'Mails committed but not yet accepted by the SMTP server',
    registers: [registry],
    async collect() {
      this.set((await outbox().catch(() => ({ depth: NaN }))).depth);
    },
  });
  new Gauge({
    name: 'mamori_outbox_oldest_age_seconds',
    help: 'Age of the oldest unsent mail (0 when none)',
    registers: [registry],
    async collect() {
      const s = await outbox().catch(() => null);
      this.set(s?.oldestCreatedAt ? Math.max(0, (sources.now().getTime() - s.oldestCreatedAt.getTime()) / 1000) : s ? 0 : NaN);
    },
  });

  return {
    registry,
    onAudit(e) {
      events.inc({ type: e.type });
      if (e.type === 'login.succeeded') logins.inc({ result: 'success', method: String(e.detail.method ?? 'unknown') });
      // One result for unknown IDs and wrong passwords (ASVS 5.0 V6.3.8): a metric can leak
      // whether an ID exists; the audit log, which only operators read, keeps the difference.
      else if (e.type === 'login.failed') logins.inc({ result: 'invalid_credentials', method: 'password' });
      else if (e.type === 'login.code_sent') codes.inc();
      else if (e.type === 'login.locked') lockouts.inc({ kind: 'login' });
      else if (e.type === 'login.suspended') lockouts.inc({ kind: 'suspension' });
      else if (e.type === 'trading_password.locked') lockouts.inc({ kind: 'trading_password' });
      else if (e.type === 'login.risk') {
        riskDecisions.inc({ action: String(e.detail.action) });
        for (const signal of Array.isArray(e.detail.signals) ? e.detail.signals : []) riskSignals.inc({ signal: String(signal) });
      } else if (e.type === 'risk.stuffing_source') stuffing.inc({ scope: String(e.detail.scope) });
      const f = FAILURES[e.type];
      if (f && (e.type !== 'passkey.failed' || e.detail.purpose === 'login' || e.detail.purpose === 'second_factor')) logins.inc(f);
    },
    observeRequest(method, route, status, seconds) {
      latency.observe(method, route, status, seconds);
    },
    rowsPurged(table, rows) {
      purged.inc({ table }, rows);
    },
  };
}
