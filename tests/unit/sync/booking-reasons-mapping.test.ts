// The visit's reason and the cancellation's (or rebooking's) are two FHIR fields: Appointment.reasonCode
// and Appointment.cancelationReason. The push never puts one in the other's place, the pull reads
// each from its own, and what 1177 writes (text only, no Tidbok code) is read as words.
import { describe, expect, it } from 'vitest';
import { validateResource } from '@medplum/core';
import type { Appointment } from '@medplum/fhirtypes';
import { loadFhirDefinitions } from '../../../src-main/demo/central/repository.ts';
import { appointmentFields, bookingToAppointment, REASON_SYSTEM, type BookingRow } from '../../../src-main/sync/fhir/mapping.ts';
import { wallClockToInstant } from '../../../src-main/domain/time.ts';

loadFhirDefinitions();
const TZ = 'Europe/Stockholm';
const ref = (t: string, id: string) => `${t}/${id}`;
const start = wallClockToInstant('2026-12-01', 9 * 60, TZ);
const c = { startAt: start, endAt: start + 1_800_000, typeCode: 'LAKBES', tz: TZ };
const visit: BookingRow = {
  id: 'b',
  slot_id: 's',
  patient_id: 'p',
  contact_mode: 'physical',
  status: 'booked',
  channel: 'desk',
  note: '',
  rebooked_from: null,
  rebooked_to: null,
  reason_code: 'HOSTA',
  reason_text: 'sedan september',
  cancel_reason_code: null,
  cancel_reason_text: null,
  created_at: start - 86_400_000,
};
const coded = (code: string, text?: string) => ({ coding: [{ system: REASON_SYSTEM, code }], ...(text ? { text } : {}) });

describe('push', () => {
  it('an active booking: the visit reason in reasonCode, no cancelationReason', () => {
    const a = bookingToAppointment(visit, c, ref);
    expect(() => validateResource(a)).not.toThrow();
    expect(a.reasonCode).toEqual([coded('HOSTA', 'sedan september')]);
    expect(a.cancelationReason).toBeUndefined();
  });

  it('a cancelled booking: the visit reason stays in reasonCode, the cancellation’s in cancelationReason', () => {
    const a = bookingToAppointment(
      { ...visit, status: 'cancelled', cancel_reason_code: 'SJUK', cancel_reason_text: 'feber', cancelled_via: 'phone' },
      c,
      ref,
    );
    expect(() => validateResource(a)).not.toThrow();
    expect(a.reasonCode).toEqual([coded('HOSTA', 'sedan september')]);
    expect(a.cancelationReason).toEqual(coded('SJUK', 'feber'));
  });

  it('a rebooked booking: why it was moved in cancelationReason, next to the visit reason', () => {
    const a = bookingToAppointment({ ...visit, status: 'rebooked', rebooked_to: 'n', cancel_reason_text: 'semester' }, c, ref);
    expect(a.status).toBe('cancelled');
    expect(a.reasonCode).toEqual([coded('HOSTA', 'sedan september')]);
    expect(a.cancelationReason).toEqual({ text: 'semester' });
  });

  it('a cancellation without reason and a visit without one: neither field', () => {
    const a = bookingToAppointment({ ...visit, status: 'cancelled', reason_code: null, reason_text: null }, c, ref);
    expect(a.reasonCode).toBeUndefined();
    expect(a.cancelationReason).toBeUndefined();
  });
});

describe('pull', () => {
  it('reads back what the push sent, each reason from its own field', () => {
    for (const row of [
      visit,
      { ...visit, status: 'cancelled' as const, cancel_reason_code: 'SJUK', cancel_reason_text: 'feber' },
      { ...visit, status: 'rebooked' as const, rebooked_to: 'n', cancel_reason_code: 'PATIENT', cancel_reason_text: null },
    ]) {
      expect(appointmentFields(bookingToAppointment(row, c, ref))).toMatchObject({
        status: row.status,
        reasonCode: 'HOSTA',
        reasonText: 'sedan september',
        cancelReasonCode: row.cancel_reason_code,
        cancelReasonText: row.cancel_reason_text,
      });
    }
  });

  it('a patient’s cancellation on 1177: the visit reason kept, the words of the cancellation read as text', () => {
    const onWeb = bookingToAppointment(visit, c, ref);
    const cancelled: Appointment = {
      ...onWeb,
      status: 'cancelled',
      cancelationReason: { text: 'Avbokad av patienten via 1177' },
    };
    expect(appointmentFields(cancelled)).toMatchObject({
      status: 'cancelled',
      reasonCode: 'HOSTA',
      reasonText: 'sedan september',
      cancelReasonCode: null,
      cancelReasonText: 'Avbokad av patienten via 1177',
      cancelledVia: 'web',
    });
  });

  it('a cancellation written before the split (cancelationReason only): no visit reason invented', () => {
    const old: Appointment = { ...bookingToAppointment({ ...visit, reason_code: null, reason_text: null }, c, ref) };
    old.status = 'cancelled';
    old.cancelationReason = coded('SJUK');
    expect(appointmentFields(old)).toMatchObject({
      reasonCode: null,
      reasonText: null,
      cancelReasonCode: 'SJUK',
      cancelReasonText: null,
    });
  });

  it('an active Appointment carrying a stray cancelationReason: not a cancellation reason', () => {
    const a: Appointment = { ...bookingToAppointment(visit, c, ref), cancelationReason: { text: 'x' } };
    expect(appointmentFields(a)).toMatchObject({ status: 'booked', cancelReasonCode: null, cancelReasonText: null });
  });
});
