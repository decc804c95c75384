// Appointment types and resources read back from what a desk sends: valid FHIR R4 by Medplum's
// validator, every column back as stored, nothing taken that an older desk did not send or that
// breaks the table's bounds.
import { describe, expect, it } from 'vitest';
import { validateResource } from '@medplum/core';
import type { HealthcareService, Schedule } from '@medplum/fhirtypes';
import { loadFhirDefinitions } from '../../../src-main/demo/central/repository.ts';
import {
  clinicianToRole,
  EXT,
  healthcareServiceFields,
  resourceFields,
  resourceToSchedule,
  roomToLocation,
  typeToHealthcareService,
  type ResourceRow,
  type TypeRow,
} from '../../../src-main/sync/fhir/mapping.ts';

loadFhirDefinitions();
const ref = (t: string, id: string) => `${t}/${id.slice(0, 8)}`;

const type: Required<TypeRow> = {
  id: '01900000-0000-7000-8000-000000000001',
  code: 'HALSO',
  name_sv: 'Hälsosamtal',
  name_en: 'Health talk',
  duration_min: 45,
  contact_modes: '["physical","video"]',
  professions: '["sjukskoterska"]',
  web_bookable: 1,
  invitation_only: 0,
  web_cancellable: 1,
  web_rebookable: 0,
  cancel_cutoff_h: 48,
  rebook_cutoff_h: 12,
  reason_new: 'unsupported',
  reason_cancel: 'mandatory',
  reason_rebook: 'optional',
  reason_codes: '[{"code":"SJUK","textSv":"Sjukdom","textEn":"Illness"}]',
  book_min_lead_h: 2,
  book_max_days: 60,
  colour: '#aa3355',
  active: 0,
};
const { id: _id, ...columns } = type;

describe('appointment type <-> HealthcareService', () => {
  it('is valid FHIR R4 and reads back every column as stored', () => {
    const hs = typeToHealthcareService(type, 'u', ref);
    expect(() => validateResource(hs)).not.toThrow();
    expect(healthcareServiceFields(hs)).toEqual(columns);
  });

  it('keeps what a desk of an older version did not send (the local value stays)', () => {
    const {
      name_en: _n,
      professions: _p,
      reason_new: _a,
      reason_cancel: _b,
      reason_rebook: _c,
      reason_codes: _d,
      colour: _e,
      ...old
    } = type;
    const hs = typeToHealthcareService(old, 'u', ref);
    const f = healthcareServiceFields(hs)!;
    expect(Object.keys(f).sort()).toEqual(
      [
        'code',
        'name_sv',
        'duration_min',
        'contact_modes',
        'web_bookable',
        'invitation_only',
        'web_cancellable',
        'web_rebookable',
        'cancel_cutoff_h',
        'rebook_cutoff_h',
        'book_min_lead_h',
        'book_max_days',
        'active',
      ].sort(),
    );
  });

  it('takes nothing out of bounds, and nothing without a type code', () => {
    const hs = typeToHealthcareService(type, 'u', ref);
    const rules = hs.extension!.find((e) => e.url === EXT.webRules)!;
    const bad: HealthcareService = {
      ...hs,
      extension: [
        {
          ...rules,
          extension: rules.extension!.map((e) => (e.url === 'cancelCutoffHours' ? { ...e, valueInteger: 99_999 } : e)),
        },
        ...hs.extension!.filter((e) => e.url !== EXT.webRules && e.url !== EXT.colour),
        { url: EXT.colour, valueString: 'red' },
      ],
    };
    const f = healthcareServiceFields(bad)!;
    expect(f.cancel_cutoff_h).toBeUndefined();
    expect(f.colour).toBeUndefined();
    expect(f.rebook_cutoff_h).toBe(12);
    expect(healthcareServiceFields({ ...hs, type: [] })).toBeNull();
  });
});

describe('resource <-> PractitionerRole / Location (+ Schedule)', () => {
  const doctor: ResourceRow = {
    id: '01900000-0000-7000-8000-000000000002',
    kind: 'clinician',
    name: 'Karin Berg',
    profession: 'lakare',
    title: 'ST-läkare',
    hsa_id: 'SE2321000016-9KB1',
    active: 1,
  };
  const schedule = (r: ResourceRow): Schedule => resourceToSchedule(r, ref);

  it('reads clinicians, rooms and equipment back as stored, from valid FHIR R4', () => {
    const role = clinicianToRole(doctor, 'u', ref);
    expect(() => validateResource(role)).not.toThrow();
    expect(resourceFields(role, schedule(doctor))).toEqual(doctor);
    for (const kind of ['room', 'equipment'] as const) {
      const r: ResourceRow = { ...doctor, kind, name: 'EKG-apparat', profession: null, title: null, active: 0 };
      const location = roomToLocation(r, 'u', ref);
      expect(() => validateResource(location)).not.toThrow();
      expect(resourceFields(location, schedule(r))).toEqual(r);
    }
  });

  it("takes the name from the Schedule when an older desk's role does not carry it, and leaves the HSA-id as it is here", () => {
    const { display: _d, identifier: _i, ...practitioner } = clinicianToRole(doctor, 'u', ref).practitioner!;
    const old = { ...clinicianToRole(doctor, 'u', ref), practitioner };
    const { hsa_id: _h, ...withoutHsa } = doctor;
    expect(resourceFields(old, schedule(doctor))).toEqual(withoutHsa);
  });
});
