// Acceptance cases a region's test lead would run on appointment types, template editing and the
// free-slot search ("första lediga tid"), through the api on the demo unit (now: Monday
// 2026-11-23 09:10 in Stockholm). Expected answers are derived from the rules and the calendar by
// hand (Saturdays of the 12-week horizon, annandag jul 2026-12-26 a holiday), not from Tidbok.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InputOf } from '../../../src-main/api/contract.ts';
import type { AppointmentType, Resource } from '../../../src-main/api/types.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { localDate, localTime, startOfLocalDay } from '../../../src-main/domain/time.ts';
import { ACTIVE_BOOKING_STATUSES } from '../../../src-main/store/rows.ts';
import { demoApi, type Api } from './helpers.ts';

const TZ = 'Europe/Stockholm';
const HOUR = 3_600_000;
const when = (at: number) => `${localDate(at, TZ)} ${localTime(at, TZ)}`;

async function demo(): Promise<{ api: Api; type: Record<string, AppointmentType>; res: Record<string, Resource> }> {
  const api = demoApi();
  const type = Object.fromEntries((await api.ok('appointmentTypes.list', {})).map((t) => [t.code, t]));
  const res = Object.fromEntries((await api.ok('resources.list', {})).map((r) => [r.name, r]));
  return { api, type, res };
}

let serial = 0;
async function patient(api: Api) {
  serial++;
  return api.ok('patients.create', {
    identityNumber: makeIdentityNumber(`1958-03-${String(10 + serial).padStart(2, '0')}`, 300 + serial),
    givenName: 'Test',
    familyName: `Acceptans${serial}`,
  });
}

describe('appointment types: bad input is refused in Swedish, naming the field', () => {
  let api: Api;
  beforeAll(async () => ({ api } = await demo()));
  const base = { code: 'NY', nameSv: 'Ny typ', nameEn: 'New type', durationMin: 20, contactModes: ['physical' as const] };

  it.each([
    [{ durationMin: 3 }, 'Ogiltiga uppgifter: Längd (minuter): Värdet måste vara minst 5.'],
    [{ durationMin: 481 }, 'Ogiltiga uppgifter: Längd (minuter): Värdet får vara högst 480.'],
    [{ durationMin: 22.5 }, 'Ogiltiga uppgifter: Längd (minuter): Ange ett heltal.'],
    [{ nameSv: '   ' }, 'Ogiltiga uppgifter: Namn (svenska): Fältet får inte vara tomt.'],
    [{ nameEn: undefined }, 'Ogiltiga uppgifter: Namn (engelska): Uppgiften saknas.'],
    [{ code: 'LÄK BES' }, 'Ogiltiga uppgifter: Koden får bara innehålla bokstäver, siffror, - och _.'],
    [{ contactModes: [] }, 'Ogiltiga uppgifter: Välj minst ett kontaktsätt.'],
    [{ contactModes: ['physical', 'physical'] }, 'Ogiltiga uppgifter: Kontaktsätt får inte upprepas.'],
    [{ colour: 'röd' }, 'Ogiltiga uppgifter: Färg ska anges som #RRGGBB.'],
    [{ bookMaxDays: -1 }, 'Ogiltiga uppgifter: Bokas högst (dagar framåt): Värdet måste vara minst 0.'],
    [{ bookMinLeadH: -1 }, 'Ogiltiga uppgifter: Bokas minst (timmar i förväg): Värdet måste vara minst 0.'],
    [{ cancelCutoffH: 8761 }, 'Ogiltiga uppgifter: Avbokning senast (timmar före): Värdet får vara högst 8760.'],
    [{ rebookCutoffH: 1.5 }, 'Ogiltiga uppgifter: Ombokning senast (timmar före): Ange ett heltal.'],
    [{ professions: [''] }, 'Ogiltiga uppgifter: Får utföras av: Fältet får inte vara tomt.'],
    [
      { webBookable: true, invitationOnly: true },
      'En besökstyp kan inte vara både fritt webbokningsbar och bara bokningsbar efter kallelse.',
    ],
    [
      { bookMinLeadH: 72, bookMaxDays: 2 },
      'Minsta framförhållning (72 timmar) når förbi sista bokningsbara dagen: den måste ta slut innan den dagen gör, ' +
        'räknat från midnatt i dag. Med bokning högst 2 dagar framåt får den vara högst 71 timmar.',
    ],
    [
      {
        reasonCodes: [
          { code: 'SJUK', textSv: 'Sjuk', textEn: 'Ill' },
          { code: 'SJUK', textSv: 'Sjuk igen', textEn: 'Ill again' },
        ],
      },
      'Orsakskoderna måste vara unika.',
    ],
  ])('%j: %s', async (patch, message) => {
    const e = await api.err('appointmentTypes.create', { ...base, ...patch } as never);
    expect(e).toMatchObject({ code: 'validation', message });
  });

  it('takes a lead that ends within the last bookable day counted from midnight (49 h of a 2-day window)', async () => {
    const t = await api.ok('appointmentTypes.create', { ...base, code: 'LEAD49', bookMinLeadH: 49, bookMaxDays: 2 });
    expect([t.bookMinLeadH, t.bookMaxDays]).toEqual([49, 2]);
  });

  it('names the field of an unknown choice too', async () => {
    const e = await api.err('appointmentTypes.create', { ...base, reasonCancel: 'kanske' } as never);
    expect(e.message).toMatch(/^Ogiltiga uppgifter: Orsak vid avbokning: Ogiltigt val/);
  });

  it('keeps codes unique whatever the case, Å, Ä and Ö included', async () => {
    const t = await api.ok('appointmentTypes.create', { ...base, code: 'ÅTERBESÖK' });
    for (const code of ['återbesök', 'Återbesök', 'lakbes', ' LAKBES ']) {
      expect(await api.err('appointmentTypes.create', { ...base, code })).toMatchObject({
        code: 'conflict',
        message: `Det finns redan en besökstyp med koden ${code.trim()}.`,
      });
    }
    // The type's own code in another case is no clash.
    expect((await api.ok('appointmentTypes.update', { id: t.id, code: 'Återbesök' })).code).toBe('Återbesök');
  });

  it('stores every field as given and reads it back', async () => {
    const full = {
      code: 'SPEC-1',
      nameSv: 'Specialistbesök',
      nameEn: 'Specialist visit',
      durationMin: 40,
      contactModes: ['video' as const, 'phone' as const],
      professions: ['lakare'],
      webBookable: false,
      invitationOnly: true,
      webCancellable: true,
      webRebookable: false,
      cancelCutoffH: 72,
      rebookCutoffH: 48,
      reasonNew: 'mandatory' as const,
      reasonCancel: 'unsupported' as const,
      reasonRebook: 'optional' as const,
      reasonCodes: [{ code: 'REM', textSv: 'Remiss', textEn: 'Referral' }],
      bookMinLeadH: 24,
      bookMaxDays: 90,
      colour: '#aa3377',
    };
    const t = await api.ok('appointmentTypes.create', full);
    expect(await api.ok('appointmentTypes.get', { id: t.id })).toMatchObject({ ...full, active: true });
  });
});

