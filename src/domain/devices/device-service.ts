/**
 * Recognised devices (SPEC 2): a random token in a long-lived HttpOnly cookie, stored hashed with
 * the account, set only after a successful additional authentication, expiring after a period
 * unused, revocable, all revoked on a password change. Deliberately not a fingerprint: nothing
 * about the browser is inferred, so nothing can be spoofed or leaked.
 */
import { newToken } from '../../crypto/tokens';
import type { RequestContext } from '../context';
import type { Clock, KeyedHasher, Random } from '../ports';
import type { RecognizedDevice } from './records';
import type { Store, StoreTx } from '../store';

export interface IssuedDevice {
  token: string;
  deviceId: number;
}

export class DeviceService {
  constructor(
    private readonly deps: { store: Store; clock: Clock; random: Random; keyed: KeyedHasher },
    private readonly rules: { ttlDays: number },
  ) {}

  private expiry(from: Date): Date {
    return new Date(from.getTime() + this.rules.ttlDays * 86_400_000);
  }

  /** The device for this token if it is live; undefined for unknown, revoked or expired tokens. */
  async findLive(token: string | null | undefined): Promise<RecognizedDevice | undefined> {
    if (!token || token.length > 128) return undefined;
    const device = await this.deps.store.devices.findByTokenHash(this.deps.keyed.hash('device', token));
    if (!device || device.revokedAt || device.expiresAt <= this.deps.clock.now()) return undefined;
    return device;
  }

  async recognize(tx: StoreTx, accountId: number, ctx: RequestContext): Promise<IssuedDevice> {
    const now = this.deps.clock.now();
    const token = newToken(this.deps.random);
    const device = await tx.devices.insert({
      accountId,
      tokenHash: this.deps.keyed.hash('device', token),
      userAgent: ctx.userAgent.slice(0, 512),
      ip: ctx.ip,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: this.expiry(now),
      revokedAt: null,
    });
    return { token, deviceId: device.id };
  }

  /** Using a device restarts its unused-period clock. */
  async touch(tx: StoreTx, deviceId: number): Promise<void> {
    const now = this.deps.clock.now();
    await tx.devices.touch(deviceId, now, this.expiry(now));
  }
}
