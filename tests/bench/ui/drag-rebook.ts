// Drag-rebook round trip in the real app: UI -> main -> SQLite -> UI. Filled in once
// bookings.rebook exists in the api.
import type { Browser } from 'playwright-core';

export async function measureDragRebook(_browser: Browser): Promise<number | null> {
  return null;
}