describe('appointment types: edits while slots and bookings exist', () => {
  let api: Api;
  let type: Record<string, AppointmentType>;
  beforeAll(async () => ({ api, type } = await demo()));
  const lakbes = () => type.LAKBES!;
  const free = (extra: object = {}) =>
    api.ok('slots.findFree', { appointmentTypeId: lakbes().id, from: '2026-11-24', to: '2026-11-24', limit: 200, ...extra });

  it('a lengthened type is not offered, nor bookable, in slots now too short; its bookings stay', async () => {
    const before = await free();
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((f) => f.endAt - f.startAt === 30 * 60_000)).toBe(true);
    const p = await patient(api);
    const booking = await api.ok('bookings.book', { slotId: before[0]!.slotId, patientId: p.id, appointmentTypeId: lakbes().id });

    await api.ok('appointmentTypes.update', { id: lakbes().id, durationMin: 40 });
    expect(await free()).toEqual([]);
    expect(
      await api.err('bookings.book', { slotId: before[1]!.slotId, patientId: p.id, appointmentTypeId: lakbes().id }),
    ).toMatchObject({
      code: 'validation',
      message: 'Tiden är 30 minuter men besökstypen tar 40 minuter.',
      details: { rule: 'slot_too_short' },
    });
    expect((await api.ok('bookings.get', { id: booking.id })).status).toBe('booked');

    // Back to 30 minutes: the same slots are offered again (the booked one not).
    await api.ok('appointmentTypes.update', { id: lakbes().id, durationMin: 30 });
    expect((await free()).map((f) => f.slotId)).toEqual(before.slice(1).map((f) => f.slotId));
  });

  it('narrowed professions: the other profession is neither offered nor bookable; contact modes likewise', async () => {
    const tele = type.TELE!; // läkare and sjuksköterska, phone
    const search = () =>
      api.ok('slots.findFree', { appointmentTypeId: tele.id, from: '2026-11-24', to: '2026-11-26', limit: 200 });
    const doctorSlot = (await search()).find((f) => f.profession === 'lakare')!;
    expect(doctorSlot).toBeDefined();
    await api.ok('appointmentTypes.update', { id: tele.id, professions: ['sjukskoterska'] });
    const after = await search();
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((f) => f.profession === 'sjukskoterska')).toBe(true);
    const p = await patient(api);
    expect(
      await api.err('bookings.book', { slotId: doctorSlot.slotId, patientId: p.id, appointmentTypeId: tele.id }),
    ).toMatchObject({ code: 'validation', details: { rule: 'profession' } });
    await api.ok('appointmentTypes.update', { id: tele.id, contactModes: ['phone'] });
    expect(
      await api.err('bookings.book', {
        slotId: after[0]!.slotId,
        patientId: p.id,
        appointmentTypeId: tele.id,
        contactMode: 'video',
      }),
    ).toMatchObject({ code: 'validation', details: { rule: 'contact_mode' } });
  });

  it('web flags: not web-bookable hides it from the web search; invitation-only shows it only to the invited', async () => {
    const web = (invited?: boolean) => free({ webOnly: true, ...(invited ? { invited } : {}) });
    const published = await web();
    expect(published.length).toBeGreaterThan(0);
    expect(published.every((f) => f.webPublished)).toBe(true);
    await api.ok('appointmentTypes.update', { id: lakbes().id, webBookable: false });
    expect(await web()).toEqual([]);
    await api.ok('appointmentTypes.update', { id: lakbes().id, invitationOnly: true });
    expect(await web()).toEqual([]);
    expect((await web(true)).map((f) => f.slotId)).toEqual(published.map((f) => f.slotId));
    // The desk sees the unpublished ones too.
    expect((await free()).length).toBeGreaterThan(published.length);
  });

  it('web cancel flag and cut-off: an edit applies to existing bookings at once', async () => {
    const blodtr = type.BLODTR!;
    const [slot] = await api.ok('slots.findFree', {
      appointmentTypeId: blodtr.id,
      from: '2026-11-26',
      to: '2026-11-26',
      limit: 1,
    });
    const booking = await api.ok('bookings.book', {
      slotId: slot!.slotId,
      patientId: (await patient(api)).id,
      appointmentTypeId: blodtr.id,
    });
    const cancel = async () => (await api.ok('bookings.onlinePermissions', { id: booking.id })).cancel;
    await api.ok('appointmentTypes.update', { id: blodtr.id, webCancellable: true, cancelCutoffH: 24 });
    expect(await cancel()).toEqual({ allowed: true, reason: null, deadline: slot!.startAt - 24 * HOUR });
    await api.ok('appointmentTypes.update', { id: blodtr.id, cancelCutoffH: 96 }); // before now (Monday)
    expect(await cancel()).toEqual({ allowed: false, reason: 'deadline_passed', deadline: slot!.startAt - 96 * HOUR });
    await api.ok('appointmentTypes.update', { id: blodtr.id, webCancellable: false });
    expect(await cancel()).toMatchObject({ allowed: false, reason: 'type_disallows' });
  });

  it('reason rules edited per process apply to the next booking and rebooking', async () => {
    const diab = type.DIAB!;
    await api.ok('appointmentTypes.update', {
      id: diab.id,
      reasonNew: 'mandatory',
      reasonRebook: 'unsupported',
      reasonCodes: [{ code: 'KONTROLL', textSv: 'Årlig kontroll', textEn: 'Annual check' }],
    });
    const [a, b] = await api.ok('slots.findFree', { appointmentTypeId: diab.id, limit: 2 });
    const p = await patient(api);
    const book = (extra: object) =>
      ({ slotId: a!.slotId, patientId: p.id, appointmentTypeId: diab.id, ...extra }) as InputOf<'bookings.book'>;
    expect(await api.err('bookings.book', book({}))).toMatchObject({ code: 'validation', message: 'Ange orsak till bokningen.' });
    expect(await api.err('bookings.book', book({ reasonCode: 'OKAND' }))).toMatchObject({
      message: 'Orsakskoden OKAND finns inte för besökstypen.',
    });
    const booked = await api.ok('bookings.book', book({ reasonCode: 'KONTROLL' }));
    expect(
      await api.err('bookings.rebook', { id: booked.id, slotId: b!.slotId, reasonText: 'Patienten vill flytta' }),
    ).toMatchObject({
      message: 'Besökstypen tar inte emot orsak vid ombokning.',
    });
    expect((await api.ok('bookings.rebook', { id: booked.id, slotId: b!.slotId })).new.slotId).toBe(b!.slotId);
  });

  it('deactivated: never offered nor bookable, bookings stay; delete refused while used, allowed when unused', async () => {
    const vacc = type.VACC!;
    const [first, second] = await api.ok('slots.findFree', { appointmentTypeId: vacc.id, limit: 2 });
    const p = await patient(api);
    const booking = await api.ok('bookings.book', { slotId: first!.slotId, patientId: p.id, appointmentTypeId: vacc.id });
    await api.ok('appointmentTypes.setActive', { id: vacc.id, active: false });
    expect(await api.ok('slots.findFree', { appointmentTypeId: vacc.id })).toEqual([]);
    expect(await api.ok('slots.findFree', { appointmentTypeId: vacc.id, webOnly: true })).toEqual([]);
    expect(await api.err('bookings.book', { slotId: second!.slotId, patientId: p.id, appointmentTypeId: vacc.id })).toMatchObject(
      {
        code: 'validation',
        details: { rule: 'type_inactive' },
      },
    );
    expect((await api.ok('bookings.get', { id: booking.id })).status).toBe('booked');
    // Online the patient may still cancel it, not move it (no new time of the type can be booked).
    await api.ok('appointmentTypes.update', {
      id: vacc.id,
      webCancellable: true,
      webRebookable: true,
      cancelCutoffH: 0,
      rebookCutoffH: 0,
    });
    const online = await api.ok('bookings.onlinePermissions', { id: booking.id });
    expect([online.cancel.allowed, online.rebook]).toEqual([true, { allowed: false, reason: 'type_disallows', deadline: null }]);
    expect(await api.err('appointmentTypes.delete', { id: vacc.id })).toMatchObject({
      code: 'conflict',
      message: 'Besökstypen används och kan inte tas bort. Inaktivera den i stället.',
    });
    const unused = await api.ok('appointmentTypes.create', {
      code: 'OANVAND',
      nameSv: 'Oanvänd',
      nameEn: 'Unused',
      durationMin: 15,
      contactModes: ['phone'],
    });
    expect(await api.ok('appointmentTypes.delete', { id: unused.id })).toEqual({ id: unused.id });
    expect((await api.err('appointmentTypes.get', { id: unused.id })).code).toBe('not_found');
  });
});

