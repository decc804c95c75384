// Writes by another process on the same database file: the CLI (`tidbok bookings book`, an
// import, `tidbok sync`) or a second shell. The change bus only carries this connection's own
// writes, so without this a receptionist's calendar would show a time as free for as long as the
// renderer keeps its data (booking it would still be refused, by the database). SQLite's
// `data_version` moves exactly when another connection commits; polling it costs next to nothing.
import type { ServiceContext } from './context.ts';

/** The change event for another process's commit: the renderer refetches what it shows. */
export const EXTERNAL_CHANGE = { entities: ['external'], ids: [] as string[] };

export interface ExternalChangeWatcher {
  /** Looks once (also used by tests); true when another connection committed since the last look. */
  check(): boolean;
  stop(): void;
}

export function watchExternalChanges(ctx: ServiceContext, options: { everyMs?: number } = {}): ExternalChangeWatcher {
  const version = () => ctx.db.pragma('data_version', { simple: true }) as number;
  let seen = version();
  const check = () => {
    if (!ctx.db.open) return false;
    const now = version();
    if (now === seen) return false;
    seen = now;
    ctx.events.emit(EXTERNAL_CHANGE);
    return true;
  };
  const timer = setInterval(check, options.everyMs ?? 1000);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
