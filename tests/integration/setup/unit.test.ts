// Setting up the unit of a fresh installation through the api: once, with a valid HSA-id, by an
// admin; each change with its outbox row, audit event and change event.
import { describe, expect, it } from 'vitest';
import { setupApi } from './helpers.ts';

const HSA = 'SE2321000016-7HJK';

describe('unit.create', () => {
  it('creates the unit of an empty database, with outbox, audit and change event', async () => {
    const api = setupApi();
    expect(await api.err('unit.get', {})).toMatchObject({ code: 'not_found' });
    const unit = await api.ok('unit.create', { hsaId: ` ${HSA} `, name: ' Vårdcentralen Norrby ' }, ['admin']);
    expect(unit).toMatchObject({ hsaId: HSA, name: 'Vårdcentralen Norrby', timeZone: 'Europe/Stockholm' });
    expect(await api.ok('unit.get', {})).toEqual(unit);
    expect(api.count(`SELECT count(*) AS n FROM outbox WHERE entity = 'unit' AND entity_id = ? AND op = 'create'`, unit.id)).toBe(
      1,
    );
    expect(
      api.count(
        `SELECT count(*) AS n FROM audit_events WHERE entity = 'unit' AND entity_id = ? AND unit_id = ? AND json_extract(detail, '$.op') = 'create'`,
        unit.id,
        unit.id,
      ),
    ).toBe(1);
    expect(api.events).toContainEqual({ entities: ['unit'], ids: [unit.id] });
  });

  it('refuses a second unit, and any unit in the demo database', async () => {
    const api = setupApi();
    await api.ok('unit.create', { hsaId: HSA, name: 'Vårdcentralen Norrby' });
    const again = await api.err('unit.create', { hsaId: 'SE2321000016-OTHER', name: 'Annan' });
    expect(again.code).toBe('conflict');
    expect(again.message).toMatch(/redan en vårdenhet \(Vårdcentralen Norrby, SE2321000016-7HJK\)/);
    expect(api.count(`SELECT count(*) AS n FROM units`)).toBe(1);
    const demo = setupApi({ demo: true });
    expect(await demo.err('unit.create', { hsaId: HSA, name: 'X' })).toMatchObject({ code: 'conflict' });
  });

  it.each([
    'SE232100001-ABCD',
    'SE23210000160-ABCD',
    'SE2321000016ABCD',
    'SE2321000016-',
    'XX2321000016-ABCD',
    'SE2321000016-ÅÄÖ',
    `SE2321000016-${'A'.repeat(31)}`,
  ])('rejects the malformed HSA-id %s with a Swedish message', async (hsaId) => {
    const api = setupApi();
    const e = await api.err('unit.create', { hsaId, name: 'Vårdcentralen' });
    expect(e.code).toBe('validation');
    expect(e.message).toMatch(/HSA-id ska skrivas SE, 10 siffror, bindestreck och 1–30 bokstäver eller siffror/);
    expect(api.count(`SELECT count(*) AS n FROM units`)).toBe(0);
  });

  it('accepts a lower-case country prefix and stores it in capitals', async () => {
    const api = setupApi();
    expect(await api.ok('unit.create', { hsaId: 'se2321000016-abc1', name: 'V' })).toMatchObject({ hsaId: 'SE2321000016-abc1' });
  });

  it('is for admins only', async () => {
    const api = setupApi();
    for (const role of ['receptionist', 'scheduler'] as const) {
      expect(await api.err('unit.create', { hsaId: HSA, name: 'V' }, [role])).toMatchObject({ code: 'forbidden' });
    }
    expect(api.count(`SELECT count(*) AS n FROM units`)).toBe(0);
  });
});

describe('unit.update', () => {
  it('renames the unit; the HSA-id changes only until the unit has synced', async () => {
    const api = setupApi();
    const unit = await api.ok('unit.create', { hsaId: HSA, name: 'Vårdcentralen Norrby' });
    const renamed = await api.ok('unit.update', { name: 'Vårdcentralen Norrby centrum' }, ['admin']);
    expect(renamed).toMatchObject({ name: 'Vårdcentralen Norrby centrum', hsaId: HSA });
    const moved = await api.ok('unit.update', { hsaId: 'SE2321000016-NEW1' });
    expect(moved.hsaId).toBe('SE2321000016-NEW1');
    expect(api.count(`SELECT count(*) AS n FROM outbox WHERE entity = 'unit' AND op = 'update'`)).toBe(2);
    expect(
      api.count(`SELECT count(*) AS n FROM audit_events WHERE entity = 'unit' AND json_extract(detail, '$.op') = 'update'`),
    ).toBe(2);
    // No change, no rows.
    await api.ok('unit.update', { name: 'Vårdcentralen Norrby centrum' });
    expect(api.count(`SELECT count(*) AS n FROM outbox WHERE entity = 'unit'`)).toBe(3);

    api.ctx.db.prepare(`UPDATE units SET remote_id = 'org-1' WHERE id = ?`).run(unit.id);
    const refused = await api.err('unit.update', { hsaId: 'SE2321000016-NEW2' });
    expect(refused).toMatchObject({ code: 'conflict', message: expect.stringMatching(/synkroniserats/) });
    expect((await api.ok('unit.get', {})).hsaId).toBe('SE2321000016-NEW1');
    // The name may still change after sync.
    expect(await api.ok('unit.update', { name: 'Norrby VC' })).toMatchObject({ name: 'Norrby VC' });
    expect(await api.err('unit.update', { name: 'X' }, ['scheduler'])).toMatchObject({ code: 'forbidden' });
    expect(await api.err('unit.update', { name: '  ' })).toMatchObject({ code: 'validation' });
  });
});