describe('schedule templates: every edit changes only future unbooked slots, reports booked ones', () => {
  let api: Api;
  let type: Record<string, AppointmentType>;
  let res: Record<string, Resource>;
  let templateId: string;
  let bookedSlotId: string;
  beforeAll(async () => ({ api, type, res } = await demo()));

  /** The template's live slots as "date time", in time order. */
  const live = () =>
    (
      api.ctx.db
        .prepare(`SELECT start_at FROM slots WHERE template_id = ? AND state <> 'removed' ORDER BY start_at`)
        .pluck()
        .all(templateId) as number[]
    ).map(when);
  const times = (dates: string[], clock: string[]) => dates.flatMap((d) => clock.map((c) => `${d} ${c}`));
  // Saturdays of the horizon (2026-11-23 + 12 weeks), without annandag jul 2026-12-26.
  const SATURDAYS = ['2026-11-28', '2026-12-05', '2026-12-12', '2026-12-19', '2027-01-02', '2027-01-09', '2027-01-16'].concat([
    '2027-01-23',
    '2027-01-30',
    '2027-02-06',
    '2027-02-13',
  ]);

  it('creates exactly what the preview showed, skipping the holiday, idempotently', async () => {
    const spec = {
      resourceId: res['Johan Ek']!.id,
      weekdays: [6],
      validFrom: '2026-11-23',
      startTime: '09:00',
      endTime: '12:00',
      slotMin: 45,
      appointmentTypeIds: [type.FYSIO!.id],
    };
    const preview = await api.ok('templates.preview', { template: spec });
    const created = await api.ok('templates.create', { template: spec });
    templateId = created.template.id;
    expect(preview.skipped).toEqual([{ date: '2026-12-26', holiday: 'annandag jul' }]);
    expect(live()).toEqual(times(SATURDAYS, ['09:00', '09:45', '10:30', '11:15']));
    expect(preview.slots.map((s) => `${s.date} ${s.startTime}`)).toEqual(live());
    expect(await api.ok('templates.expand', { templateIds: [templateId] })).toMatchObject({ created: 0, existing: 44 });
    bookedSlotId = api.ctx.db
      .prepare(`SELECT id FROM slots WHERE template_id = ? AND start_at = ?`)
      .pluck()
      .get(templateId, startOfLocalDay('2026-12-05', TZ) + 9 * HOUR) as string;
    const p = await patient(api);
    await api.ok('bookings.book', { slotId: bookedSlotId, patientId: p.id, appointmentTypeId: type.FYSIO!.id });
  });

  it('publish to web: the unbooked future slots go on the web and to the sync outbox', async () => {
    const seq = api.count(`SELECT coalesce(max(seq), 0) AS n FROM outbox`);
    const change = await api.ok('templates.update', { id: templateId, changes: { publishWeb: true } });
    expect(change.expansion).toMatchObject({ updated: 43, removed: 0, created: 0 });
    expect(change.expansion.bookedUnchanged.map((b) => b.slotId)).toEqual([bookedSlotId]);
    const synced = api.ctx.db
      .prepare(`SELECT json_extract(payload, '$.webPublished') FROM outbox WHERE seq > ? AND entity = 'slot'`)
      .pluck()
      .all(seq) as number[];
    expect(synced).toEqual(Array(43).fill(1));
    const web = await api.ok('slots.findFree', {
      appointmentTypeId: type.FYSIO!.id,
      resourceId: res['Johan Ek']!.id,
      from: '2026-11-28',
      to: '2026-11-28',
      webOnly: true,
    });
    expect(web.map((f) => when(f.startAt))).toEqual(times(['2026-11-28'], ['09:00', '09:45', '10:30', '11:15']));
  });

  it.each([
    {
      step: 'valid to shortened (inclusive)',
      changes: { validTo: '2026-12-05' },
      expected: () => times(['2026-11-28', '2026-12-05'], ['09:00', '09:45', '10:30', '11:15']),
      counts: { removed: 36, created: 0 },
    },
    {
      step: 'open-ended again, every second week from the week of valid from',
      changes: { validTo: null, everyNWeeks: 2 },
      // Weeks 0, 2, 4 (annandag jul), 6, 8, 10 from 2026-11-23; the booked 12-05 09:00 stays.
      expected: () => [
        ...times(['2026-11-28'], ['09:00', '09:45', '10:30', '11:15']),
        '2026-12-05 09:00',
        ...times(['2026-12-12', '2027-01-09', '2027-01-23', '2027-02-06'], ['09:00', '09:45', '10:30', '11:15']),
      ],
      counts: { removed: 3, created: 16 },
    },
    {
      step: 'valid from moved, weekly on Saturday and Sunday, later start, longer slots',
      changes: { validFrom: '2026-12-10', everyNWeeks: 1, weekdays: [6, 7], startTime: '09:30', slotMin: 60 },
      expected: () => [
        '2026-12-05 09:00',
        ...times(
          [
            '2026-12-12',
            '2026-12-13',
            '2026-12-19',
            '2026-12-20',
            '2026-12-27',
            ...['2027-01-02', '2027-01-03', '2027-01-09', '2027-01-10', '2027-01-16', '2027-01-17'],
            ...['2027-01-23', '2027-01-24', '2027-01-30', '2027-01-31', '2027-02-06', '2027-02-07', '2027-02-13', '2027-02-14'],
          ],
          ['09:30', '10:30'],
        ),
      ],
      counts: { removed: 20, created: 38 },
    },
  ])('$step', async ({ changes, expected, counts }) => {
    const change = await api.ok('templates.update', { id: templateId, changes });
    expect(change.expansion).toMatchObject(counts);
    expect(change.expansion.bookedUnchanged.map((b) => b.slotId)).toEqual([bookedSlotId]);
    expect(live()).toEqual(expected());
    expect(await api.ok('templates.expand', { templateIds: [templateId] })).toMatchObject({ created: 0 });
    expect(live()).toEqual(expected());
  });

  it('a type added: the same slots offer it in place (same ids), the booked one keeps its types', async () => {
    const ids = () =>
      api.ctx.db
        .prepare(`SELECT id FROM slots WHERE template_id = ? AND state <> 'removed' ORDER BY start_at`)
        .pluck()
        .all(templateId);
    const before = ids();
    const change = await api.ok('templates.update', {
      id: templateId,
      changes: { appointmentTypeIds: [type.FYSIO!.id, type.PROV!.id] },
    });
    expect(change.expansion).toMatchObject({ updated: 38, removed: 0, created: 0 });
    expect(ids()).toEqual(before);
    const prov = await api.ok('slots.findFree', {
      appointmentTypeId: type.PROV!.id,
      resourceId: res['Johan Ek']!.id,
      limit: 200,
    });
    expect(prov.map((f) => when(f.startAt))).toEqual(live().filter((t) => t !== '2026-12-05 09:00'));
  });

  it('deactivated: unbooked future slots leave, the booked one stays and is reported', async () => {
    const change = await api.ok('templates.deactivate', { id: templateId });
    expect(change.expansion).toMatchObject({ removed: 38, created: 0 });
    expect(change.expansion.bookedUnchanged.map((b) => b.slotId)).toEqual([bookedSlotId]);
    expect(live()).toEqual(['2026-12-05 09:00']);
    expect(await api.ok('templates.expand', { templateIds: [templateId] })).toMatchObject({ created: 0 });
    expect(live()).toEqual(['2026-12-05 09:00']);
    expect(await api.err('templates.update', { id: templateId, changes: { publishWeb: false } })).toMatchObject({
      code: 'conflict',
      message: 'Schemamallen är inaktiverad och kan inte ändras. Lägg upp en ny mall i stället.',
    });
  });

  it("never touches today's slots that already began", async () => {
    const anna = res['Anna Lindqvist']!;
    const template = (await api.ok('templates.list', { resourceId: anna.id })).find((t) => t.startTime === '08:00')!;
    const today = () =>
      api.ctx.db
        .prepare(
          `SELECT start_at, state, web_published, version FROM slots WHERE template_id = ? AND start_at >= ? AND start_at < ? ORDER BY start_at`,
        )
        // Today only: the demo's templates also laid out its past weeks.
        .all(template.id, startOfLocalDay('2026-11-23', TZ), startOfLocalDay('2026-11-24', TZ));
    const before = today();
    expect(before.map((s) => when((s as { start_at: number }).start_at)).slice(0, 3)).toEqual([
      '2026-11-23 08:00',
      '2026-11-23 08:30',
      '2026-11-23 09:00',
    ]);
    await api.ok('templates.update', { id: template.id, changes: { publishWeb: false, startTime: '08:15', endTime: '11:45' } });
    const after = today() as { start_at: number }[];
    // Past starts (08:00, 08:30, 09:00) are as they were, version and web flag included; the new
    // 09:15 would overlap the 09:00 slot that began, so it is not laid; the rest follow the edit.
    expect(after.slice(0, 3)).toEqual(before.slice(0, 3));
    expect(after.slice(3).every((s) => s.start_at > api.ctx.now())).toBe(true);
    expect(after.map((s) => when(s.start_at))).not.toContain('2026-11-23 09:15');
    expect(after.map((s) => when(s.start_at))).toContain('2026-11-23 09:45');
  });
});

