// A type the clinic stops offering (the flu-vaccination season ends) keeps its booked patients:
// staff may move such a booking to another time that still offers the type (laid before the
// deactivation), the unit's own moves (absence rebooking) too; nobody books the type anew, and the
// patient does not move it on 1177 (the web offers a deactivated type nothing).
import { describe, expect, it } from 'vitest';
import {
  checkCutoff,
  checkFit,
  mayPatientRebookOnline,
  type TypeRules,
  unitMoveProblem,
} from '../../../src-main/domain/booking-rules.ts';

const NOW = Date.parse('2026-11-23T09:10:00+01:00');
const START = Date.parse('2026-12-01T10:00:00+01:00');
const flu: TypeRules & { durationMin: number; nameSv: string } = {
  nameSv: 'Influensavaccination',
  durationMin: 10,
  active: false,
  contactModes: ['physical'],
  professions: [],
  webBookable: true,
  invitationOnly: false,
  webCancellable: true,
  webRebookable: true,
  cancelCutoffH: 0,
  rebookCutoffH: 0,
  reasonNew: 'optional',
  reasonCancel: 'optional',
  reasonRebook: 'optional',
  reasonCodes: [],
  bookMinLeadH: 0,
  bookMaxDays: 90,
};
const slot = { state: 'open', appointmentTypeIds: ['FLU'], webPublished: true, startAt: START, endAt: START + 10 * 60_000 };
const fit = (over: Partial<Parameters<typeof checkFit>[0]>) =>
  checkFit({
    type: flu,
    typeId: 'FLU',
    contactMode: 'physical',
    channel: 'desk',
    slot,
    resource: { active: true, profession: 'sjukskoterska' },
    ...over,
  });

describe('a deactivated type', () => {
  it('is not booked anew, by staff or on the web', () => {
    expect(fit({})).toMatchObject({ code: 'type_inactive', messageSv: 'Besökstypen är inaktiverad och kan inte bokas.' });
    expect(fit({ channel: 'phone' })?.code).toBe('type_inactive');
    expect(fit({ channel: 'web' })?.code).toBe('type_inactive');
  });

  it('is moved by staff to a time that still offers it, at the desk and on the phone', () => {
    expect(fit({ rebooking: true })).toBeNull();
    expect(fit({ rebooking: true, channel: 'phone' })).toBeNull();
    // The time must still offer the type: one laid after the deactivation does not.
    expect(fit({ rebooking: true, slot: { ...slot, appointmentTypeIds: ['OTHER'] } })?.code).toBe('type_not_in_slot');
    // The other fits still hold.
    expect(fit({ rebooking: true, slot: { ...slot, state: 'blocked' } })?.code).toBe('slot_blocked');
    expect(fit({ rebooking: true, contactMode: 'video' })?.code).toBe('contact_mode');
  });

  it('is not moved by the patient on 1177', () => {
    expect(fit({ rebooking: true, channel: 'web' })?.code).toBe('type_inactive');
    expect(mayPatientRebookOnline(flu, { status: 'booked', startAt: START }, NOW)).toMatchObject({ allowed: false });
    expect(checkCutoff('rebook', flu, { status: 'booked', startAt: START }, 'web', NOW, false)?.code).toBe('web_disallowed');
    expect(checkCutoff('rebook', flu, { status: 'booked', startAt: START }, 'desk', NOW, false)).toBeNull();
  });

  it('leaves its bookings movable by the unit (absence rebooking)', () => {
    expect(unitMoveProblem(flu, { startAt: START, contactMode: 'physical' }, NOW)).toBeNull();
    expect(unitMoveProblem(flu, { startAt: NOW - 1, contactMode: 'physical' }, NOW)).toBe('Besöket har redan börjat.');
    expect(unitMoveProblem({ ...flu, contactModes: ['phone'] }, { startAt: START, contactMode: 'physical' }, NOW)).toMatch(
      /^Influensavaccination erbjuds inte längre som fysiskt besök/,
    );
  });
});
