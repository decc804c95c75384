// bookings.search through dispatch on a real SQLite file with the demo unit (Monday 2026-11-23
// 09:10): the desk's filters, masking of protected identities by role, the access-log reads,
// paging, roles, and the query plans over a year of the demo's schedule.
import { beforeAll, describe, expect, it } from 'vitest';
import type { BookingList } from '../../../src-main/api/methods/bookings-search.ts';
import type { Patient } from '../../../src-main/api/methods/scheduling.ts';
import type { AppointmentType, Resource } from '../../../src-main/api/types.ts';
import { luhnCheckDigit, makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { startOfLocalDay } from '../../../src-main/domain/time.ts';
import { bookingQuery } from '../../../src-main/services/booking-search.ts';
import { expandTemplates } from '../../../src-main/services/templates.ts';
import { testCaller } from '../../helpers/temp-db.ts';
import { demoApi, patientOnWeb, type Api } from '../scheduling/helpers.ts';

let api: Api;
let lakbes: AppointmentType;
let tolvan: Patient;
let hidden: Patient;
let resources: Resource[];
const mine: Record<'tolvanPhone' | 'tolvanWeb' | 'hidden', string> = { tolvanPhone: '', tolvanWeb: '', hidden: '' };
const TUESDAY = '2026-11-24';

async function freeSlot(from: string, webOnly = false) {
  const [slot] = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from, webOnly, limit: 1 });
  if (!slot) throw new Error('no free slot');
  return slot;
}

const search = (input: Parameters<Api['ok']>[1] & object, roles?: Parameters<Api['ok']>[2]) =>
  api.ok('bookings.search', input as never, roles) as Promise<BookingList>;

beforeAll(async () => {
  api = demoApi();
  lakbes = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
  resources = await api.ok('resources.list', {});
  tolvan = await api.ok('patients.create', { identityNumber: '19121212-1212', givenName: 'Tolvan', familyName: 'Tolvansson' });
  hidden = await api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1985-03-14', 238),
    givenName: 'Hemlig',
    familyName: 'Person',
    protectedIdentity: true,
  });
  const phoneSlot = await freeSlot(TUESDAY);
  mine.tolvanPhone = (
    await api.ok('bookings.book', {
      slotId: phoneSlot.slotId,
      patientId: tolvan.id,
      appointmentTypeId: lakbes.id,
      channel: 'phone',
      note: 'Ring innan',
    })
  ).id;
  const webSlot = await freeSlot('2026-11-26', true);
  // Tolvan's own booking on 1177, as the pull records it (the staff api refuses 'web').
  mine.tolvanWeb = (
    await patientOnWeb(api).ok('book', { slotId: webSlot.slotId, patientId: tolvan.id, appointmentTypeId: lakbes.id })
  ).id;
  const hiddenSlot = await freeSlot(TUESDAY);
  mine.hidden = (
    await api.ok('bookings.book', {
      slotId: hiddenSlot.slotId,
      patientId: hidden.id,
      appointmentTypeId: lakbes.id,
      note: 'Ingång B',
    })
  ).id;
});