describe('schedule templates: bad input is refused in Swedish, naming the field', () => {
  let api: Api;
  let type: Record<string, AppointmentType>;
  let res: Record<string, Resource>;
  beforeAll(async () => ({ api, type, res } = await demo()));

  it.each([
    [{ startTime: '9:00' }, 'Ogiltiga uppgifter: Från kl.: Tid ska skrivas TT:MM.'],
    // 24:00 ends a day (the next midnight) but never starts one; nothing is later.
    [{ endTime: '24:30' }, 'Ogiltiga uppgifter: Till kl.: Tid ska skrivas TT:MM (senast 24:00).'],
    [
      { startTime: '24:00', endTime: '24:00' },
      'Ogiltiga uppgifter: Från kl.: En tid kan inte börja 24:00: 24:00 är dygnets slut och kan bara vara en sluttid. Det nya dygnet börjar 00:00.',
    ],
    [{ startTime: '12:00', endTime: '09:00' }, 'Ogiltiga uppgifter: Sluttiden måste vara efter starttiden.'],
    [{ validFrom: '2027-02-29' }, 'Ogiltiga uppgifter: Gäller från: Datumet finns inte.'],
    [{ validTo: '31/12/2026' }, 'Ogiltiga uppgifter: Gäller till: Datum ska skrivas ÅÅÅÅ-MM-DD.'],
    [{ validTo: '2026-11-01' }, 'Ogiltiga uppgifter: Slutdatum måste vara efter startdatum.'],
    [{ weekdays: [] }, 'Ogiltiga uppgifter: Välj minst en veckodag.'],
    [{ weekdays: [1, 8] }, 'Ogiltiga uppgifter: Veckodagar: Värdet får vara högst 7.'],
    [{ weekdays: [2, 2] }, 'Ogiltiga uppgifter: Veckodagar får inte upprepas.'],
    [{ everyNWeeks: 0 }, 'Ogiltiga uppgifter: Var n:e vecka: Värdet måste vara minst 1.'],
    [{ slotMin: 4 }, 'Ogiltiga uppgifter: Tidslängd (minuter): Värdet måste vara minst 5.'],
    [{ slotMin: 30 }, 'Fysioterapi tar 45 minuter men tiden är 30 minuter.'],
    [{ startTime: '09:00', endTime: '09:30' }, 'Passet är kortare än en tid.'],
    [{ appointmentTypeIds: [] }, 'Ogiltiga uppgifter: Välj minst en besökstyp.'],
  ])('%j: %s', async (patch, message) => {
    const template = {
      resourceId: res['Johan Ek']!.id,
      weekdays: [6],
      validFrom: '2026-11-23',
      startTime: '09:00',
      endTime: '12:00',
      slotMin: 45,
      appointmentTypeIds: [type.FYSIO!.id],
      ...patch,
    };
    expect(await api.err('templates.create', { template } as never)).toMatchObject({ code: 'validation', message });
  });
});

