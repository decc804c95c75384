// What every service gets injected: the database, the clock, the id generator, the event bus
// and who is calling. Tests pin the clock (e.g. to a DST night) and get the same answer each run.
import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../store/database.ts';
import type { ChangeEvent, Role } from '../api/types.ts';

export interface Caller {
  userId: string | null;
  username: string;
  displayName: string;
  roles: readonly Role[];
  workstation: string;
}

export interface ChangeBus {
  emit(event: ChangeEvent): void;
  subscribe(listener: (event: ChangeEvent) => void): () => void;
}

export interface ServiceContext {
  db: Db;
  now: () => number;
  newId: () => string;
  events: ChangeBus;
}

export function createChangeBus(): ChangeBus {
  const listeners = new Set<(event: ChangeEvent) => void>();
  return {
    emit(event) {
      for (const l of listeners) l(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function createContext(db: Db, overrides: Partial<Omit<ServiceContext, 'db'>> = {}): ServiceContext {
  return {
    db,
    now: overrides.now ?? (() => Date.now()),
    newId: overrides.newId ?? newUuidV7,
    events: overrides.events ?? createChangeBus(),
  };
}

/**
 * UUIDv7 ids, monotonic within a millisecond by uuid's own rule (a random 32-bit counter start,
 * then +1), with the random bytes drawn from a 64 KiB pool: template expansion creates ~350k ids
 * at once, and uuid's default 256-byte pool costs a system call every 16 ids.
 */
const newUuidV7 = (() => {
  const pool = new Uint8Array(65_536);
  let at = pool.length;
  let msecs = -Infinity;
  let seq = 0;
  return (): string => {
    if (at + 16 > pool.length) {
      randomFillSync(pool);
      at = 0;
    }
    const random = pool.subarray(at, (at += 16));
    const now = Date.now();
    if (now > msecs) {
      msecs = now;
      seq = ((random[6]! << 23) | (random[7]! << 16) | (random[8]! << 8) | random[9]!) >>> 0;
    } else {
      seq = (seq + 1) | 0;
      if (seq === 0) msecs++;
    }
    return uuidv7({ msecs, seq, random });
  };
})();
