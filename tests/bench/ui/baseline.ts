// The baseline: FullCalendar v6 resource time-grid with default settings, every slot a plain
// event (booked slots titled with the patient), loaded per visible range.
import { Calendar, type EventInput } from '@fullcalendar/core';
import resourceTimeGridPlugin from '@fullcalendar/resource-timegrid';
import { addDays, makeRange, SCENARIOS, START_DATE, TYPE_COLOURS, TYPE_IDS, type Scenario } from './data.ts';
import { afterPaint, type BenchApi } from './paint.ts';

const scenario: Scenario = SCENARIOS[(new URLSearchParams(location.search).get('scenario') ?? 'A') as Scenario['name']];
const days = scenario.view === 'day' ? 1 : 7;
const first = makeRange(scenario, START_DATE, days);
const second = makeRange(scenario, addDays(START_DATE, days), days);
const colour = new Map(TYPE_IDS.map((id, i) => [id, TYPE_COLOURS[i]!]));

const allSlots = [...first.slots, ...second.slots];
const booked = new Map([...first.bookings, ...second.bookings].map((b) => [b.slotId, b]));

function events(start: number, end: number): EventInput[] {
  return allSlots
    .filter((s) => s.startAt < end && s.endAt > start)
    .map((s) => {
      const b = booked.get(s.id);
      return {
        id: s.id,
        resourceId: s.resourceId,
        start: s.startAt,
        end: s.endAt,
        title: b ? b.patient.displayName : s.state === 'blocked' ? 'Spärrad' : 'Ledig',
        color: b ? (colour.get(b.appointmentTypeId) ?? '#4a78b5') : '#8cc09c',
      };
    });
}

let calendar: Calendar | null = null;
const api: BenchApi = {
  async mount() {
    const t0 = performance.now();
    calendar = new Calendar(document.getElementById('root')!, {
      plugins: [resourceTimeGridPlugin],
      schedulerLicenseKey: 'GPL-My-Project-Is-Open-Source',
      initialView: scenario.view === 'day' ? 'resourceTimeGridDay' : 'resourceTimeGridWeek',
      initialDate: START_DATE,
      timeZone: 'UTC',
      resources: first.resources.map((r) => ({ id: r.id, title: r.name })),
      events: (info, success) => success(events(info.start.valueOf(), info.end.valueOf())),
    });
    calendar.render();
    await afterPaint();
    return performance.now() - t0;
  },
  async next() {
    const t0 = performance.now();
    calendar!.next();
    await afterPaint();
    return performance.now() - t0;
  },
  count: () => document.querySelectorAll('.fc-event').length,
};
window.bench = api;
