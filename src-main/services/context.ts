// What every service gets injected: the database, the clock, the id generator, the event bus
// and who is calling. Tests pin the clock (e.g. to a DST night) and get the same answer each run.
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
    newId: overrides.newId ?? (() => uuidv7()),
    events: overrides.events ?? createChangeBus(),
  };
}