describe('schedule templates whose type was deactivated or lengthened since', () => {
  it('may still be ended; a change of slot length or an added type is checked', async () => {
    const { api, type, res } = await demo();
    const fysio = type.FYSIO!;
    const [template] = await api.ok('templates.list', { resourceId: res['Johan Ek']!.id });
    await api.ok('appointmentTypes.setActive', { id: fysio.id, active: false });
    const ended = await api.ok('templates.update', { id: template!.id, changes: { validTo: '2026-11-30' } });
    const after = api.ctx.db
      .prepare(`SELECT id FROM slots WHERE template_id = ? AND state <> 'removed' AND start_at >= ?`)
      .pluck()
      .all(template!.id, startOfLocalDay('2026-12-01', TZ)) as string[];
    expect(ended.expansion.removed).toBeGreaterThan(0);
    expect(after.sort()).toEqual(ended.expansion.bookedUnchanged.map((b) => b.slotId).sort());
    expect(await api.err('templates.update', { id: template!.id, changes: { slotMin: 50 } })).toMatchObject({
      code: 'validation',
      message: 'Fysioterapi är inaktiverad och kan inte erbjudas på nya tider.',
    });
    await api.ok('appointmentTypes.setActive', { id: fysio.id, active: true });
    await api.ok('appointmentTypes.update', { id: fysio.id, durationMin: 60 });
    await api.ok('templates.update', { id: template!.id, changes: { validTo: '2026-11-27' } });
    expect(await api.err('templates.update', { id: template!.id, changes: { slotMin: 50 } })).toMatchObject({
      message: 'Fysioterapi tar 60 minuter men tiden är 50 minuter.',
    });
    expect(
      await api.err('templates.update', { id: template!.id, changes: { appointmentTypeIds: [fysio.id, type.LAKBES!.id] } }),
    ).toMatchObject({ message: 'Johan Ek kan inte ta emot Läkarbesök: besökstypen är för en annan yrkesgrupp.' });
  });
});

