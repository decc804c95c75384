// The unit's tag: every Slot and Appointment a desk sends names its unit (meta.tag, the HSA-id as a
// Coding), valid FHIR R4, and the search a desk reads its unit's Appointments by (`_tag`) finds its
// own and no other unit's, by @medplum/core's matcher (the stand-in's searches and Subscriptions use it).
import { describe, expect, it } from 'vitest';
import { matchesSearchRequest, parseSearchRequest, validateResource } from '@medplum/core';
import type { Appointment } from '@medplum/fhirtypes';
import { loadFhirDefinitions } from '../../../src-main/demo/central/repository.ts';
import {
  bookingToAppointment,
  HSA_SYSTEM,
  slotToFhir,
  unitTagsOf,
  unitTagSearch,
  type BookingRow,
  type SlotRow,
} from '../../../src-main/sync/fhir/mapping.ts';
import { wallClockToInstant } from '../../../src-main/domain/time.ts';

loadFhirDefinitions();
const TZ = 'Europe/Stockholm';
const OURS = 'SE2321000016-7TST';
const THEIRS = 'SE2321000016-8TST';
const ref = (t: string, id: string) => `${t}/${id.slice(0, 8)}`;
const start = wallClockToInstant('2026-03-29', 9 * 60, TZ);
const slot: SlotRow = {
  id: 's',
  resource_id: 'r',
  start_at: start,
  end_at: start + 1_800_000,
  state: 'open',
  block_reason: null,
  web_published: 1,
  within_care_guarantee: 1,
};
const booking: BookingRow = {
  id: 'b',
  slot_id: 's',
  patient_id: 'p',
  contact_mode: 'physical',
  status: 'booked',
  channel: 'desk',
  note: '',
  rebooked_from: null,
  rebooked_to: null,
  reason_code: null,
  reason_text: null,
  created_at: start - 86_400_000,
};
const appointmentOf = (hsa: string): Appointment =>
  bookingToAppointment(booking, { startAt: start, endAt: start + 1_800_000, typeCode: 'LAKBES', tz: TZ, unitHsaId: hsa }, ref);
const search = (hsa: string) => parseSearchRequest(`Appointment?_tag=${unitTagSearch(hsa)}`);

describe("the unit's tag", () => {
  it('is on every Slot and Appointment sent, as the HSA-id Coding, and both stay valid FHIR R4', () => {
    const s = slotToFhir(slot, ['LAKBES'], true, TZ, ref, OURS);
    const a = appointmentOf(OURS);
    for (const r of [s, a]) {
      expect(r.meta?.tag).toEqual([{ system: HSA_SYSTEM, code: OURS }]);
      expect(() => validateResource(r)).not.toThrow();
    }
    expect(unitTagsOf(s)).toEqual([{ system: HSA_SYSTEM, code: OURS }]);
  });

  it("finds the unit's own Appointments by _tag, and neither another unit's nor an untagged one", () => {
    const { meta: _none, ...untagged } = appointmentOf(OURS);
    expect(search(OURS).filters).toEqual([{ code: '_tag', operator: 'eq', value: `${HSA_SYSTEM}|${OURS}` }]);
    expect(matchesSearchRequest(appointmentOf(OURS), search(OURS))).toBe(true);
    expect(matchesSearchRequest(appointmentOf(THEIRS), search(OURS))).toBe(false);
    expect(matchesSearchRequest(untagged as Appointment, search(OURS))).toBe(false);
  });

  it('is kept next to tags central put there: the 1177 side copies only the unit tag from the Slot', () => {
    const s = slotToFhir(slot, ['LAKBES'], false, TZ, ref, OURS);
    const atCentral = { ...s, meta: { tag: [{ system: 'urn:region:queue', code: 'x' }, ...s.meta!.tag!] } };
    expect(unitTagsOf(atCentral)).toEqual([{ system: HSA_SYSTEM, code: OURS }]);
    expect(matchesSearchRequest({ ...appointmentOf(OURS), meta: atCentral.meta } as Appointment, search(OURS))).toBe(true);
  });
});
