/**
 * Sends what the outbox holds (SPEC 2: a mail server that is down delays mail, never loses it,
 * never breaks login). Rows are leased, so several processes share the work and a crashed
 * process's mails are picked up when its lease runs out: at-least-once delivery.
 */
import type { Clock } from '../domain/ports';
import type { OutboxRepo } from '../domain/notifications/repository';
import type { MailTransport } from './transport';

export interface OutboxWorkerOptions {
  outbox: OutboxRepo;
  transport: MailTransport;
  clock: Clock;
  from: string;
  pollIntervalMs?: number;
  batchSize?: number;
  leaseMs?: number;
  backoff?: (attempt: number) => number;
  onSent?: () => void;
  onFailed?: () => void;
  logger?: { warn(obj: object, msg: string): void };
}

/** 2, 4, 8 … seconds up to 5 minutes, ±20 % so many failed mails do not retry in lockstep. */
/** Matches the SMTP pool's connections (smtp-transport.ts). */
const SEND_CONCURRENCY = 4;

export function defaultBackoff(attempt: number): number {
  const base = Math.min(2 ** attempt * 1000, 300_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<{ sent: number; failed: number }> | null = null;
  private stopped = true;
  private poked = false;

  constructor(private readonly o: OutboxWorkerOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Called after a commit that queued mail: send soon instead of at the next poll. Many pokes coalesce. */
  poke(): void {
    if (this.stopped) return;
    if (this.running) {
      this.poked = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    try {
      await this.runOnce();
    } catch (err) {
      this.o.logger?.warn({ err: (err as Error).message }, 'outbox cycle failed');
    }
    const again = this.poked;
    this.poked = false;
    this.schedule(again ? 0 : (this.o.pollIntervalMs ?? 1000));
  }

  /** One cycle: lease due mails, send each, record the outcome. Never two cycles at once per process. */
  runOnce(): Promise<{ sent: number; failed: number }> {
    if (this.running) return this.running.then(() => this.runOnce());
    this.running = this.cycle().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async cycle(): Promise<{ sent: number; failed: number }> {
    const { outbox, transport, clock } = this.o;
    const now = clock.now();
    const due = await outbox.claimDue(now, new Date(now.getTime() + (this.o.leaseMs ?? 60_000)), this.o.batchSize ?? 20);
    let sent = 0;
    let failed = 0;
    const one = async (mail: (typeof due)[number]) => {
      try {
        await transport.send({ messageId: mail.messageId, from: this.o.from, to: mail.to, subject: mail.subject, text: mail.text });
        await outbox.markSent(mail.id, clock.now());
        sent += 1;
        this.o.onSent?.();
      } catch (err) {
        const message = (err as Error).message ?? String(err);
        const next = new Date(clock.now().getTime() + (this.o.backoff ?? defaultBackoff)(mail.attempts + 1));
        await outbox.markFailed(mail.id, message, next).catch(() => undefined);
        failed += 1;
        this.o.onFailed?.();
        // The body holds codes: log the id and the error only.
        this.o.logger?.warn({ outboxId: mail.id, attempts: mail.attempts + 1, error: message.slice(0, 200) }, 'mail not sent, will retry');
      }
    };
    // As many at once as the SMTP pool has connections: at 09:00 codes must not queue one by one.
    const queue = [...due];
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, queue.length) }, async () => {
      for (let m = queue.shift(); m; m = queue.shift()) await one(m);
    }));
    // A full batch means more are probably waiting: go again at once.
    if (due.length === (this.o.batchSize ?? 20)) this.poked = true;
    return { sent, failed };
  }
}
