// What a scheduler may lay out: a slot or template only offers appointment types its resource may
// perform, that are active and that fit in the slot's length, so that no free slot in the book is
// one nobody can book. Also the plain-Swedish validation messages staff read for bad numbers.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentType, Resource } from '../../../src-main/api/types.ts';
import { demoApi, type Api } from './helpers.ts';

let api: Api;
let type: Record<string, AppointmentType>;
let anna: Resource; // läkare
let room: Resource; // provtagningsrum, no profession

beforeAll(async () => {
  api = demoApi();
  type = Object.fromEntries((await api.ok('appointmentTypes.list', {})).map((t) => [t.code, t]));
  const resources = await api.ok('resources.list', {});
  anna = resources.find((r) => r.name === 'Anna Lindqvist')!;
  room = resources.find((r) => r.kind === 'room')!;
});

const slot = (resourceId: string, typeIds: string[], startTime: string, endTime: string) => ({
  resourceId,
  date: '2026-12-05', // a Saturday: no demo slots to overlap
  startTime,
  endTime,
  appointmentTypeIds: typeIds,
});

const template = (resourceId: string, typeIds: string[], slotMin: number) => ({
  template: {
    resourceId,
    weekdays: [6],
    validFrom: '2026-11-23',
    startTime: '09:00',
    endTime: '12:00',
    slotMin,
    appointmentTypeIds: typeIds,
  },
});

describe('slots and templates offer only types their resource can take', () => {
  it('refuses a type of another profession, naming the resource and the type', async () => {
    const single = await api.err('slots.create', slot(anna.id, [type.FYSIO!.id], '09:00', '09:45'));
    expect(single).toEqual({
      code: 'validation',
      message: 'Anna Lindqvist kan inte ta emot Fysioterapi: besökstypen är för en annan yrkesgrupp.',
    });
    expect(await api.err('templates.create', template(anna.id, [type.LAKBES!.id, type.FYSIO!.id], 45))).toMatchObject({
      code: 'validation',
      message: 'Anna Lindqvist kan inte ta emot Fysioterapi: besökstypen är för en annan yrkesgrupp.',
    });
    // A room has no profession: only types open to every profession (Provtagning) fit.
    expect(await api.err('slots.create', slot(room.id, [type.LAKBES!.id], '09:00', '09:30'))).toMatchObject({
      code: 'validation',
    });
    expect((await api.ok('slots.create', slot(room.id, [type.PROV!.id], '09:00', '09:10'))).appointmentTypeIds).toEqual([
      type.PROV!.id,
    ]);
  });

  it('refuses slots shorter than a type they offer', async () => {
    expect(await api.err('slots.create', slot(anna.id, [type.LAKBES!.id], '10:00', '10:20'))).toEqual({
      code: 'validation',
      message: 'Läkarbesök tar 30 minuter men tiden är 20 minuter.',
    });
    expect(await api.err('templates.create', template(anna.id, [type.LAKVID!.id, type.LAKBES!.id], 15))).toMatchObject({
      message: 'Läkarbesök tar 30 minuter men tiden är 15 minuter.',
    });
    // Longer slots may offer shorter types.
    const ok = await api.ok('templates.create', template(anna.id, [type.LAKVID!.id, type.LAKBES!.id], 30));
    expect(ok.expansion.created).toBeGreaterThan(0);
  });

  it('refuses an inactive type on new slots, and a slot change to a type that does not fit', async () => {
    await api.ok('appointmentTypes.setActive', { id: type.LAKVID!.id, active: false });
    try {
      expect(await api.err('slots.create', slot(anna.id, [type.LAKVID!.id], '13:00', '13:15'))).toEqual({
        code: 'validation',
        message: 'Videobesök läkare är inaktiverad och kan inte erbjudas på nya tider.',
      });
    } finally {
      await api.ok('appointmentTypes.setActive', { id: type.LAKVID!.id, active: true });
    }
    const s = await api.ok('slots.create', slot(anna.id, [type.LAKVID!.id], '14:00', '14:15'));
    expect(await api.err('slots.update', { id: s.id, appointmentTypeIds: [type.LAKBES!.id] })).toMatchObject({
      message: 'Läkarbesök tar 30 minuter men tiden är 15 minuter.',
    });
    // Nothing was written by the refused calls.
    expect(
      api.count(
        `SELECT count(*) AS n FROM slots WHERE resource_id = ? AND appointment_type_ids LIKE ?`,
        anna.id,
        `%${type.FYSIO!.id}%`,
      ),
    ).toBe(0);
  });
});

