// A reserve number is found however its separators were typed: an outside probe registered
// RES-2026-0001 and searched for RES20260001 (as read off a wristband without the dashes), and
// nobody was found. Dashes are separators in a reserve number, as in a personnummer.
import { beforeAll, describe, expect, it } from 'vitest';
import { runTidbok } from '../../helpers/cli-process.ts';
import { demoApi, type Api } from '../scheduling/helpers.ts';

let api: Api;
const search = async (query: string) => (await api.ok('patients.search', { query, limit: 20 })).map((p) => p.identityNumber);

beforeAll(async () => {
  api = demoApi();
  for (const [number, given] of [
    ['RES-2026-0001', 'Reserv'],
    ['SLL20260002', 'Utan'],
  ] as const) {
    await api.ok('patients.create', { identityNumber: number, givenName: given, familyName: 'Okänd', reserve: true });
  }
});

describe('searching for a reserve number', () => {
  it.each([
    ['RES-2026-0001', ['RES-2026-0001']],
    ['res-2026-0001', ['RES-2026-0001']],
    ['RES20260001', ['RES-2026-0001']],
    ['res2026', ['RES-2026-0001']],
    ['SLL-2026-0002', ['SLL20260002']],
    ['sll-2026', ['SLL20260002']],
    ['RES-2027', []],
  ])('%s finds %j', async (query, expected) => {
    expect(await search(query)).toEqual(expected);
  });
});

describe('tidbok bookings book --patient with a reserve number typed without its dashes', () => {
  it('books the patient registered with them', async () => {
    const lakbes = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
    const [slot] = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-12-01', limit: 1 });
    const r = await runTidbok([
      'bookings',
      'book',
      '--slot',
      slot!.slotId,
      '--patient',
      'res20260001',
      '--type',
      'LAKBES',
      '--db',
      api.path,
    ]);
    expect(r).toMatchObject({ code: 0, err: '', out: expect.stringContaining('Reserv Okänd RES-2026-0001') });
  });
});

describe('registering a reserve number another patient holds with other dashes', () => {
  it.each(['RES20260001', 'RES-20260001', 'res2026-0001'])(
    '%s: refused as the same wristband, nothing written',
    async (number) => {
      const before = api.count(`SELECT count(*) AS n FROM patients`);
      const error = await api.err('patients.create', {
        identityNumber: number,
        givenName: 'Dubbel',
        familyName: 'Okänd',
        reserve: true,
      });
      expect(error).toMatchObject({ code: 'conflict', message: 'Det finns redan en patient med det reservnumret.' });
      expect(api.count(`SELECT count(*) AS n FROM patients`)).toBe(before);
    },
  );

  it('a reserve number with other characters is another patient', async () => {
    await api.ok('patients.create', { identityNumber: 'RES-2026-0011', givenName: 'Annan', familyName: 'Okänd', reserve: true });
    expect(await search('RES-2026-0011')).toEqual(['RES-2026-0011']);
  });
});
