// Editing a type tells the scheduler how many future free slots it no longer fits (demo unit,
// Monday 2026-11-23 09:10). The expected counts are derived from the calendar the desk sees, not
// from the query under test; the edit itself changes no slot.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppointmentType, CalendarRange } from '../../../src-main/api/types.ts';
import { DAY, demoApi, type Api } from './helpers.ts';

let api: Api;
let types: AppointmentType[];
const byCode = (code: string) => types.find((t) => t.code === code)!;

beforeEach(async () => {
  api = demoApi();
  types = await api.ok('appointmentTypes.list', {});
});

/** Every slot and active booking from today to the last slot, read in calendar-sized pieces. */
async function calendarAhead(): Promise<Pick<CalendarRange, 'resources' | 'slots' | 'bookings'>> {
  const last = api.count(`SELECT max(start_at) AS n FROM slots`);
  const out: Pick<CalendarRange, 'resources' | 'slots' | 'bookings'> = { resources: [], slots: [], bookings: [] };
  for (let from = api.ctx.now() - DAY; from <= last; from += 62 * DAY) {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const r = await api.ok('calendar.range', { from: day(from), to: day(from + 62 * DAY) });
    out.resources.push(...r.resources.filter((x) => !out.resources.some((y) => y.id === x.id)));
    out.slots.push(...r.slots.filter((x) => !out.slots.some((y) => y.id === x.id)));
    out.bookings.push(...r.bookings);
  }
  return out;
}

/** Future open unbooked slots offering `typeId` that a type of this length and these professions does not fit. */
async function expectedUnfit(typeId: string, durationMin: number, professions: string[]) {
  const cal = await calendarAhead();
  const booked = new Set(cal.bookings.map((b) => b.slotId));
  const profession = new Map(cal.resources.map((r) => [r.id, r.profession]));
  const free = cal.slots.filter(
    (s) => s.state === 'open' && !booked.has(s.id) && s.startAt > api.ctx.now() && s.appointmentTypeIds.includes(typeId),
  );
  const wrong = (s: (typeof free)[number]) => {
    const p = profession.get(s.resourceId) ?? null;
    return professions.length > 0 && (p === null || !professions.includes(p));
  };
  return {
    tooShort: free.filter((s) => !wrong(s) && s.endAt - s.startAt < durationMin * 60_000).length,
    wrongProfession: free.filter(wrong).length,
    free: free.length,
  };
}

describe('appointmentTypes.update reports free slots the type no longer fits', () => {
  it('lengthening Läkarbesök 30 → 40 minutes counts its future 30-minute free slots as too short', async () => {
    const lakbes = byCode('LAKBES');
    expect(lakbes.durationMin).toBe(30);
    const expected = await expectedUnfit(lakbes.id, 40, lakbes.professions);
    const slotsBefore = api.count(`SELECT count(*) AS n FROM slots WHERE state = 'open'`);
    const short = (list: { startAt: number; endAt: number }[]) => list.filter((s) => s.endAt - s.startAt < 40 * 60_000);
    const search = () => api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-11-23', limit: 50 });
    expect(short(await search()).length).toBeGreaterThan(0);
    const changed = await api.ok('appointmentTypes.update', { id: lakbes.id, durationMin: 40 });
    expect(changed.durationMin).toBe(40);
    expect(expected.tooShort).toBeGreaterThan(20);
    expect(changed.unfitFreeSlots).toEqual({ tooShort: expected.tooShort, wrongProfession: 0 });
    // Booked slots and past ones are not counted: fewer than all LAKBES slots.
    expect(expected.tooShort).toBeLessThan(
      api.count(`SELECT count(*) AS n FROM slots s, json_each(s.appointment_type_ids) j WHERE j.value = ?`, lakbes.id),
    );
    // Only counted: no slot changed.
    expect(api.count(`SELECT count(*) AS n FROM slots WHERE state = 'open'`)).toBe(slotsBefore);
    // And they really are unbookable now: the free-slot search offers none of them.
    expect(short(await search())).toEqual([]);
  });

  it('narrowing Telefontid to läkare counts its free slots with sjuksköterskor as wrong profession', async () => {
    const tele = byCode('TELE');
    expect(tele.professions).toEqual(['lakare', 'sjukskoterska']);
    const expected = await expectedUnfit(tele.id, tele.durationMin, ['lakare']);
    const changed = await api.ok('appointmentTypes.update', { id: tele.id, professions: ['lakare'] });
    expect(expected.wrongProfession).toBeGreaterThan(0);
    expect(expected.wrongProfession).toBeLessThan(expected.free);
    expect(changed.unfitFreeSlots).toEqual({ tooShort: 0, wrongProfession: expected.wrongProfession });
  });

  it('a slot both too short and on the wrong profession counts once, as wrong profession', async () => {
    const lakbes = byCode('LAKBES');
    const expected = await expectedUnfit(lakbes.id, 40, ['sjukskoterska']);
    const changed = await api.ok('appointmentTypes.update', {
      id: lakbes.id,
      durationMin: 40,
      professions: ['sjukskoterska'],
    });
    expect(expected).toMatchObject({ tooShort: 0, wrongProfession: expected.free });
    expect(changed.unfitFreeSlots).toEqual({ tooShort: 0, wrongProfession: expected.free });
  });

  it('a change that affects no slot reports zeros, as does saving without changes', async () => {
    const lakbes = byCode('LAKBES');
    const shorter = await api.ok('appointmentTypes.update', { id: lakbes.id, durationMin: 20, nameSv: 'Läkarbesök kort' });
    expect(shorter.unfitFreeSlots).toEqual({ tooShort: 0, wrongProfession: 0 });
    const same = await api.ok('appointmentTypes.update', { id: lakbes.id, durationMin: 20 });
    expect(same.unfitFreeSlots).toEqual({ tooShort: 0, wrongProfession: 0 });
  });

  it('an unchanged save still reports slots an earlier edit left unfit', async () => {
    const lakbes = byCode('LAKBES');
    const first = await api.ok('appointmentTypes.update', { id: lakbes.id, durationMin: 40 });
    const again = await api.ok('appointmentTypes.update', { id: lakbes.id, durationMin: 40 });
    expect(again.unfitFreeSlots).toEqual(first.unfitFreeSlots);
    expect(again.unfitFreeSlots.tooShort).toBeGreaterThan(0);
  });
});
