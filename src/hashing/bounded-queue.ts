import { Overloaded } from '../domain/errors';

/**
 * At most `maxConcurrent` jobs run, at most `maxQueued` wait; one more is refused at once with
 * Overloaded (503 + Retry-After). At the 09:00 rush this keeps memory and latency bounded instead
 * of letting argon2 work pile up without end.
 */
export class BoundedQueue {
  private running = 0;
  /** Jobs refused because the queue was full, since start (for the overload metric). */
  rejected = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly maxConcurrent: number,
    private readonly maxQueued: number,
    private readonly retryAfterSeconds: number,
  ) {}

  get depth(): number {
    return this.waiting.length;
  }

  get inFlight(): number {
    return this.running;
  }

  /** Refuses now if a job submitted now would be refused: callers shed load before their own work. */
  assertRoom(): void {
    if (this.running >= this.maxConcurrent && this.waiting.length >= this.maxQueued) {
      this.rejected += 1;
      throw new Overloaded(this.retryAfterSeconds);
    }
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) {
      if (this.waiting.length >= this.maxQueued) {
        this.rejected += 1;
        throw new Overloaded(this.retryAfterSeconds);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      // Hand the slot straight to the next job, so `running` never exceeds the limit.
      if (next) next();
      else this.running -= 1;
    }
  }
}
