// A schedule template ending 24:00 (the next midnight) as FHIR `Basic`: FHIR's `time` has no 24:00
// (hh is 00–23), so the end is sent as 00:00:00, which no other template can have as its end (an
// end is after the start), and read back as 24:00.
import { describe, expect, it } from 'vitest';
import { validateResource } from '@medplum/core';
import { loadFhirDefinitions } from '../../../src-main/demo/central/repository.ts';
import { basicFields, templateToBasic } from '../../../src-main/sync/fhir/mapping.ts';
import type { TemplateRow } from '../../../src-main/store/scheduling-rows.ts';

loadFhirDefinitions();
const clinician = { id: '01900000-0000-7000-8000-0000000000c2', kind: 'clinician' as const };
const evening: Omit<TemplateRow, 'appointment_type_ids' | 'version'> = {
  id: '01900000-0000-7000-8000-000000000072',
  resource_id: clinician.id,
  name: 'Kvällsjour',
  weekdays: '[1,2,3,4,5,6,7]',
  every_n_weeks: 1,
  valid_from: '2026-03-02',
  valid_to: null,
  start_time: '20:00',
  end_time: '24:00',
  slot_min: 60,
  publish_web: 0,
  within_care_guarantee: 1,
  skip_holidays: 0,
  active: 1,
};

describe('a template ending 24:00 <-> Basic', () => {
  it('sends the end as 00:00:00, valid FHIR R4, and reads it back as 24:00', () => {
    const basic = templateToBasic(evening, ['JOUR'], clinician, 'Organization/u1');
    expect(() => validateResource(basic)).not.toThrow();
    const end = basic.extension![0]!.extension!.find((e) => e.url === 'endTime');
    expect(end).toEqual({ url: 'endTime', valueTime: '00:00:00' });
    expect(basicFields(basic)).toEqual({ kind: 'template', ...evening, typeCodes: ['JOUR'] });
  });

  it('a whole day 00:00–24:00 too', () => {
    const day = { ...evening, start_time: '00:00' };
    const basic = templateToBasic(day, ['JOUR'], clinician, 'Organization/u1');
    expect(() => validateResource(basic)).not.toThrow();
    expect(basicFields(basic)).toMatchObject({ start_time: '00:00', end_time: '24:00' });
  });
});
