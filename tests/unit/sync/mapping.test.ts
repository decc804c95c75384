// Every resource the push sends is valid FHIR R4 by Medplum's validator (not hand-written
// checks), and what the pull reads back equals what was sent; times carry the Stockholm offset,
// also on the DST Sundays.
import { describe, expect, it } from 'vitest';
import { validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { loadFhirDefinitions } from '../../../src-main/demo/central/repository.ts';
import {
  appointmentFields,
  bookingToAppointment,
  clinicianToPractitioner,
  clinicianToRole,
  EXT,
  patientFields,
  patientToFhir,
  PERSONNUMMER_SYSTEM,
  readWebRules,
  resourceToSchedule,
  roomToLocation,
  SAMORDNINGSNUMMER_SYSTEM,
  slotFields,
  slotToFhir,
  toFhirInstant,
  typeToHealthcareService,
  unitToOrganization,
  type BookingRow,
  type SlotRow,
  type TypeRow,
} from '../../../src-main/sync/fhir/mapping.ts';
import { wallClockToInstant } from '../../../src-main/domain/time.ts';

loadFhirDefinitions();
const TZ = 'Europe/Stockholm';
const ref = (t: string, id: string) => `${t}/${id.slice(0, 8)}`;
const valid = (r: Resource) => expect(() => validateResource(r)).not.toThrow();

const type: TypeRow = {
  id: '01900000-0000-7000-8000-000000000001',
  code: 'LAKBES',
  name_sv: 'Läkarbesök',
  duration_min: 30,
  contact_modes: '["physical","video"]',
  web_bookable: 1,
  invitation_only: 0,
  web_cancellable: 1,
  web_rebookable: 0,
  cancel_cutoff_h: 24,
  rebook_cutoff_h: 72,
  book_min_lead_h: 2,
  book_max_days: 90,
  active: 1,
};

const doctor = {
  id: '01900000-0000-7000-8000-000000000002',
  kind: 'clinician' as const,
  name: 'Anna Maria Lindqvist',
  profession: 'lakare',
  title: 'Distriktsläkare',
  hsa_id: 'SE2321000016-1234',
  active: 1,
};

describe('mapping to FHIR R4', () => {
  it('produces resources the FHIR R4 validator accepts', () => {
    valid(unitToOrganization({ id: doctor.id, hsa_id: 'SE2321000016-7SOL', name: 'Vårdcentralen Solbacken' }));
    valid(clinicianToPractitioner(doctor));
    valid(clinicianToRole(doctor, 'u', ref));
    valid(roomToLocation({ ...doctor, kind: 'room', profession: null }, 'u', ref));
    valid(resourceToSchedule(doctor, ref));
    valid(typeToHealthcareService(type, 'u', ref));
    valid(
      patientToFhir({
        id: 'p',
        identity_number: '195001109800',
        identity_kind: 'personnummer',
        given_name: 'Astrid',
        family_name: 'Öberg',
        phone: '0701234567',
        protected_identity: 1,
      }),
    );
  });

  it('maps slots both ways, with the Stockholm offset on both DST Sundays', () => {
    for (const [date, expected] of [
      ['2026-03-29', '2026-03-29T08:00:00+02:00'],
      ['2026-10-25', '2026-10-25T08:00:00+01:00'],
    ] as const) {
      const start = wallClockToInstant(date, 8 * 60, TZ);
      const slot: SlotRow = {
        id: 's',
        resource_id: 'r',
        start_at: start,
        end_at: start + 1_800_000,
        state: 'blocked',
        block_reason: 'Utbildning',
        web_published: 1,
        within_care_guarantee: 0,
      };
      const fhir = slotToFhir(slot, ['LAKBES', 'TELE'], false, TZ, ref);
      valid(fhir);
      expect(fhir.start).toBe(expected);
      expect(fhir.status).toBe('busy-unavailable');
      expect(slotFields(fhir)).toEqual({
        startAt: start,
        endAt: start + 1_800_000,
        state: 'blocked',
        blockReason: 'Utbildning',
        webPublished: true,
        withinCareGuarantee: false,
        typeCodes: ['LAKBES', 'TELE'],
        templateId: null,
        // Blocked by hand: the Slot says so (slot-absence `manual`).
        absenceId: null,
      });
    }
    expect(
      slotToFhir(
        {
          id: 's',
          resource_id: 'r',
          start_at: 0,
          end_at: 1,
          state: 'removed',
          block_reason: null,
          web_published: 0,
          within_care_guarantee: 1,
        },
        ['X'],
        false,
        TZ,
        ref,
      ).status,
    ).toBe('entered-in-error');
    expect(toFhirInstant(Date.UTC(2026, 0, 1, 12), TZ)).toBe('2026-01-01T13:00:00+01:00');
  });

  it('a blocked slot names its absence (slot-absence), a hand block says manual, an older Slot says nothing', () => {
    const blocked: SlotRow = {
      id: 's',
      resource_id: 'r',
      start_at: 0,
      end_at: 1_800_000,
      state: 'blocked',
      block_reason: 'Kurs',
      web_published: 1,
      within_care_guarantee: 1,
      absence_id: 'abs-1',
    };
    const byAbsence = slotToFhir(blocked, ['LAKBES'], false, TZ, ref);
    valid(byAbsence);
    expect(slotFields(byAbsence).absenceId).toBe('abs-1');
    const byHand = slotToFhir({ ...blocked, absence_id: null }, ['LAKBES'], false, TZ, ref);
    valid(byHand);
    expect(slotFields(byHand).absenceId).toBeNull();
    // An open slot carries no block, whatever the row still names.
    const open = slotToFhir({ ...blocked, state: 'open', block_reason: null }, ['LAKBES'], false, TZ, ref);
    expect(open.extension?.some((e) => e.url === EXT.slotAbsence)).toBe(false);
    const older = { ...byAbsence, extension: (byAbsence.extension ?? []).filter((e) => e.url !== EXT.slotAbsence) };
    expect(slotFields(older).absenceId).toBeUndefined();
  });

  it('a time held on återbudslistan is busy-tentative while open and unbooked, and reads back open', () => {
    const open: SlotRow = {
      id: 's',
      resource_id: 'r',
      start_at: 0,
      end_at: 1_800_000,
      state: 'open',
      block_reason: null,
      web_published: 1,
      within_care_guarantee: 1,
    };
    const held = slotToFhir(open, ['LAKBES'], false, TZ, ref, undefined, true);
    valid(held);
    expect(held.status).toBe('busy-tentative');
    expect(slotFields(held).state).toBe('open');
    expect(slotToFhir(open, ['LAKBES'], true, TZ, ref, undefined, true).status).toBe('busy');
    expect(slotToFhir({ ...open, state: 'blocked' }, ['LAKBES'], false, TZ, ref, undefined, true).status).toBe(
      'busy-unavailable',
    );
    expect(slotToFhir(open, ['LAKBES'], false, TZ, ref).status).toBe('free');
  });

  it('carries the web rules on the appointment type', () => {
    const hs = typeToHealthcareService(type, 'u', ref);
    expect(readWebRules(hs)).toEqual({
      webBookable: true,
      invitationOnly: false,
      webCancellable: true,
      webRebookable: false,
      cancelCutoffH: 24,
      rebookCutoffH: 72,
      bookMinLeadH: 2,
      bookMaxDays: 90,
    });
  });

  it('maps patients with the national identifier systems', () => {
    const p = patientToFhir({
      id: 'p',
      identity_number: '199001709808',
      identity_kind: 'samordningsnummer',
      given_name: 'Leila',
      family_name: 'Ali',
      phone: null,
      protected_identity: 0,
    });
    expect(p.identifier?.find((i) => i.system === SAMORDNINGSNUMMER_SYSTEM)?.value).toBe('199001709808');
    expect(patientFields(p)).toMatchObject({
      identityNumber: '199001709808',
      identityKind: 'samordningsnummer',
      givenName: 'Leila',
      familyName: 'Ali',
      protectedIdentity: false,
    });
    const q = patientToFhir({
      id: 'q',
      identity_number: '195001109800',
      identity_kind: 'personnummer',
      given_name: 'A',
      family_name: 'B',
      phone: null,
      protected_identity: 1,
    });
    expect(q.identifier?.[1]?.system).toBe(PERSONNUMMER_SYSTEM);
    expect(patientFields(q)?.protectedIdentity).toBe(true);
  });

  it('maps every booking status, a rebooking link and reasons, valid and reversible', () => {
    const start = wallClockToInstant('2026-03-29', 9 * 60, TZ);
    const base: BookingRow = {
      id: 'b',
      slot_id: 's',
      patient_id: 'p',
      contact_mode: 'video',
      status: 'booked',
      channel: 'phone',
      note: 'Tolk behövs',
      rebooked_from: null,
      rebooked_to: null,
      reason_code: null,
      reason_text: null,
      created_at: start - 86_400_000,
    };
    const c = { startAt: start, endAt: start + 1_800_000, typeCode: 'LAKBES', tz: TZ };
    const expected = {
      preliminary: 'pending',
      booked: 'booked',
      arrived: 'arrived',
      completed: 'fulfilled',
      cancelled: 'cancelled',
      no_show: 'noshow',
      rebooked: 'cancelled',
    } as const;
    for (const [status, fhirStatus] of Object.entries(expected) as [BookingRow['status'], string][]) {
      const b = {
        ...base,
        status,
        ...(status === 'rebooked' ? { rebooked_to: 'n' } : {}),
        ...(status === 'cancelled' ? { reason_code: 'SJUK', reason_text: 'Feber' } : {}),
      };
      const a = bookingToAppointment(b, c, ref);
      valid(a);
      expect(a.status).toBe(fhirStatus);
      const back = appointmentFields(a);
      expect(back.status).toBe(status);
      expect(back).toMatchObject({
        channel: 'phone',
        contactMode: 'video',
        typeCode: 'LAKBES',
        note: 'Tolk behövs',
        createdAt: base.created_at,
      });
      if (status === 'cancelled') expect(back).toMatchObject({ reasonCode: 'SJUK', reasonText: 'Feber' });
      if (status === 'rebooked') expect(back.rebookedToRef).toBe('Appointment/n');
    }
  });
});