describe('filters', () => {
  it('lists the active bookings of a day in start order, with names joined in', async () => {
    const day = await search({ from: TUESDAY, to: TUESDAY, limit: 500 });
    expect(day.total).toBe(day.rows.length);
    expect(day.rows.length).toBeGreaterThan(10);
    const dayStart = startOfLocalDay(TUESDAY);
    const dayEnd = startOfLocalDay('2026-11-25');
    expect(day.rows.every((r) => r.startAt >= dayStart && r.startAt < dayEnd)).toBe(true);
    expect(day.rows.map((r) => r.startAt)).toEqual([...day.rows.map((r) => r.startAt)].sort((a, b) => a - b));
    expect(new Set(day.rows.map((r) => r.status))).not.toContain('cancelled');
    const row = day.rows.find((r) => r.id === mine.tolvanPhone)!;
    expect(row).toMatchObject({
      channel: 'phone',
      note: 'Ring innan',
      status: 'booked',
      appointmentTypeName: { sv: lakbes.nameSv, en: lakbes.nameEn },
      patient: { id: tolvan.id, displayName: 'Tolvan Tolvansson', identityNumber: '191212121212', protectedIdentity: false },
    });
    expect(row.resourceName).toBe(resources.find((r) => r.id === row.resourceId)!.name);
    // `to` is included: the same day twice is one day, two days hold more.
    const two = await search({ from: TUESDAY, to: '2026-11-25', limit: 1 });
    expect(two.total).toBeGreaterThan(day.total);
  });

  it('filters by resource, status, channel and type', async () => {
    const all = await search({ from: '2026-11-23', to: '2026-12-06', limit: 500 });
    const resourceId = all.rows.find((r) => r.id === mine.tolvanPhone)!.resourceId;
    const one = await search({ from: '2026-11-23', to: '2026-12-06', resourceIds: [resourceId], limit: 500 });
    expect(one.total).toBeGreaterThan(0);
    expect(one.total).toBe(all.rows.filter((r) => r.resourceId === resourceId).length);
    expect(one.rows.every((r) => r.resourceId === resourceId)).toBe(true);

    const web = await search({ from: '2026-11-23', to: '2026-12-06', channels: ['web'], limit: 500 });
    expect(web.rows.map((r) => r.id)).toContain(mine.tolvanWeb);
    expect(web.rows.every((r) => r.channel === 'web')).toBe(true);
    expect(web.total).toBe(all.rows.filter((r) => r.channel === 'web').length);

    const noShows = await search({ from: '2026-11-01', to: '2026-11-23', statuses: ['no_show'], limit: 500 });
    expect(noShows.total).toBeGreaterThan(0);
    expect(noShows.rows.every((r) => r.status === 'no_show')).toBe(true);

    const typed = await search({ from: '2026-11-23', to: '2026-12-06', appointmentTypeIds: [lakbes.id], limit: 500 });
    expect(typed.total).toBe(all.rows.filter((r) => r.appointmentTypeId === lakbes.id).length);
    expect(typed.total).toBeLessThan(all.total);
  });

  it('finds a patient by a 10- or 12-digit number, with or without a dash, and by part of a name', async () => {
    // A 10-digit number of someone over 100 carries '+'.
    for (const patient of ['191212121212', '19121212-1212', '121212+1212', 'Tolvan', 'tolv tolvans']) {
      const hit = await search({ from: '2026-11-23', to: '2027-11-22', patient });
      expect(hit.rows.map((r) => r.id).sort(), patient).toEqual([mine.tolvanPhone, mine.tolvanWeb].sort());
    }
    // Without '+', the same ten digits are a child born 2012.
    const child = await api.ok('patients.create', { identityNumber: '201212121212', givenName: 'Tolva', familyName: 'Barnsson' });
    const slot = await freeSlot('2026-12-01');
    const childBooking = await api.ok('bookings.book', {
      slotId: slot.slotId,
      patientId: child.id,
      appointmentTypeId: lakbes.id,
    });
    for (const patient of ['1212121212', '121212-1212', '20121212-1212']) {
      const hit = await search({ from: '2026-11-23', to: '2027-11-22', patient });
      expect(
        hit.rows.map((r) => r.id),
        patient,
      ).toEqual([childBooking.id]);
    }
    // The start of a number finds every patient it starts, here only Tolvan.
    expect((await search({ from: '2026-11-23', to: '2026-12-06', patient: '19121212' })).total).toBe(2);
    expect((await search({ from: '2026-11-23', to: '2026-12-06', patient: 'Ingen Sådan' })).total).toBe(0);
  });

  it('says why a whole number found nothing when the number itself cannot be right', async () => {
    const period = { from: '2026-11-23', to: '2027-11-22' };
    const wrongCheck = await search({ ...period, patient: '19121212-1213' });
    expect(wrongCheck).toMatchObject({ total: 0, patientHint: expect.stringMatching(/Kontrollsiffran/) });
    // Month 13 with a right check digit: the date is what is wrong.
    const noSuchDate = `19121312-121${luhnCheckDigit('121312121')}`;
    expect((await search({ ...period, patient: noSuchDate })).patientHint).toMatch(/datum|Datum/);
    // A valid number of nobody booked, a prefix, a name or a hit: no hint.
    for (const patient of [makeIdentityNumber('1950-05-05', 1), '19121212', 'Ingen Sådan', '19121212-1212']) {
      expect((await search({ ...period, patient })).patientHint, patient).toBeNull();
    }
  });

  it('finds the bookings made since a time, newest first', async () => {
    const all = await search({ from: '2026-11-16', to: '2026-12-06', channels: ['web'], limit: 500 });
    const since = await search({
      from: '2026-11-16',
      to: '2026-12-06',
      channels: ['web'],
      createdSince: '2026-11-23T09:00',
      sort: 'createdDesc',
      limit: 500,
    });
    const at = Date.parse('2026-11-23T09:00:00+01:00');
    expect(since.rows.map((r) => r.id)).toContain(mine.tolvanWeb);
    expect(since.rows.every((r) => r.createdAt >= at)).toBe(true);
    expect(since.total).toBe(all.rows.filter((r) => r.createdAt >= at).length);
    expect(since.total).toBeLessThan(all.total);
    const created = since.rows.map((r) => r.createdAt);
    expect(created).toEqual([...created].sort((a, b) => b - a));
  });

  it('refuses a reversed or over-long period with a Swedish message', async () => {
    expect(await api.err('bookings.search', { from: '2026-11-24', to: '2026-11-23' })).toMatchObject({ code: 'validation' });
    const long = await api.err('bookings.search', { from: '2026-01-01', to: '2027-01-02' });
    expect(long).toMatchObject({ code: 'validation' });
    expect(JSON.stringify(long)).toContain('Högst 366 dagar');
    expect((await search({ from: '2026-01-01', to: '2026-12-31', limit: 1 })).total).toBeGreaterThan(0);
  });
});

