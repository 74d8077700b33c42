import type { Clock } from '../../src/domain/ports';

/** A clock that stands still until a test moves it: expiries and TOTP steps without sleeping. */
export class FakeClock implements Clock {
  private t: number;
  constructor(start: Date | string = '2026-06-01T00:00:00Z') {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(d: Date | string): void {
    this.t = new Date(d).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
