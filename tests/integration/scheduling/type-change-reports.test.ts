// What a scheduler is told when she changes an appointment type (fourth probe round's surprises):
// an edit that drops a contact mode lists the booked times in that mode, as it lists too-short
// and wrong-profession ones; a deactivation names the templates it leaves with no active type
// (they lay out nothing more); and a 0-hour cut-off reads "innan besöket börjar". Real SQLite
// files through dispatch; expected answers worked out here.
import { describe, expect, it } from 'vitest';
import { clockUnit } from './helpers.ts';

let units = 0;
const unitAt = (nowIso: string, rules: Record<string, unknown> = {}) => {
  units += 1;
  return clockUnit(
    nowIso,
    { hsaId: `SE2321000016-TYP${units}`, name: 'Vårdcentralen Typrapport' },
    { code: 'BES30', nameSv: 'Läkarbesök', nameEn: 'Doctor visit', durationMin: 30 },
    rules,
  );
};

describe('an edit that drops a contact mode', () => {
  it('lists the booked times in that mode with the mode as reason, keeps them booked, and a repeat writes nothing', async () => {
    const { api, slot, type, patient } = await unitAt('2026-12-01T07:00:00+01:00', {
      contactModes: ['physical', 'video', 'phone'],
    });
    const book = async (date: string, time: string, contactMode: 'physical' | 'video' | 'phone') =>
      api.ok('bookings.book', {
        slotId: (await slot(date, time, `${time.slice(0, 2)}:30`)).id,
        patientId: patient.id,
        appointmentTypeId: type.id,
        contactMode,
      });
    const video = await book('2026-12-03', '08:00', 'video');
    const physical = await book('2026-12-03', '09:00', 'physical');
    const phone = await book('2026-12-04', '10:00', 'phone');
    const edit = await api.ok('appointmentTypes.update', { id: type.id, contactModes: ['physical', 'phone'] });
    expect(edit.unfitBooked[0]).toMatchObject({ bookingId: video.id, reason: 'contactMode', contactMode: 'video' });
    expect(edit.unfitBooked).toHaveLength(1);
    // Free slots offer the type, not a mode: none is counted.
    expect(edit.unfitFreeSlots).toEqual({ tooShort: 0, wrongProfession: 0 });
    for (const b of [video, physical, phone]) expect((await api.ok('bookings.get', { id: b.id })).status).toBe('booked');
    const audit = api.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'change'`);
    const again = await api.ok('appointmentTypes.update', { id: type.id, contactModes: ['physical', 'phone'] });
    expect(again.unfitBooked.map((u) => u.bookingId)).toEqual([video.id]);
    expect(api.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'change'`)).toBe(audit);
    // Dropping phone too: both listed, in time order.
    const both = await api.ok('appointmentTypes.update', { id: type.id, contactModes: ['physical'] });
    expect(both.unfitBooked.map((u) => [u.bookingId, u.reason, 'contactMode' in u ? u.contactMode : null])).toEqual([
      [video.id, 'contactMode', 'video'],
      [phone.id, 'contactMode', 'phone'],
    ]);
  });

  it('a wrong profession or a too short time still wins over the dropped mode: one reason each', async () => {
    const { api, slot, type, patient } = await unitAt('2026-12-01T07:00:00+01:00', { contactModes: ['physical', 'video'] });
    const s = await slot('2026-12-03', '08:00', '08:30');
    const b = await api.ok('bookings.book', {
      slotId: s.id,
      patientId: patient.id,
      appointmentTypeId: type.id,
      contactMode: 'video',
    });
    const longer = await api.ok('appointmentTypes.update', { id: type.id, durationMin: 45, contactModes: ['physical'] });
    expect(longer.unfitBooked.map((u) => [u.bookingId, u.reason])).toEqual([[b.id, 'tooShort']]);
    // Its length back, the mode is what is left.
    const back = await api.ok('appointmentTypes.update', { id: type.id, durationMin: 30 });
    expect(back.unfitBooked.map((u) => [u.bookingId, u.reason])).toEqual([[b.id, 'contactMode']]);
  });
});

describe('deactivating a type', () => {
  it('names the active templates it leaves with no active type (resource and template), not those another type keeps', async () => {
    const { api, template, type, dag, natt } = await unitAt('2026-12-14T07:00:00+01:00');
    const other = await api.ok('appointmentTypes.create', {
      code: 'TEL',
      nameSv: 'Telefontid',
      nameEn: 'Phone time',
      durationMin: 15,
      contactModes: ['phone'],
    });
    const alone = (await template({ name: 'Förmiddag', weekdays: [2], appointmentTypeIds: [type.id] })).template;
    await template({ name: 'Blandad', resourceId: natt.id, weekdays: [3], appointmentTypeIds: [type.id, other.id] });
    await template({ name: 'Bara telefon', weekdays: [4], appointmentTypeIds: [other.id] });
    const ended = (await template({ name: 'Avslutad', weekdays: [5], appointmentTypeIds: [type.id] })).template;
    await api.ok('templates.deactivate', { id: ended.id });
    const audit = api.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'change'`);
    const off = await api.ok('appointmentTypes.setActive', { id: type.id, active: false });
    expect(off.active).toBe(false);
    expect(off.templatesLeftEmpty).toEqual([
      { templateId: alone.id, templateName: 'Förmiddag', resourceId: dag.id, resourceName: 'Dr Dag' },
    ]);
    expect(api.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'change'`)).toBe(audit + 1);
    // A repeat writes nothing and still says which templates lay nothing.
    const again = await api.ok('appointmentTypes.setActive', { id: type.id, active: false });
    expect([again.version, again.templatesLeftEmpty.map((x) => x.templateId)]).toEqual([off.version, [alone.id]]);
    expect(api.count(`SELECT count(*) AS n FROM audit_events WHERE action = 'change'`)).toBe(audit + 1);
    // The other type going too empties the mixed template; the one already empty stays listed.
    const tel = await api.ok('appointmentTypes.setActive', { id: other.id, active: false });
    expect(tel.templatesLeftEmpty.map((x) => x.templateName).sort()).toEqual(['Bara telefon', 'Blandad']);
    expect((await api.ok('appointmentTypes.setActive', { id: type.id, active: true })).templatesLeftEmpty).toEqual([]);
  });
});

describe('a cut-off of 0 hours', () => {
  it('says the visit must not have begun, for cancel and rebook alike', async () => {
    const { api, slot, type, patient } = await unitAt('2027-10-29T09:00:00+02:00', { cancelCutoffH: 0, rebookCutoffH: 0 });
    const s = await slot('2027-10-30', '09:00', '09:30');
    const later = await slot('2027-11-02', '09:00', '09:30');
    const b = await api.ok('bookings.book', { slotId: s.id, patientId: patient.id, appointmentTypeId: type.id });
    api.setNow('2027-10-30T09:05:00+02:00');
    expect((await api.err('bookings.cancel', { id: b.id })).message).toBe(
      'Avbokning måste göras innan besöket börjar: det gick att göra till 2027-10-30 kl. 09:00. Personal kan göra det med en motiverad åsidosättning.',
    );
    expect((await api.err('bookings.rebook', { id: b.id, slotId: later.id })).message).toBe(
      'Ombokning måste göras innan besöket börjar: det gick att göra till 2027-10-30 kl. 09:00. Personal kan göra det med en motiverad åsidosättning.',
    );
  });
});
