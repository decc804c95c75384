// Who cancelled, on the wire: every cancellation a desk sends carries `cancelled-via` (valid FHIR
// R4 by Medplum's validator) and reads back as sent; a cancelled Appointment without it came from
// outside the unit, unless its reason is coded in Tidbok's own system (a desk older than the marker).
import { describe, expect, it } from 'vitest';
import { validateResource } from '@medplum/core';
import { loadFhirDefinitions } from '../../../src-main/demo/central/repository.ts';
import {
  appointmentFields,
  bookingToAppointment,
  EXT,
  REASON_SYSTEM,
  type BookingRow,
} from '../../../src-main/sync/fhir/mapping.ts';

loadFhirDefinitions();
const ref = (t: string, id: string) => `${t}/${id}`;
const start = Date.parse('2026-10-25T09:00:00+01:00');
const c = { startAt: start, endAt: start + 1_800_000, typeCode: 'LAKBES', tz: 'Europe/Stockholm' };
const base: BookingRow = {
  id: 'b1',
  slot_id: 's1',
  patient_id: 'p1',
  contact_mode: 'physical',
  status: 'cancelled',
  channel: 'web',
  note: '',
  rebooked_from: null,
  rebooked_to: null,
  reason_code: null,
  reason_text: null,
  created_at: start - 3 * 86_400_000,
};
const marker = (a: { extension?: { url: string; valueCode?: string }[] }) =>
  a.extension?.filter((e) => e.url === EXT.cancelledVia).map((e) => e.valueCode);

describe('cancelled-via', () => {
  it.each(['desk', 'phone', 'web', 'unit'] as const)('a cancellation made via %s says so and reads back', (via) => {
    const a = bookingToAppointment({ ...base, cancelled_via: via }, c, ref);
    expect(() => validateResource(a)).not.toThrow();
    expect(marker(a)).toEqual([via]);
    expect(appointmentFields(a).cancelledVia).toBe(via);
  });

  it("a cancellation sync decided (no channel kept) is sent as the unit's", () => {
    const a = bookingToAppointment({ ...base, cancelled_via: null, reason_code: 'WEB_REJECTED' }, c, ref);
    expect(marker(a)).toEqual(['unit']);
  });

  it('an active booking or a rebooking carries no marker', () => {
    for (const b of [
      { ...base, status: 'booked' as const },
      { ...base, status: 'rebooked' as const, rebooked_to: 'b2', cancelled_via: 'desk' as const },
    ]) {
      const a = bookingToAppointment(b, c, ref);
      expect(marker(a)).toEqual([]);
      expect(appointmentFields(a).cancelledVia).toBeNull();
    }
  });

  it("a cancelled Appointment without the marker is the patient's, unless a Tidbok reason code shows an older desk", () => {
    const sent = bookingToAppointment({ ...base, status: 'booked', channel: 'desk' }, c, ref);
    const byPatient = { ...sent, status: 'cancelled' as const, cancelationReason: { text: 'Avbokad av patienten via 1177' } };
    expect(appointmentFields(byPatient).cancelledVia).toBe('web');
    const byOlderDesk = {
      ...sent,
      status: 'cancelled' as const,
      cancelationReason: { coding: [{ system: REASON_SYSTEM, code: 'SJUK' }] },
    };
    expect(appointmentFields(byOlderDesk).cancelledVia).toBe('unit');
    const unknownMarker = { ...byPatient, extension: [...sent.extension!, { url: EXT.cancelledVia, valueCode: 'fax' }] };
    expect(appointmentFields(unknownMarker).cancelledVia).toBe('web');
  });
});
