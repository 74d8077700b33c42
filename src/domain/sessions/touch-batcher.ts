/**
 * Sliding idle expiry, written in batches. At 09:00 most sessions were last seen more than a
 * minute ago, so the first check of each one moves its idle expiry: written one by one, a
 * quarter of all checks were write transactions (measured in bench/, docs/performance.md).
 * Here they wait up to `intervalMs` and are written together, in one statement.
 *
 * This process reads its own pending touches (`pending`), so for it nothing changes. Another
 * process sees a touch up to `intervalMs` late, and a crash loses at most that much: either way
 * a session can only end up to that much earlier than it would have, never later — the safe side
 * of an idle timeout (OWASP ASVS 3.3).
 */
export interface Touch {
  lastSeenAt: Date;
  idleExpiresAt: Date;
}

export class TouchBatcher {
  private queued = new Map<number, Touch>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> | null = null;
  /** Batches taken but not yet committed, oldest first: still pending for readers. */
  private readonly unwritten: Map<number, Touch>[] = [];

  constructor(
    private readonly write: (touches: Map<number, Touch>) => Promise<void>,
    private readonly intervalMs = 1000,
    // SQLite writes synchronously, on the event loop: on a million-session file a 500-row batch
    // held it for 7–19 ms (random pages), a 100-row batch for 1.1–1.4 ms (measured; docs/performance.md).
    private readonly maxBatch = 100,
  ) {}

  add(sessionId: number, touch: Touch): void {
    this.queued.set(sessionId, touch);
    if (this.queued.size >= this.maxBatch) void this.flush();
    else this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.intervalMs);
    this.timer.unref?.();
  }

  pending(sessionId: number): Touch | undefined {
    const t = this.queued.get(sessionId);
    if (t) return t;
    for (let i = this.unwritten.length - 1; i >= 0; i--) {
      const u = this.unwritten[i]!.get(sessionId);
      if (u) return u;
    }
    return undefined;
  }

  /** Writes what is queued now (after any write under way); resolves when it is written or queued again. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.queued.size === 0) return this.flushing ?? Promise.resolve();
    // The batch is taken now, synchronously: touches added from here on go into the next one.
    const batch = this.queued;
    this.queued = new Map();
    const previous = this.flushing;
    this.unwritten.push(batch);
    const run = (async () => {
      await previous;
      try {
        await this.write(batch);
      } catch {
        // The database is unreachable: keep the touches (newer ones win) and try again later.
        // A batch taken after this one holds newer touches: never put an older one after it.
        for (const [id, t] of batch) if (!this.queued.has(id) && !this.unwritten.some((u) => u !== batch && u.has(id))) this.queued.set(id, t);
        if (this.queued.size > 0) this.schedule();
      } finally {
        this.unwritten.splice(this.unwritten.indexOf(batch), 1);
        if (this.unwritten.length === 0) this.flushing = null;
      }
    })();
    this.flushing = run;
    return run;
  }

  /** Shutdown: write what is left, once. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flushing;
    if (this.queued.size === 0) return;
    const batch = this.queued;
    this.queued = new Map();
    await this.write(batch).catch(() => undefined);
  }
}