describe('free-slot search', () => {
  let api: Api;
  let type: Record<string, AppointmentType>;
  let res: Record<string, Resource>;
  beforeAll(async () => ({ api, type, res } = await demo()));
  const now = () => api.ctx.now();

  /** Free open LAKBES slots of active doctors in [fromAt, toAt), counted in SQL. */
  const freeLakbes = (fromAt: number, toAt: number) =>
    api.count(
      `SELECT count(*) AS n FROM slots s JOIN resources r ON r.id = s.resource_id
        WHERE s.state = 'open' AND r.active = 1 AND s.start_at >= ? AND s.start_at < ?
          AND EXISTS (SELECT 1 FROM json_each(s.appointment_type_ids) WHERE value = ?)
          AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id AND b.status IN ${ACTIVE_BOOKING_STATUSES})`,
      fromAt,
      toAt,
      type.LAKBES!.id,
    );

  it('takes both dates of the range inclusively, in local days', async () => {
    const found = await api.ok('slots.findFree', {
      appointmentTypeId: type.LAKBES!.id,
      from: '2026-11-24',
      to: '2026-11-25',
      limit: 200,
    });
    expect([...new Set(found.map((f) => localDate(f.startAt, TZ)))]).toEqual(['2026-11-24', '2026-11-25']);
    expect(found).toHaveLength(freeLakbes(startOfLocalDay('2026-11-24', TZ), startOfLocalDay('2026-11-26', TZ)));
  });

  it('keeps the booking window: minimum lead hours and maximum days ahead (calendar days)', async () => {
    await api.ok('appointmentTypes.update', { id: type.LAKBES!.id, bookMinLeadH: 48, bookMaxDays: 3 });
    const found = await api.ok('slots.findFree', { appointmentTypeId: type.LAKBES!.id, limit: 200 });
    // Now Monday 09:10: earliest Wednesday 09:10, latest the end of Thursday.
    expect(found).toHaveLength(freeLakbes(now() + 48 * HOUR, startOfLocalDay('2026-11-27', TZ)));
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((f) => f.startAt >= now() + 48 * HOUR)).toBe(true);
    expect([...new Set(found.map((f) => localDate(f.startAt, TZ)))]).toEqual(['2026-11-25', '2026-11-26']);
    // A range beyond the window gives nothing rather than an error.
    expect(await api.ok('slots.findFree', { appointmentTypeId: type.LAKBES!.id, from: '2026-12-01' })).toEqual([]);
    await api.ok('appointmentTypes.update', { id: type.LAKBES!.id, bookMinLeadH: 0, bookMaxDays: 180 });
  });

  it('searches 180 days from the chosen date, for a type booked up to a year ahead', async () => {
    const yearly = await api.ok('appointmentTypes.create', {
      code: 'ARSKTRL',
      nameSv: 'Årskontroll',
      nameEn: 'Annual check-up',
      durationMin: 30,
      contactModes: ['physical'],
      professions: ['lakare'],
      bookMaxDays: 365,
    });
    const july = await api.ok(
      'slots.create',
      {
        resourceId: res['Anna Lindqvist']!.id,
        date: '2027-07-01',
        startTime: '10:00',
        endTime: '10:30',
        appointmentTypeIds: [yearly.id],
      },
      ['scheduler'],
    );
    expect(await api.ok('slots.findFree', { appointmentTypeId: yearly.id })).toEqual([]); // 220 days ahead
    expect((await api.ok('slots.findFree', { appointmentTypeId: yearly.id, from: '2027-06-01' })).map((f) => f.slotId)).toEqual([
      july.id,
    ]);
  });

  it('orders equal starts by the display order, also after a reorder', async () => {
    const anna = res['Anna Lindqvist']!.id;
    const erik = res['Erik Johansson']!.id;
    const firstTie = async () => {
      const found = await api.ok('slots.findFree', {
        appointmentTypeId: type.LAKBES!.id,
        from: '2026-11-25',
        to: '2026-11-25',
        limit: 200,
      });
      const i = found.findIndex((f, k) => k > 0 && f.startAt === found[k - 1]!.startAt);
      return [found[i - 1]!.resourceId, found[i]!.resourceId];
    };
    expect(await firstTie()).toEqual([anna, erik]);
    const order = (await api.ok('resources.list', {})).map((r) => r.id).filter((id) => id !== erik);
    await api.ok('resources.reorder', { ids: [erik, ...order] });
    expect(await firstTie()).toEqual([erik, anna]);
  });

  it('filters by resource and by profession; limit within 1..200, named when wrong', async () => {
    const johan = res['Johan Ek']!.id;
    const byResource = await api.ok('slots.findFree', { appointmentTypeId: type.TELE!.id, resourceId: johan });
    expect(byResource).toEqual([]); // a physiotherapist never offers TELE
    const nurses = await api.ok('slots.findFree', { appointmentTypeId: type.TELE!.id, profession: 'sjukskoterska', limit: 5 });
    expect(nurses).toHaveLength(5);
    expect(nurses.every((f) => f.profession === 'sjukskoterska')).toBe(true);
    for (const [limit, message] of [
      [0, 'Ogiltiga uppgifter: Antal: Värdet måste vara minst 1.'],
      [201, 'Ogiltiga uppgifter: Antal: Värdet får vara högst 200.'],
    ] as const) {
      expect(await api.err('slots.findFree', { appointmentTypeId: type.TELE!.id, limit })).toMatchObject({
        code: 'validation',
        message,
      });
    }
    // The default is the first 10, the same ones a larger limit starts with.
    const many = await api.ok('slots.findFree', { appointmentTypeId: type.VACC!.id, limit: 200 });
    expect(many.length).toBeGreaterThan(10);
    expect((await api.ok('slots.findFree', { appointmentTypeId: type.VACC!.id })).map((f) => f.slotId)).toEqual(
      many.slice(0, 10).map((f) => f.slotId),
    );
  });

  it("never offers an inactive resource's slots, nor blocked, removed or booked ones", async () => {
    const search = () =>
      api.ok('slots.findFree', { appointmentTypeId: type.LAKBES!.id, from: '2026-11-26', to: '2026-11-26', limit: 200 });
    const before = await search();
    const [a, b, c] = before;
    await api.ok('slots.block', { id: a!.slotId, reason: 'Möte' }, ['scheduler']);
    await api.ok('slots.remove', { id: b!.slotId }, ['scheduler']);
    await api.ok('bookings.book', { slotId: c!.slotId, patientId: (await patient(api)).id, appointmentTypeId: type.LAKBES!.id });
    expect((await search()).map((f) => f.slotId)).toEqual(before.slice(3).map((f) => f.slotId));
    // A locum's early slot comes first; once the locum is inactive it is never offered.
    const locum = await api.ok('resources.create', { kind: 'clinician', name: 'Vikarie Läkare', profession: 'lakare' }, [
      'scheduler',
    ]);
    const early = await api.ok(
      'slots.create',
      { resourceId: locum.id, date: '2026-11-26', startTime: '07:00', endTime: '07:30', appointmentTypeIds: [type.LAKBES!.id] },
      ['scheduler'],
    );
    expect((await search())[0]!.slotId).toBe(early.id);
    await api.ok('resources.setActive', { id: locum.id, active: false }, ['scheduler']);
    expect((await search()).map((f) => f.slotId)).toEqual(before.slice(3).map((f) => f.slotId));
  });
});

