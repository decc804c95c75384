// Two desks edit the same patient or booking note: the form sends the version it showed, and a
// save over another desk's newer edit is refused (conflict, nothing written) instead of silently
// overwriting it. Without expectedVersion (scripts, the CLI) the last writer wins, as before.
import { describe, expect, it } from 'vitest';
import type { MethodName } from '../../../src-main/api/contract.ts';
import { demoApi, type Api } from './helpers.ts';

function changeCounts(api: ReturnType<typeof demoApi>, id: string) {
  return {
    outbox: api.count(`SELECT count(*) n FROM outbox WHERE entity_id = ?`, id),
    audit: api.count(`SELECT count(*) n FROM audit_events WHERE entity_id = ? AND action = 'change'`, id),
  };
}

describe('edits refuse a version another desk has replaced', () => {
  it("a patient's phone: the second desk's save over the first's is refused, nothing written", async () => {
    const api = demoApi();
    const { id } = api.ctx.db.prepare(`SELECT id FROM patients WHERE protected_identity = 0 LIMIT 1`).get() as { id: string };
    const opened = await api.ok('patients.get', { id });
    expect(opened.version).toBeGreaterThanOrEqual(1);

    const first = await api.ok('patients.update', { id, phone: '070-111 11 11', expectedVersion: opened.version });
    expect(first.version).toBe(opened.version + 1);
    const before = changeCounts(api, id);

    const err = await api.err('patients.update', { id, phone: '070-222 22 22', expectedVersion: opened.version });
    expect(err.code).toBe('conflict');
    expect(err.message).toBe(
      'Patientens uppgifter har ändrats av någon annan sedan du öppnade dem. Läs in på nytt och gör om din ändring.',
    );
    expect(err.details).toEqual({ rule: 'stale_version', expectedVersion: opened.version, currentVersion: opened.version + 1 });
    const after = await api.ok('patients.get', { id });
    expect(after.phone).toBe(first.phone);
    expect(after.version).toBe(first.version);
    expect(changeCounts(api, id)).toEqual(before);

    // Opened again, the same edit goes through; without a version (a script) the last writer wins.
    expect((await api.ok('patients.update', { id, phone: '070-222 22 22', expectedVersion: after.version })).version).toBe(
      after.version + 1,
    );
    expect((await api.ok('patients.update', { id, email: 'ny@example.se' })).email).toBe('ny@example.se');
  });

  it('the audit names what changed, not the version sent along', async () => {
    const api = demoApi();
    const { id } = api.ctx.db.prepare(`SELECT id FROM patients WHERE protected_identity = 0 LIMIT 1`).get() as { id: string };
    const { version } = await api.ok('patients.get', { id });
    await api.ok('patients.update', { id, email: 'a@example.se', expectedVersion: version });
    const { detail } = api.ctx.db
      .prepare(`SELECT detail FROM audit_events WHERE entity_id = ? AND action = 'change' ORDER BY seq DESC LIMIT 1`)
      .get(id) as { detail: string };
    expect(JSON.parse(detail)).toEqual({ op: 'update', changed: ['email'] });
  });

  it("a booking's note: a stale save is refused; saving the text already there is no change at all", async () => {
    const api = demoApi();
    const { id } = api.ctx.db.prepare(`SELECT id FROM bookings WHERE status = 'booked' LIMIT 1`).get() as { id: string };
    const opened = await api.ok('bookings.get', { id });
    await api.ok('bookings.setNote', { id, note: 'Tolk: arabiska', expectedVersion: opened.version });
    const before = changeCounts(api, id);

    const err = await api.err('bookings.setNote', { id, note: 'Ta med remiss', expectedVersion: opened.version });
    expect(err.code).toBe('conflict');
    expect(err.message).toContain('Bokningen har ändrats av någon annan sedan du öppnade den.');
    expect((await api.ok('bookings.get', { id })).note).toBe('Tolk: arabiska');
    expect(changeCounts(api, id)).toEqual(before);

    // The other desk typed the very same note: nothing is lost, so nothing to refuse or write.
    await api.ok('bookings.setNote', { id, note: 'Tolk: arabiska', expectedVersion: opened.version });
    expect(changeCounts(api, id)).toEqual(before);
  });

  it('a version that is not a positive whole number is refused as input', async () => {
    const api = demoApi();
    const { id } = api.ctx.db.prepare(`SELECT id FROM patients LIMIT 1`).get() as { id: string };
    for (const expectedVersion of [0, -1, 1.5]) {
      expect((await api.err('patients.update', { id, email: 'x@example.se', expectedVersion })).code).toBe('validation');
    }
  });

  // The scheduler's and the list's forms: each entity, a first save from the version opened, then
  // a second desk's save from that same version. The stale one is refused and writes nothing.
  /** The first row, or the row the form was opened on (a rename may move it in the list). */
  const pick = <T extends { id: string }>(rows: T[], id?: string): T => (id ? rows.find((r) => r.id === id) : rows[0])!;
  const forms = [
    {
      entity: 'appointment type',
      open: async (api: Api, id?: string) => pick(await api.ok('appointmentTypes.list', {}), id),
      first: (id: string, v: number) => ['appointmentTypes.update', { id, nameSv: 'Första namnet', expectedVersion: v }],
      second: (id: string, v: number) => ['appointmentTypes.update', { id, nameSv: 'Andra namnet', expectedVersion: v }],
      message: 'Besökstypen har ändrats av någon annan sedan du öppnade den.',
    },
    {
      entity: 'template',
      open: async (api: Api, id?: string) => pick(await api.ok('templates.list', {}), id),
      first: (id: string, v: number) => ['templates.update', { id, changes: { name: 'Förmiddag A' }, expectedVersion: v }],
      second: (id: string, v: number) => ['templates.update', { id, changes: { name: 'Förmiddag B' }, expectedVersion: v }],
      message: 'Schemamallen har ändrats av någon annan sedan du öppnade den.',
    },
    {
      entity: 'resource',
      open: async (api: Api, id?: string) => pick(await api.ok('resources.list', {}), id),
      first: (id: string, v: number) => [
        'resources.update',
        { id, title: 'Distriktsläkare, verksamhetschef', expectedVersion: v },
      ],
      second: (id: string, v: number) => ['resources.update', { id, title: 'Specialist i allmänmedicin', expectedVersion: v }],
      message: 'Resursen har ändrats av någon annan sedan du öppnade den.',
    },
    {
      entity: 'waitlist entry',
      open: async (api: Api, id?: string) => pick(await api.ok('waitlist.list', {}), id),
      first: (id: string, v: number) => ['waitlist.update', { id, note: 'Kan komma med en timmes varsel', expectedVersion: v }],
      second: (id: string, v: number) => ['waitlist.update', { id, note: 'Bara förmiddagar', expectedVersion: v }],
      message: 'Posten på återbudslistan har ändrats av någon annan sedan du öppnade den.',
    },
  ] as const;

  for (const form of forms) {
    it(`a ${form.entity}: the second desk's save from the same version is refused and writes nothing`, async () => {
      const api = demoApi();
      const opened = await form.open(api);
      const [m1, in1] = form.first(opened.id, opened.version);
      await api.ok(m1 as MethodName, in1 as never);
      const before = changeCounts(api, opened.id);
      const [m2, in2] = form.second(opened.id, opened.version);
      const err = await api.err(m2 as MethodName, in2 as never);
      expect(err.code).toBe('conflict');
      expect(err.message).toContain(form.message);
      expect(err.details).toMatchObject({
        rule: 'stale_version',
        expectedVersion: opened.version,
        currentVersion: opened.version + 1,
      });
      expect(changeCounts(api, opened.id)).toEqual(before);
      const now = await form.open(api, opened.id);
      expect(now.version).toBe(opened.version + 1);
      // Opened again, the second desk's change goes through.
      const [m3, in3] = form.second(opened.id, now.version);
      await api.ok(m3 as MethodName, in3 as never);
    });
  }
});
