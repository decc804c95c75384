// The booking path's port to sync: whether a new desk booking must first be confirmed by the
// central side. With a central configured, a booking starts 'preliminary' and the sync engine's
// claim (Slot If-Match + Appointment create, one transaction) turns it 'booked', or into a
// conflict. Without a central (stand-alone unit) there is nobody to ask: it is booked at once.
import type { ServiceContext } from './context.ts';

export const CENTRAL_URL_SETTING = 'sync.central_url';

export function centralUrlSetting(ctx: ServiceContext): string | null {
  const row = ctx.db.prepare(`SELECT value FROM settings WHERE key = ?`).get(CENTRAL_URL_SETTING) as
    { value: string } | undefined;
  if (!row) return null;
  const v = JSON.parse(row.value) as unknown;
  return typeof v === 'string' && v !== '' ? v : null;
}

/** Status a new desk booking gets: 'preliminary' until the central side confirms it. */
export function deskBookingStatus(ctx: ServiceContext): 'preliminary' | 'booked' {
  return centralUrlSetting(ctx) ? 'preliminary' : 'booked';
}
