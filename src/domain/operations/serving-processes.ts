/**
 * The serving processes on one database and the keys each holds, so that `mamori keys rotate`
 * knows who would be left unable to read the secrets it re-encrypts. Each `mamori serve` records
 * a heartbeat row (process id, host, start, the ids of the keys in its ring) and refreshes it; a
 * row not refreshed for LIVE_FOR_MS belongs to a process that is gone (crashed, killed). Key ids
 * are the short hash that every sealed secret already carries (`v1.<keyId>.…`), never a key.
 */
import type { Clock, Store } from '../ports';

export const HEARTBEAT_EVERY_MS = 15_000;
/** Four missed heartbeats: a process this quiet is not serving. */
export const LIVE_FOR_MS = 4 * HEARTBEAT_EVERY_MS;
/** The rows of processes that died without saying so are dropped by the living after a day. */
const FORGET_AFTER_MS = 86_400_000;

export interface ServingProcess {
  id: string;
  pid: number;
  host: string;
  startedAt: Date;
  seenAt: Date;
  /** The current key first, then the old keys it still reads. */
  keyIds: string[];
}

export interface ProcessHeartbeatRepo {
  /** Inserts the row, or refreshes its `seenAt` and keys. */
  beat(p: ServingProcess): Promise<void>;
  remove(id: string): Promise<void>;
  removeSeenBefore(before: Date): Promise<void>;
  listSeenSince(since: Date): Promise<ServingProcess[]>;
}

export class ServingProcesses {
  constructor(private readonly ports: { store: Store; clock: Clock }) {}

  async beat(self: Omit<ServingProcess, 'seenAt'>): Promise<void> {
    const now = this.ports.clock.now();
    await this.ports.store.processHeartbeats.beat({ ...self, seenAt: now });
    await this.ports.store.processHeartbeats.removeSeenBefore(new Date(now.getTime() - FORGET_AFTER_MS));
  }

  leave(id: string): Promise<void> {
    return this.ports.store.processHeartbeats.remove(id);
  }

  /** The live processes that cannot read what is sealed under `keyId`: those to restart before (or after) a rotation to it. */
  async withoutKey(keyId: string): Promise<ServingProcess[]> {
    const live = await this.ports.store.processHeartbeats.listSeenSince(new Date(this.ports.clock.now().getTime() - LIVE_FOR_MS));
    return live.filter((p) => !p.keyIds.includes(keyId));
  }
}
