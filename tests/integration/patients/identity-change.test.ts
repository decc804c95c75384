// A patient registered under a reserve number (unconscious, unidentified) or a samordningsnummer
// gets her real personnummer later, or a mistyped number is corrected: patients.update takes the
// new number, checked as for a new patient, keeps every booking and logs the old number.
import { describe, expect, it } from 'vitest';
import { luhn } from '../../helpers/luhn-oracle.ts';
import { demoApi } from '../scheduling/helpers.ts';

/** A personnummer by Skatteverket's rule (not Tidbok's code): born `yymmdd`, serial `nnn`. */
const pnr = (century: string, yymmdd: string, nnn: string) => `${century}${yymmdd}${nnn}${luhn(yymmdd + nnn)}`;
const REAL = pnr('19', '870314', '238'); // 19870314238x
const OTHER = pnr('19', '870314', '246');

async function registered(api: ReturnType<typeof demoApi>, identityNumber: string, reserve = false) {
  return api.ok('patients.create', { identityNumber, reserve, givenName: 'Okänd', familyName: 'Kvinna' });
}

describe('changing a patient’s identity number', () => {
  it('a reserve number becomes her personnummer: same patient, same bookings, the old number in the log', async () => {
    const api = demoApi();
    const p = await registered(api, 'RES-2026-0042', true);
    expect(p.identityKind).toBe('reserve');
    const slot = api.ctx.db
      .prepare(
        `SELECT id, appointment_type_ids t FROM slots WHERE state = 'open' AND booked = 0 AND start_at > ? ORDER BY start_at LIMIT 1`,
      )
      .get(api.ctx.now() + 3 * 86_400_000) as { id: string; t: string };
    await api.ok('bookings.book', { slotId: slot.id, patientId: p.id, appointmentTypeId: (JSON.parse(slot.t) as string[])[0]! });

    // Typed as the desk hears it: ten digits with a dash.
    const typed = `${REAL.slice(2, 8)}-${REAL.slice(8)}`;
    const changed = await api.ok('patients.update', { id: p.id, identityNumber: typed, expectedVersion: p.version });
    expect(changed).toMatchObject({ id: p.id, identityNumber: REAL, identityKind: 'personnummer', version: p.version + 1 });
    expect(await api.ok('bookings.forPatient', { patientId: p.id })).toHaveLength(1);
    expect((await api.ok('patients.search', { query: typed })).map((x) => x.id)).toEqual([p.id]);

    const { detail } = api.ctx.db
      .prepare(`SELECT detail FROM audit_events WHERE entity_id = ? AND action = 'change' ORDER BY seq DESC LIMIT 1`)
      .get(p.id) as { detail: string };
    expect(JSON.parse(detail)).toEqual({
      op: 'update',
      changed: ['identityNumber'],
      previousIdentityNumber: 'RES-2026-0042',
      previousKind: 'reserve',
    });
    // Central gets the new number with the patient's update.
    const { payload } = api.ctx.db
      .prepare(`SELECT payload FROM outbox WHERE entity = 'patient' AND entity_id = ? ORDER BY seq DESC LIMIT 1`)
      .get(p.id) as { payload: string };
    expect(JSON.parse(payload)).toMatchObject({ identityNumber: REAL, identityKind: 'personnummer' });
  });

  it.each([
    ['a number another patient holds', () => OTHER, 'conflict', 'Det finns redan en patient med det personnumret.'],
    ['a wrong check digit', () => `${REAL.slice(0, 11)}${(Number(REAL[11]) + 1) % 10}`, 'validation', 'Kontrollsiffran'],
    ['an impossible date (31 February, right check digit)', () => pnr('19', '870231', '238'), 'validation', 'datum'],
    ['a reserve number not flagged as one', () => 'RES-2026-0043', 'validation', ''],
  ])('refuses %s in Swedish and writes nothing', async (_case, number, code, message) => {
    const api = demoApi();
    await registered(api, OTHER);
    const p = await registered(api, REAL);
    const before = api.count(`SELECT count(*) n FROM audit_events WHERE entity_id = ? AND action = 'change'`, p.id);
    const err = await api.err('patients.update', { id: p.id, identityNumber: number() });
    expect(err.code).toBe(code);
    expect(err.message).toContain(message);
    expect(await api.ok('patients.get', { id: p.id })).toMatchObject({ identityNumber: REAL, version: p.version });
    expect(api.count(`SELECT count(*) n FROM audit_events WHERE entity_id = ? AND action = 'change'`, p.id)).toBe(before);
  });

  it('her own number in another form is no change of number', async () => {
    const api = demoApi();
    const p = await registered(api, REAL);
    await api.ok('patients.update', { id: p.id, identityNumber: `${REAL.slice(2, 8)}-${REAL.slice(8)}`, phone: '070-123 45 67' });
    const { detail } = api.ctx.db
      .prepare(`SELECT detail FROM audit_events WHERE entity_id = ? AND action = 'change' ORDER BY seq DESC LIMIT 1`)
      .get(p.id) as { detail: string };
    expect(JSON.parse(detail)).toEqual({ op: 'update', changed: ['phone'] });
  });
});