describe('protected identity', () => {
  it('never shows the name; the number and note only to roles that need them', async () => {
    const desk = await search({ from: TUESDAY, to: TUESDAY, limit: 500 }, ['receptionist']);
    expect(desk.rows.find((r) => r.id === mine.hidden)).toMatchObject({
      patient: { id: hidden.id, displayName: null, identityNumber: hidden.identityNumber, protectedIdentity: true },
      note: 'Ingång B',
    });
    for (const role of ['scheduler', 'admin'] as const) {
      const list = await search({ from: TUESDAY, to: TUESDAY, limit: 500 }, [role]);
      expect(list.rows.find((r) => r.id === mine.hidden)).toMatchObject({
        patient: { id: '', displayName: null, identityNumber: null, protectedIdentity: true },
        note: '',
      });
      expect(JSON.stringify(list)).not.toContain('Hemlig');
      expect(JSON.stringify(list)).not.toContain(hidden.identityNumber);
      // Finding them by number or name would tell when and where they will be seen.
      expect((await search({ from: TUESDAY, to: TUESDAY, patient: hidden.identityNumber }, [role])).total).toBe(0);
      expect((await search({ from: TUESDAY, to: TUESDAY, patient: 'Hemlig' }, [role])).total).toBe(0);
    }
    expect((await search({ from: TUESDAY, to: TUESDAY, patient: hidden.identityNumber }, ['receptionist'])).total).toBe(1);
  });
});

describe('access log and paging', () => {
  it('writes one read event per distinct patient on the page, none for the rest', async () => {
    const before = api.count(`SELECT coalesce(max(seq), 0) AS n FROM audit_events`);
    const page = await search({ from: '2026-11-23', to: '2026-12-06', limit: 20 });
    const events = api.ctx.db
      .prepare(`SELECT action, patient_id, entity, detail FROM audit_events WHERE seq > ? ORDER BY seq`)
      .all(before) as { action: string; patient_id: string; entity: string; detail: string }[];
    const shown = [...new Set(page.rows.map((r) => r.patient.id))].sort();
    expect(page.total).toBeGreaterThan(20);
    expect(events.map((e) => e.patient_id).sort()).toEqual(shown);
    expect(events.every((e) => e.action === 'read' && e.entity === 'patient')).toBe(true);
    expect(JSON.parse(events[0]!.detail)).toEqual({ view: 'bookings.search', from: '2026-11-23', to: '2026-12-06' });
  });

  it('pages through the whole list without gaps or repeats', async () => {
    // The demo's current weeks (its history before them holds thousands more: past the 500 of one page).
    const filter = { from: '2026-11-23', to: '2026-12-06' };
    const whole = await search({ ...filter, limit: 500 });
    expect(whole.total).toBeGreaterThan(60);
    const seen: string[] = [];
    for (let offset = 0; offset < whole.total; offset += 25) {
      const page = await search({ ...filter, limit: 25, offset });
      expect(page.total).toBe(whole.total);
      expect(page.rows.length).toBe(Math.min(25, whole.total - offset));
      seen.push(...page.rows.map((r) => r.id));
    }
    expect(seen).toEqual(whole.rows.map((r) => r.id));
    expect(await api.err('bookings.search', { ...filter, limit: 501 })).toMatchObject({ code: 'validation' });
  });
});

describe('roles', () => {
  it('lets the desk roles search and nobody else', async () => {
    for (const role of ['receptionist', 'scheduler', 'admin'] as const) {
      expect((await search({ from: TUESDAY, to: TUESDAY, limit: 1 }, [role])).total).toBeGreaterThan(0);
    }
    expect(await api.err('bookings.search', { from: TUESDAY, to: TUESDAY }, [])).toMatchObject({ code: 'forbidden' });
  });
});

describe('query plan over a year of the demo', () => {
  it('walks slots by start and bookings by slot; a full number starts from the patient', () => {
    expandTemplates(api.ctx, testCaller(), { from: '2026-11-23', to: '2027-11-22' });
    const plan = (input: Parameters<typeof bookingQuery>[2]) => {
      const q = bookingQuery(api.ctx, testCaller(), input);
      return (api.ctx.db.prepare(`EXPLAIN QUERY PLAN ${q.pageSql}`).all(...q.params, 100, 0) as { detail: string }[])
        .map((r) => r.detail)
        .join('\n');
    };
    const year = plan({ from: '2026-11-23', to: '2027-11-22' });
    expect(year).toMatch(/SEARCH s USING INDEX slots_by_start/);
    expect(year).toMatch(/SEARCH b USING INDEX bookings_by_slot/);
    expect(year).not.toMatch(/SCAN (b|s|p)\b/);
    const byNumber = plan({ from: '2026-11-23', to: '2027-11-22', patient: '19121212-1212' });
    expect(byNumber).toMatch(/USING INDEX sqlite_autoindex_patients_\d \(identity_number=\?\)/);
    expect(byNumber).toMatch(/SEARCH b USING INDEX bookings_by_patient/);
  });
});