describe('two templates on the same hours', () => {
  it("reports the second one's slots as overlaps, also where a start coincides, and lays none of them", async () => {
    const sunday = (slotMin: number, typeId: string) => ({
      template: { ...template(anna.id, [typeId], slotMin).template, weekdays: [7], startTime: '13:00', endTime: '15:00' },
    });
    const first = await api.ok('templates.create', sunday(20, type.LAKVID!.id));
    expect(first.expansion).toMatchObject({ created: 12 * 6, existing: 0, skippedOverlaps: 0 }); // 12 Sundays in the horizon
    const second = await api.ok('templates.create', sunday(30, type.LAKBES!.id));
    expect(second.expansion).toMatchObject({ created: 0, existing: 0, skippedOverlaps: 12 * 4 });
    // Expanding again: the first template's slots exist, the second's still overlap.
    expect(await api.ok('templates.expand', { templateIds: [first.template.id, second.template.id] })).toMatchObject({
      created: 0,
      existing: 12 * 6,
      skippedOverlaps: 12 * 4,
    });
  });
});

describe('a template whose types are all deactivated', () => {
  it('lays out no new slots (nobody could book them) until a type is active again', async () => {
    const t = await api.ok('templates.create', {
      template: { ...template(anna.id, [type.TELE!.id], 15).template, weekdays: [7], startTime: '17:00', endTime: '18:00' },
      horizonWeeks: 1,
    });
    expect(t.expansion.created).toBe(4); // Sunday 29 Nov, 17:00–18:00
    await api.ok('appointmentTypes.setActive', { id: type.TELE!.id, active: false });
    try {
      expect(await api.ok('templates.expand', { templateIds: [t.template.id], horizonWeeks: 3 })).toMatchObject({ created: 0 });
    } finally {
      await api.ok('appointmentTypes.setActive', { id: type.TELE!.id, active: true });
    }
    expect(await api.ok('templates.expand', { templateIds: [t.template.id], horizonWeeks: 3 })).toMatchObject({ created: 8 });
  });
});

describe('what the template form offers', () => {
  it('lists the active types a resource may take, and the preview names what would not fit', async () => {
    const forAnna = await api.ok('appointmentTypes.list', { forResourceId: anna.id });
    // Läkare: the läkare types and the types open to every profession; no nurse or physio types.
    expect(forAnna.map((t) => t.code).sort()).toEqual(['LAKBES', 'LAKVID', 'PROV', 'TELE']);
    expect((await api.ok('appointmentTypes.list', { forResourceId: room.id })).map((t) => t.code)).toEqual(['PROV']);
    const spec = template(anna.id, [type.LAKBES!.id], 20).template;
    expect(await api.err('templates.preview', { template: spec })).toMatchObject({
      code: 'validation',
      message: 'Läkarbesök tar 30 minuter men tiden är 20 minuter.',
    });
    // Without a resource the preview only lays out the times.
    const { resourceId: _, ...withoutResource } = spec;
    expect(
      (await api.ok('templates.preview', { template: withoutResource, from: '2026-11-23', to: '2026-11-30' })).slots,
    ).toHaveLength(9);
  });
});

describe('plain Swedish for bad input', () => {
  it('says which bound a number broke, and that a date range runs backwards', async () => {
    const base = {
      code: 'NEG',
      nameSv: 'Negativ',
      nameEn: 'Negative',
      durationMin: 20,
      contactModes: ['physical' as const],
      cancelCutoffH: -1,
    };
    expect(await api.err('appointmentTypes.create', base)).toMatchObject({
      code: 'validation',
      message: 'Ogiltiga uppgifter: Avbokning senast (timmar före): Värdet måste vara minst 0.',
      details: { issues: [{ path: 'cancelCutoffH', message: 'Avbokning senast (timmar före): Värdet måste vara minst 0.' }] },
    });
    expect(await api.err('appointmentTypes.create', { ...base, cancelCutoffH: 24, durationMin: 12.5 })).toMatchObject({
      message: 'Ogiltiga uppgifter: Längd (minuter): Ange ett heltal.',
    });
    expect(await api.err('appointmentTypes.create', { ...base, cancelCutoffH: 24, nameSv: '' })).toMatchObject({
      message: 'Ogiltiga uppgifter: Namn (svenska): Fältet får inte vara tomt.',
    });
    expect(
      await api.err('slots.findFree', { appointmentTypeId: type.LAKBES!.id, from: '2026-12-10', to: '2026-12-01' }),
    ).toMatchObject({ code: 'validation', message: 'Ogiltiga uppgifter: Slutdatum får inte vara före startdatum.' });
    // One day is from = to (both ends inclusive).
    const oneDay = await api.ok('slots.findFree', { appointmentTypeId: type.LAKBES!.id, from: '2026-11-30', to: '2026-11-30' });
    expect(oneDay.length).toBeGreaterThan(0);
  });
});
