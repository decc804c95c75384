// Tidbok's calendar in the benchmark: the real ResourceCalendar, fed the same synthetic ranges
// the baseline gets, navigated the way CalendarPage does (a state change; neighbours prefetched).
import { useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import '../../../src-renderer/i18n/index.ts';
import '../../../src-renderer/styles.css';
import { ResourceCalendar } from '../../../src-renderer/calendar/ResourceCalendar.tsx';
import { buildIndex } from '../../../src-renderer/calendar/model.ts';
import type { AppointmentType } from '../../../src-main/api/types.ts';
import { addDays, makeRange, SCENARIOS, START_DATE, TYPE_COLOURS, TYPE_IDS, type Scenario } from './data.ts';
import { afterPaint, type BenchApi } from './paint.ts';

const scenario: Scenario = SCENARIOS[(new URLSearchParams(location.search).get('scenario') ?? 'A') as Scenario['name']];
const days = scenario.view === 'day' ? 1 : 7;
const ranges = new Map([
  [START_DATE, makeRange(scenario, START_DATE, days)],
  [addDays(START_DATE, days), makeRange(scenario, addDays(START_DATE, days), days)],
]);
const types: AppointmentType[] = TYPE_IDS.map((id, i) => ({
  id,
  unitId: 'u',
  code: id,
  nameSv: ['Läkarbesök', 'Sjuksköterskebesök', 'Telefontid', 'Vaccination'][i]!,
  nameEn: id,
  durationMin: 15,
  contactModes: ['physical'],
  professions: [],
  webBookable: true,
  invitationOnly: false,
  webCancellable: true,
  webRebookable: true,
  cancelCutoffH: 24,
  rebookCutoffH: 24,
  reasonNew: 'optional',
  reasonCancel: 'optional',
  reasonRebook: 'optional',
  reasonCodes: [],
  bookMinLeadH: 0,
  bookMaxDays: 90,
  colour: TYPE_COLOURS[i]!,
  active: true,
}));

let goNext: () => void = () => undefined;

function Harness() {
  const [date, setDate] = useState(START_DATE);
  goNext = () => setDate((d) => addDays(d, days));
  const range = ranges.get(date)!;
  const index = useMemo(() => buildIndex([range]), [range]);
  return (
    <div className="tb-calendar" style={{ height: '100%' }}>
      <ResourceCalendar
        view={scenario.view}
        date={date}
        resources={range.resources}
        index={index}
        types={types}
        typeFilter={null}
        weekends
      />
    </div>
  );
}

const api: BenchApi = {
  async mount() {
    const t0 = performance.now();
    flushSync(() => createRoot(document.getElementById('root')!).render(<Harness />));
    await afterPaint();
    return performance.now() - t0;
  },
  async next() {
    const t0 = performance.now();
    flushSync(() => goNext());
    await afterPaint();
    return performance.now() - t0;
  },
  count: () => document.querySelectorAll('[data-slot-id], [data-booking-id]').length,
};
window.bench = api;