describe('tidbok slots free and templates update', () => {
  const tidbok = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli.ts', ...args], {
      cwd: resolve(import.meta.dirname, '../../..'),
      encoding: 'utf8',
      env: { ...process.env, TIDBOK_NOW: '2026-11-23T09:10:00+01:00' },
      timeout: 60_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('narrows to a profession or a resource as the desk does; templates update ends a template', () => {
    // The demo unit laid out in-process (a spawned `demo seed` costs seconds), closed for the CLI.
    const seeded = demoApi();
    const db = seeded.path;
    seeded.ctx.db.close();
    const nurses = JSON.parse(
      tidbok('slots', 'free', '--type', 'TELE', '--profession', 'sjukskoterska', '--json', '--db', db).out,
    ) as {
      profession: string;
    }[];
    expect(nurses).toHaveLength(10);
    expect(nurses.every((f) => f.profession === 'sjukskoterska')).toBe(true);
    const erik = tidbok('slots', 'free', '--type', 'LAKBES', '--resource', 'erik johansson', '--limit', '3', '--db', db);
    expect(erik.code).toBe(0);
    expect(
      erik.out
        .trimEnd()
        .split('\n')
        .map((l) => l.split('  ')[1]),
    ).toEqual(Array(3).fill('Erik Johansson'));

    // tidbok templates update: Johan Ek's weekday template ends on 2026-11-30.
    const sqlite = new Database(db);
    const templateId = sqlite
      .prepare(`SELECT t.id FROM schedule_templates t JOIN resources r ON r.id = t.resource_id WHERE r.name = 'Johan Ek'`)
      .pluck()
      .get() as string;
    const laterSlots = sqlite.prepare(
      `SELECT count(*) FROM slots s WHERE s.template_id = ? AND s.state <> 'removed' AND s.start_at >= ?
          AND (? OR NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id AND b.status IN ${ACTIVE_BOOKING_STATUSES}))`,
    );
    const december = startOfLocalDay('2026-12-01', TZ);
    const unbooked = laterSlots.pluck().get(templateId, december, 0) as number;
    const booked = (laterSlots.pluck().get(templateId, december, 1) as number) - unbooked;
    expect(unbooked).toBeGreaterThan(0);
    const ended = tidbok('templates', 'update', templateId, '--to', '2026-11-30', '--db', db);
    expect(ended.code).toBe(0);
    expect(ended.out.split('\n')[0]).toBe(
      `Schemamallen är ändrad: 0 nya, 0 ändrade och ${unbooked} borttagna kommande lediga tider.`,
    );
    expect(ended.out.includes(`${booked} bokade tider ligger kvar`)).toBe(booked > 0);
    expect(laterSlots.pluck().get(templateId, december, 1)).toBe(booked);
    sqlite.close();
    expect(tidbok('templates', 'update', templateId, '--types', 'LAKBES', '--db', db)).toMatchObject({
      code: 2,
      err: expect.stringContaining('Johan Ek kan inte ta emot Läkarbesök: besökstypen är för en annan yrkesgrupp.'),
    });
  });
});
