// Schedule templates and absences as FHIR `Basic`: valid R4 by Medplum's validator, every column
// read back as stored, and nothing taken from one that breaks the bounds staff input has.
import { describe, expect, it } from 'vitest';
import { validateResource } from '@medplum/core';
import type { Basic, Extension } from '@medplum/fhirtypes';
import { loadFhirDefinitions } from '../../../src-main/demo/central/repository.ts';
import { wallClockToInstant } from '../../../src-main/domain/time.ts';
import {
  absenceToBasic,
  BASIC_CODE,
  basicFields,
  EXT,
  ID_SYSTEM,
  RESOURCE_KIND_SYSTEM,
  slotFields,
  slotToFhir,
  templateToBasic,
} from '../../../src-main/sync/fhir/mapping.ts';
import type { AbsenceRow, TemplateRow } from '../../../src-main/store/scheduling-rows.ts';

loadFhirDefinitions();
const TZ = 'Europe/Stockholm';
const clinician = { id: '01900000-0000-7000-8000-0000000000c1', kind: 'clinician' as const };
const room = { id: '01900000-0000-7000-8000-0000000000r1', kind: 'room' as const };

const template: Omit<TemplateRow, 'appointment_type_ids' | 'version'> = {
  id: '01900000-0000-7000-8000-000000000071',
  resource_id: clinician.id,
  name: 'Förmiddag',
  weekdays: '[1,3,5]',
  every_n_weeks: 2,
  valid_from: '2026-03-02',
  valid_to: '2026-06-30',
  start_time: '08:00',
  end_time: '11:30',
  slot_min: 20,
  publish_web: 1,
  within_care_guarantee: 0,
  skip_holidays: 1,
  active: 0,
};
// An absence over the spring DST Sunday: both ends keep their own offset.
const absence: AbsenceRow = {
  id: '01900000-0000-7000-8000-0000000000a1',
  resource_id: room.id,
  start_at: wallClockToInstant('2026-03-28', 8 * 60, TZ),
  end_at: wallClockToInstant('2026-03-30', 17 * 60, TZ),
  reason: 'Renovering',
  state: 'withdrawn',
};

const parts = (b: Basic) => b.extension![0]!.extension!;
const withParts = (b: Basic, change: (p: Extension[]) => Extension[]): Basic => ({
  ...b,
  extension: [{ ...b.extension![0]!, extension: change(parts(b)) }],
});

describe('schedule template <-> Basic', () => {
  const basic = templateToBasic(template, ['LAKBES', 'TELE'], clinician, 'Organization/u1');

  it('is valid FHIR R4, coded, authored by the unit and about the clinician, and reads back every column', () => {
    expect(() => validateResource(basic)).not.toThrow();
    expect(basic.code.coding).toEqual([{ system: RESOURCE_KIND_SYSTEM, code: BASIC_CODE.template }]);
    expect(basic.identifier).toEqual([{ system: ID_SYSTEM, value: template.id }]);
    expect(basic.author).toEqual({ reference: 'Organization/u1' });
    expect(basic.subject).toEqual({ type: 'Practitioner', identifier: { system: ID_SYSTEM, value: clinician.id } });
    expect(basicFields(basic)).toEqual({ kind: 'template', ...template, typeCodes: ['LAKBES', 'TELE'] });
  });

  it('carries an empty name and an open end by leaving them out, and reads them back', () => {
    const open = templateToBasic({ ...template, name: '', valid_to: null, active: 1 }, ['LAKBES'], clinician, 'Organization/u1');
    expect(() => validateResource(open)).not.toThrow();
    expect(basicFields(open)).toMatchObject({ name: '', valid_to: null, active: 1, typeCodes: ['LAKBES'] });
  });

  it('is not taken when it breaks the bounds (end before start, no weekday, a slot longer than the day, no type)', () => {
    const broken: ((p: Extension[]) => Extension[])[] = [
      (p) => p.map((e) => (e.url === 'endTime' ? { url: 'endTime', valueTime: '07:00:00' } : e)),
      (p) => p.filter((e) => e.url !== 'weekday'),
      (p) => p.map((e) => (e.url === 'slotMinutes' ? { url: 'slotMinutes', valueInteger: 480 } : e)),
      (p) => p.filter((e) => e.url !== 'appointmentType'),
      (p) => p.map((e) => (e.url === 'weekday' ? { url: 'weekday', valueInteger: 8 } : e)),
    ];
    for (const change of broken) expect(basicFields(withParts(basic, change))).toBeNull();
  });

  it('is not one of ours without our identifier or a subject by our identifier', () => {
    expect(basicFields({ ...basic, identifier: [] })).toBeNull();
    expect(basicFields({ ...basic, subject: { reference: 'Practitioner/x' } })).toBeNull();
    expect(basicFields({ ...basic, code: { coding: [{ system: RESOURCE_KIND_SYSTEM, code: 'room' }] } })).toBeNull();
  });
});

describe('absence <-> Basic', () => {
  const basic = absenceToBasic(absence, room, 'Organization/u1', TZ);

  it('is valid FHIR R4 about the room, its period with the unit offset on each side of the DST Sunday', () => {
    expect(() => validateResource(basic)).not.toThrow();
    expect(basic.subject).toEqual({ type: 'Location', identifier: { system: ID_SYSTEM, value: room.id } });
    expect(parts(basic).find((e) => e.url === 'period')?.valuePeriod).toEqual({
      start: '2026-03-28T08:00:00+01:00',
      end: '2026-03-30T17:00:00+02:00',
    });
    expect(basicFields(basic)).toEqual({ kind: 'absence', ...absence });
    expect(basic.extension![0]!.url).toBe(EXT.absence);
  });

  it('reads an absence without a reason as an empty one, and refuses one that ends before it starts or has no state', () => {
    const plain = absenceToBasic({ ...absence, reason: '', state: 'active' }, room, 'Organization/u1', TZ);
    expect(basicFields(plain)).toMatchObject({ reason: '', state: 'active' });
    const backwards = withParts(basic, (p) =>
      p.map((e) =>
        e.url === 'period'
          ? { url: 'period', valuePeriod: { start: '2026-03-30T08:00:00+02:00', end: '2026-03-29T08:00:00+02:00' } }
          : e,
      ),
    );
    expect(basicFields(backwards)).toBeNull();
    expect(basicFields(withParts(basic, (p) => p.filter((e) => e.url !== 'state')))).toBeNull();
  });
});

describe('a template slot names its template', () => {
  it('by our identifier, valid FHIR R4, read back; a slot made by hand names none', () => {
    const row = {
      id: '01900000-0000-7000-8000-0000000000s1',
      resource_id: clinician.id,
      start_at: wallClockToInstant('2026-11-24', 8 * 60, TZ),
      end_at: wallClockToInstant('2026-11-24', 8 * 60 + 30, TZ),
      state: 'open' as const,
      block_reason: null,
      web_published: 1,
      within_care_guarantee: 1,
      template_id: template.id,
    };
    const slot = slotToFhir(row, ['LAKBES'], false, TZ, (t, id) => `${t}/${id.slice(0, 8)}`);
    expect(() => validateResource(slot)).not.toThrow();
    expect(slotFields(slot).templateId).toBe(template.id);
    const byHand = slotToFhir({ ...row, template_id: null }, ['LAKBES'], false, TZ, (t, id) => `${t}/${id.slice(0, 8)}`);
    expect(slotFields(byHand).templateId).toBeNull();
  });
});
