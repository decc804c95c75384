// Synthetic calendar data for the renderer benchmark: the same ranges feed Tidbok's calendar and
// the baseline. Deterministic (seeded), shaped exactly like the api's CalendarRange.
import type { Booking, CalendarRange, Resource, Slot } from '../../../src-main/api/types.ts';
import { seededRandom } from '../../../src-main/demo/prng.ts';

export interface Scenario {
  name: 'A' | 'B' | 'C';
  view: 'day' | 'week';
  resources: number;
  /** Slots per resource per weekday, and their length. */
  slotsPerDay: number;
  slotMin: number;
}

export const SCENARIOS: Record<Scenario['name'], Scenario> = {
  A: { name: 'A', view: 'day', resources: 40, slotsPerDay: 30, slotMin: 15 }, // 1,200 slots
  B: { name: 'B', view: 'week', resources: 10, slotsPerDay: 30, slotMin: 15 }, // 1,500
  C: { name: 'C', view: 'week', resources: 40, slotsPerDay: 20, slotMin: 20 }, // 4,000
};

/** The Monday the benchmark starts on (no holiday that week or the next). */
export const START_DATE = '2026-11-23';
export const TYPE_IDS = ['t-lak', 't-ssk', 't-tel', 't-vac'];
export const TYPE_COLOURS = ['#2f6db3', '#1f8a5b', '#6b7785', '#b5651d'];

const NAMES = ['Astrid Andersson', 'Bengt Karlsson', 'Cecilia Nilsson', 'David Eriksson', 'Elin Larsson', 'Fredrik Olsson'];

export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Stockholm is UTC+1 in late November: 08:00 local is 07:00Z. */
function instant(date: string, minutes: number): number {
  return Date.parse(`${date}T00:00:00Z`) + (minutes - 60) * 60_000;
}

export function makeResources(n: number): Resource[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `r-${String(i).padStart(3, '0')}`,
    unitId: 'u',
    kind: 'clinician' as const,
    name: `Kliniker ${i + 1}`,
    profession: i % 2 ? 'lakare' : 'sjukskoterska',
    title: i % 2 ? 'Läkare' : 'Sjuksköterska',
    hsaId: null,
    sortOrder: i,
    active: true,
    version: 1,
  }));
}

/** Data of [from, from + days) for a scenario: weekdays only, about 55 % booked. */
export function makeRange(s: Scenario, from: string, days: number): CalendarRange {
  const rand = seededRandom(Date.parse(from) / 86_400_000 + s.resources);
  const resources = makeResources(s.resources);
  const slots: Slot[] = [];
  const bookings: Booking[] = [];
  for (let d = 0; d < days; d++) {
    const date = addDays(from, d);
    const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (wd === 0 || wd === 6) continue;
    for (const r of resources) {
      for (let k = 0; k < s.slotsPerDay; k++) {
        const startMin = 8 * 60 + k * s.slotMin;
        const typeIdx = Math.floor(rand() * TYPE_IDS.length);
        const slot: Slot = {
          id: `s-${r.id}-${date}-${k}`,
          resourceId: r.id,
          startAt: instant(date, startMin),
          endAt: instant(date, startMin + s.slotMin),
          appointmentTypeIds: [TYPE_IDS[typeIdx]!],
          state: rand() < 0.03 ? 'blocked' : 'open',
          blockReason: null,
          webPublished: rand() < 0.5,
          withinCareGuarantee: true,
          templateId: null,
        };
        slots.push(slot);
        if (slot.state === 'open' && rand() < 0.55) {
          bookings.push({
            id: `b-${slot.id}`,
            slotId: slot.id,
            resourceId: r.id,
            startAt: slot.startAt,
            endAt: slot.endAt,
            patient: { id: `p-${k}`, displayName: NAMES[k % NAMES.length]!, identityNumber: '', protectedIdentity: false },
            appointmentTypeId: TYPE_IDS[typeIdx]!,
            contactMode: 'physical',
            status: 'booked',
            channel: rand() < 0.3 ? 'web' : 'phone',
            note: '',
            rebookedFrom: null,
            rebookedTo: null,
            createdAt: 0,
          });
        }
      }
    }
  }
  return { from, to: addDays(from, days), resources, slots, bookings, closedDates: [], readsLogged: true };
}
