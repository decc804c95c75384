// Another process writing the same database file (the CLI laying out a year of slots, a second
// shell, a sync run): SQLite answers SQLITE_BUSY once busy_timeout has passed, or at once when a
// deferred transaction that has read must become a writer. Nothing was written; staff are told
// to try again, in Swedish, instead of "internal error".
import { AppError } from './result.ts';

export function isDatabaseBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

export const databaseBusy = (): AppError =>
  new AppError(
    'unavailable',
    'Databasen är upptagen just nu (ett annat program skriver i den). Försök igen om en stund; inget har ändrats.',
    { reason: 'database_busy' },
  );
