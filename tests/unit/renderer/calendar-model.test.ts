// The calendar's index: which column each slot and booking lands in, on the unit's wall clock
// (also across the DST change), booked slots drawn once as their booking, overlaps side by side.
import { describe, expect, it } from 'vitest';
import { buildIndex, laneCounts, laneKey, surnameFirst, tint } from '../../../src-renderer/calendar/model.ts';
import { wallParts } from '../../../src-renderer/calendar/wallclock.ts';
import { rangeFor, step } from '../../../src-renderer/calendar/ranges.ts';
import type { Booking, CalendarRange, Slot } from '../../../src-main/api/types.ts';

const slot = (id: string, resourceId: string, startIso: string, min: number, state: Slot['state'] = 'open'): Slot => {
  const startAt = Date.parse(startIso);
  return {
    id,
    resourceId,
    startAt,
    endAt: startAt + min * 60_000,
    appointmentTypeIds: ['t1'],
    state,
    blockReason: null,
    webPublished: false,
    withinCareGuarantee: true,
    templateId: null,
  };
};
const booking = (id: string, s: Slot): Booking => ({
  id,
  slotId: s.id,
  resourceId: s.resourceId,
  startAt: s.startAt,
  endAt: s.endAt,
  patient: { id: 'p', displayName: 'Astrid Andersson', identityNumber: '194001019806', protectedIdentity: false },
  appointmentTypeId: 't1',
  contactMode: 'physical',
  status: 'booked',
  channel: 'web',
  note: '',
  rebookedFrom: null,
  rebookedTo: null,
  createdAt: 0,
});
const range = (slots: Slot[], bookings: Booking[]): CalendarRange => ({
  from: '2026-11-23',
  to: '2026-11-24',
  resources: [],
  slots,
  bookings,
  closedDates: [],
  readsLogged: true,
});

describe('wallParts', () => {
  it('places instants on the Stockholm wall clock in winter and summer', () => {
    expect(wallParts(Date.parse('2026-11-23T07:00:00Z'))).toEqual({ date: '2026-11-23', minutes: 8 * 60 });
    expect(wallParts(Date.parse('2026-06-15T06:00:00Z'))).toEqual({ date: '2026-06-15', minutes: 8 * 60 });
  });
  it('keeps the date of the wall clock around midnight UTC', () => {
    expect(wallParts(Date.parse('2026-11-22T23:30:00Z'))).toEqual({ date: '2026-11-23', minutes: 30 });
  });
  it('follows the DST change on the last Sunday of March', () => {
    // 2026-03-29: 02:00 CET becomes 03:00 CEST.
    expect(wallParts(Date.parse('2026-03-29T00:30:00Z')).minutes).toBe(60 + 30);
    expect(wallParts(Date.parse('2026-03-29T01:30:00Z')).minutes).toBe(3 * 60 + 30);
  });
});

