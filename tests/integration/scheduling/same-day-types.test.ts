// A same-day type ("dagens tider", akuttider: 0 days ahead) through the api, the web channel's
// rules and the CLI, on a real SQLite file with the clock at Monday 2026-11-23 07:30 in Stockholm:
// today's times after the lead are offered and bookable, tomorrow's are refused with the Swedish
// reason at the desk, on the web and in the search, and the type round-trips as 0 (not the 180
// an absent value defaults to).
import { describe, expect, it } from 'vitest';
import { runTidbok } from '../../helpers/cli-process.ts';
import { clockUnit } from './helpers.ts';

const NOW = '2026-11-23T07:30:00+01:00';

describe('a same-day type (bookable 0 days ahead)', () => {
  it('is offered, booked and refused by the same window at the desk, on the web and in första lediga tid', async () => {
    const u = await clockUnit(
      NOW,
      { hsaId: 'SE2321000016-7AKT', name: 'Akutmottagningen Dagens' },
      { code: 'AKUT', nameSv: 'Akuttid', nameEn: 'Same-day visit', durationMin: 30 },
      { bookMaxDays: 0, bookMinLeadH: 1 },
    );
    const { api, web, type, patient } = u;
    expect((await api.ok('appointmentTypes.list', {})).find((t) => t.id === type.id)?.bookMaxDays).toBe(0);
    await u.template({ publishWeb: true });

    // Första lediga tid: today's times from 08:30 (the hour's lead), none tomorrow.
    const free = await api.ok('slots.findFree', { appointmentTypeId: type.id, limit: 50 });
    expect(free.length).toBe(7); // 08:30 … 11:30
    expect(free[0]!.startAt).toBe(Date.parse('2026-11-23T08:30:00+01:00'));
    expect(free.every((f) => f.startAt < Date.parse('2026-11-24T00:00:00+01:00'))).toBe(true);
    expect(await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2026-11-24', limit: 5 })).toEqual([]);

    const slotAt = async (iso: string) =>
      (await api.ok('calendar.range', { from: '2026-11-23', to: '2026-11-25' })).slots.find(
        (s) => s.startAt === Date.parse(iso),
      )!;
    const today = await slotAt('2026-11-23T10:00:00+01:00');
    const tomorrow = await slotAt('2026-11-24T10:00:00+01:00');
    const tooSoon = await slotAt('2026-11-23T08:00:00+01:00');

    const refusedTomorrow = await api.err('bookings.book', {
      slotId: tomorrow.id,
      patientId: patient.id,
      appointmentTypeId: type.id,
    });
    expect(refusedTomorrow.message).toMatch(/Akuttid kan bara bokas samma dag/);
    const refusedSoon = await api.err('bookings.book', { slotId: tooSoon.id, patientId: patient.id, appointmentTypeId: type.id });
    expect(refusedSoon.message).toMatch(/timme|timmar/);
    const onWeb = await web.err('book', {
      slotId: tomorrow.id,
      patientId: patient.id,
      appointmentTypeId: type.id,
      contactMode: 'physical',
    });
    expect(onWeb.message).toMatch(/bara bokas samma dag/);
    const booked = await api.ok('bookings.book', { slotId: today.id, patientId: patient.id, appointmentTypeId: type.id });
    expect(booked.status).toBe('booked');

    // The CLI lists the window in words, and refuses tomorrow's time with the same reason.
    const list = await runTidbok(['types', 'list', '--db', api.path], NOW);
    expect(list.out).toMatch(/AKUT.*1 h–samma dag/);
    const cli = await runTidbok(
      ['bookings', 'book', '--slot', tomorrow.id, '--patient', patient.identityNumber, '--type', 'AKUT', '--db', api.path],
      NOW,
    );
    expect(cli).toMatchObject({ code: expect.any(Number), out: '' });
    expect(cli.code).not.toBe(0);
    expect(cli.err).toMatch(/bara bokas samma dag/);

    // A day later the same type offers that day's times, and the window moved with it.
    api.setNow('2026-11-24T07:30:00+01:00');
    const next = await api.ok('slots.findFree', { appointmentTypeId: type.id, limit: 50 });
    expect(next.map((f) => new Date(f.startAt).toISOString().slice(0, 10))).toEqual(Array(7).fill('2026-11-24'));
    expect(
      (await api.ok('bookings.book', { slotId: tomorrow.id, patientId: patient.id, appointmentTypeId: type.id })).status,
    ).toBe('booked');
  });
});