describe('buildIndex', () => {
  it('draws a booked slot once, as its booking, in the resource and date column', () => {
    const a = slot('a', 'r1', '2026-11-23T07:00:00Z', 30);
    const b = slot('b', 'r1', '2026-11-23T07:30:00Z', 30);
    const c = slot('c', 'r2', '2026-11-23T07:00:00Z', 15, 'blocked');
    const index = buildIndex([range([a, b, c], [booking('x', a)])]);
    const lane = index.lanes.get(laneKey('r1', '2026-11-23'))!;
    expect(lane.map((i) => (i.kind === 'slot' ? `slot:${i.slot.id}` : `booking:${i.booking.id}`))).toEqual([
      'booking:x',
      'slot:b',
    ]);
    expect(lane.map((i) => [i.startMin, i.endMin])).toEqual([
      [480, 510],
      [510, 540],
    ]);
    expect(index.lanes.get(laneKey('r2', '2026-11-23'))![0]).toMatchObject({ kind: 'slot', cols: 1 });
    expect(index.bookingBySlot.get('a')?.id).toBe('x');
    expect([index.minMin, index.maxMin]).toEqual([480, 540]);
  });

  it('puts overlapping items side by side (a conflict to see), others full width', () => {
    const a = slot('a', 'r1', '2026-11-23T07:00:00Z', 30);
    const b = slot('b', 'r1', '2026-11-23T07:15:00Z', 30);
    const c = slot('c', 'r1', '2026-11-23T08:00:00Z', 30);
    const lane = buildIndex([range([a, b, c], [])]).lanes.get(laneKey('r1', '2026-11-23'))!;
    expect(lane.map((i) => [i.col, i.cols])).toEqual([
      [0, 2],
      [1, 2],
      [0, 1],
    ]);
  });

  it('marks a real overlap as a conflict, not two times an hour apart in the doubled autumn hour', () => {
    // 02:20 summer time (00:20Z) and 02:20 standard time (01:20Z) on 2026-10-25 share their minutes.
    const summer = slot('s', 'r1', '2026-10-25T00:20:00Z', 30);
    const winter = slot('w', 'r1', '2026-10-25T01:20:00Z', 30);
    const night = buildIndex([range([summer, winter], [])]).lanes.get(laneKey('r1', '2026-10-25'))!;
    expect(night.map((i) => [i.startMin, i.col, i.cols, i.conflict, i.pass])).toEqual([
      [140, 0, 2, false, 'summer'],
      [140, 1, 2, false, 'winter'],
    ]);
    const a = slot('a', 'r1', '2026-11-23T07:00:00Z', 30);
    const b = slot('b', 'r1', '2026-11-23T07:15:00Z', 30);
    const day = buildIndex([range([a, b], [booking('x', a)])]).lanes.get(laneKey('r1', '2026-11-23'))!;
    expect(day.map((i) => [i.conflict, i.pass])).toEqual([
      [true, undefined],
      [true, undefined],
    ]);
  });

  it('draws a time across the autumn change itself (02:40 sommartid–02:10 vintertid) downwards, its end named', () => {
    // 00:40Z–01:10Z on 2026-10-25: the end reads 02:10, earlier than the start. Drawn from 02:40 to
    // 03:00, where the summer-time pass ends, beside a 02:10–02:40 vintertid time (01:10Z–01:40Z).
    const across = slot('x', 'r1', '2026-10-25T00:40:00Z', 30);
    const after = slot('y', 'r1', '2026-10-25T01:10:00Z', 30);
    const night = buildIndex([range([across, after], [])]).lanes.get(laneKey('r1', '2026-10-25'))!;
    expect(night.map((i) => [i.slot?.id, i.startMin, i.endMin, i.endReads, i.pass, i.endPass, i.conflict])).toEqual([
      ['y', 130, 160, 160, undefined, undefined, false],
      ['x', 160, 180, 130, 'summer', 'winter', false],
    ]);
  });

  it('merges ranges without duplicates (visible range and a prefetched neighbour)', () => {
    const a = slot('a', 'r1', '2026-11-23T07:00:00Z', 30);
    const index = buildIndex([range([a], []), range([a], [])]);
    expect(index.lanes.get(laneKey('r1', '2026-11-23'))).toHaveLength(1);
  });
});

describe('ranges and colours', () => {
  it('loads a day or the ISO week around the date and steps by it', () => {
    expect(rangeFor('day', '2026-11-25')).toEqual({ from: '2026-11-25', to: '2026-11-26' });
    expect(rangeFor('week', '2026-11-25')).toEqual({ from: '2026-11-23', to: '2026-11-30' });
    expect(step('week', '2026-11-25', 1)).toBe('2026-11-30');
    expect(step('day', '2026-11-30', -1)).toBe('2026-11-29');
  });
  it('tints a type colour towards white', () => {
    expect(tint('#000000', 0.2)).toBe('rgb(204, 204, 204)');
    expect(tint('not a colour')).toBe('#eef1f5');
  });
});

describe("a week column's header and a narrow lane's names", () => {
  it('counts bookings and the times still free to book: not begun, not blocked', () => {
    const early = slot('s1', 'r1', '2026-11-23T08:00:00+01:00', 30);
    const late = slot('s2', 'r1', '2026-11-23T10:00:00+01:00', 30);
    const later = slot('s3', 'r1', '2026-11-23T10:30:00+01:00', 30);
    const blocked = slot('s4', 'r1', '2026-11-23T11:00:00+01:00', 30, 'blocked');
    const booked = slot('s5', 'r1', '2026-11-23T11:30:00+01:00', 30);
    const index = buildIndex([range([early, late, later, blocked, booked], [booking('b1', booked)])]);
    const nine = Date.parse('2026-11-23T09:00:00+01:00');
    expect(laneCounts(index, 'r1', '2026-11-23', nine)).toEqual({ booked: 1, free: 2 });
    expect(laneCounts(index, 'r1', '2026-11-23', Date.parse('2026-11-23T10:15:00+01:00'))).toEqual({ booked: 1, free: 1 });
    expect(laneCounts(index, 'r2', '2026-11-23', nine)).toEqual({ booked: 0, free: 0 });
  });
  it('writes a patient surname first, a particle with it', () => {
    expect(surnameFirst('Nils Karlsson')).toBe('Karlsson, Nils');
    expect(surnameFirst('Anna Karin Berg-Larsson')).toBe('Berg-Larsson, Anna Karin');
    expect(surnameFirst('Eva von Platen')).toBe('von Platen, Eva');
    expect(surnameFirst('Madonna')).toBe('Madonna');
  });
});
